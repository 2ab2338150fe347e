"""Data-quality rules: where the figures do not add up, disagree, jump, or are missing.

Each rule is a function over the whole database (read in a handful of queries) that
returns `Finding`s; `findings()` runs them all. The 数据质量 page, the admin entry form
and the report workbook show the same findings. A rule reports; it never changes a
figure — the documents' own inconsistencies are kept as printed and listed here.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from indicators.domain import registry
from indicators.engine import formatting
from indicators.models import Actual, Metric, StatedTotal, Statement, Subject, Target

# Subject kinds whose actuals should add up to the district's.
PART_KINDS = [Subject.Kind.CHAIN, Subject.Kind.LOCALITY]


class Level:
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    LABELS = {ERROR: "不一致", WARNING: "需核实", INFO: "待填报"}


RULE_LABELS = {
    "total": "合计与分项之和",
    "aggregate": "全区与分项实际值",
    "restated": "同一数值两处表述",
    "yoy": "同比变动过大",
    "missing": "尚缺实际值",
}


@dataclass(frozen=True)
class Finding:
    """One thing a person should look at, with both numbers and where they come from."""

    rule: str
    level: str
    subject: Subject | None
    metric: Metric | None
    year: int | None
    expected: Decimal | None  # what the other place (or the sum) says
    stated: Decimal | None  # the figure as printed or entered
    difference: Decimal | None  # stated − expected
    message: str
    source: str
    scope: str = ""  # for sums: the kind of subject summed (chain, locality, park)
    actual_ids: tuple = field(default=(), compare=False)

    @property
    def rule_label(self):
        return RULE_LABELS[self.rule]

    @property
    def level_label(self):
        return Level.LABELS[self.level]

    def as_row(self):
        """Plain values for a table or a spreadsheet row."""
        return {
            "rule": self.rule_label,
            "level": self.level_label,
            "subject": str(self.subject) if self.subject else "",
            "metric": self.metric.name if self.metric else "",
            "unit": self.metric.unit if self.metric else "",
            "year": self.year,
            "expected": self.expected,
            "stated": self.stated,
            "difference": self.difference,
            "message": self.message,
            "source": self.source,
        }


def half_unit(*values):
    """Rounding tolerance: half a unit in the last printed place of the coarsest value."""
    exponent = max(min(0, Decimal(v).normalize().as_tuple().exponent) for v in values)
    return Decimal("0.5") * Decimal(10) ** exponent


def differs(stated, expected):
    return abs(Decimal(stated) - Decimal(expected)) > half_unit(stated)


def threshold():
    """Year-on-year change (percent, either way) beyond which a figure needs a note."""
    return Decimal(str(getattr(settings, "BEICHEN_YOY_THRESHOLD", 50)))


class Data:
    """Everything the rules read, fetched once."""

    def __init__(self, published_only=False):
        self.targets = list(Target.objects.select_related("plan", "subject", "metric", "document"))
        actuals = Actual.objects.select_related("subject", "metric").full_year()
        if published_only:
            actuals = actuals.published()
        self.actuals = list(actuals)
        self.by_key = {(a.subject_id, a.metric_id, a.year): a for a in self.actuals}
        self.subjects = list(Subject.objects.all())

    def managers(self):
        """Subject pk → managing subject pk (a park's locality), as subject apps register it."""
        return registry.managers()


# -- rule 1: a document's 合计 row against the sum of its rows -------------------------------


def stated_totals(data):
    found = []
    for total in StatedTotal.objects.select_related("metric", "plan", "document"):
        parts = total_parts(data, total)
        if not parts:
            continue
        summed = sum(parts, Decimal(0))
        if not differs(total.value, summed):
            continue
        unit, scope = total.metric.unit, total.get_scope_display()
        year = f"{total.year}年" if total.year else ""
        found.append(
            Finding(
                rule="total",
                level=Level.ERROR,
                subject=None,
                metric=total.metric,
                year=total.year,
                expected=summed,
                stated=total.value,
                difference=total.value - summed,
                message=(
                    f"{where(total)}：{year}{total.metric.name}合计 "
                    f"{formatting.exact(total.value)} {unit}，{len(parts)} 个{scope}分项之和为 "
                    f"{formatting.exact(summed)} {unit}，相差 {formatting.exact_signed(total.value - summed)} {unit}。"
                ),
                source=f"{total.document} {total.source}",
                scope=total.scope,
            )
        )
    return found


def where(total):
    """《倍增行动方案》附件3 合计目标 — the plan's short name when the total belongs to one."""
    return (
        f"《{total.plan}》{total.source}" if total.plan_id else f"{total.document}“{total.source}”"
    )


def total_parts(data, total):
    """The row values a stated total should be the sum of."""
    if total.role == StatedTotal.Role.ATTRIBUTE:
        return [v for v in registry.attribute_values(total.metric.slug) if v is not None]
    if total.role == StatedTotal.Role.ACTUAL:
        return [
            a.value
            for a in data.actuals
            if a.subject.kind == total.scope and a.metric_id == total.metric_id
            if a.year == total.year
        ]
    rows = [
        t
        for t in data.targets
        if t.subject.kind == total.scope and t.metric_id == total.metric_id
        if (t.plan_id == total.plan_id if total.plan_id else t.document_id == total.document_id)
    ]
    if total.role == StatedTotal.Role.BASELINE:
        return [t.baseline_value for t in rows if t.baseline_year == total.year]
    return [t.target_value for t in rows if t.target_year == total.year]


# -- rule 2: the district's actual against the sum of its chains' or localities' -------------


def aggregates(data):
    found = []
    expected_parts = defaultdict(set)  # (kind, metric) → subjects a plan sets a target for
    for t in data.targets:
        expected_parts[(t.subject.kind, t.metric_id)].add(t.subject_id)
    for district in data.actuals:
        if district.subject.kind != Subject.Kind.DISTRICT:
            continue
        if not district.metric.metric_kind.additive:
            continue
        for kind in PART_KINDS:
            parts = [
                a
                for a in data.actuals
                if a.subject.kind == kind and a.metric_id == district.metric_id
                if a.year == district.year
            ]
            wanted = expected_parts[(kind, district.metric_id)] or {a.subject_id for a in parts}
            if not parts or not wanted <= {a.subject_id for a in parts}:
                continue  # not all parts entered yet: completeness lists what is missing
            summed = sum((a.value for a in parts), Decimal(0))
            if not differs(district.value, summed):
                continue
            found.append(aggregate_finding(district, parts, summed, kind))
    return found


def aggregate_finding(district, parts, summed, kind):
    metric, unit = district.metric, district.metric.unit
    label = Subject.Kind(kind).label
    return Finding(
        rule="aggregate",
        level=Level.ERROR,
        subject=district.subject,
        metric=metric,
        year=district.year,
        expected=summed,
        stated=district.value,
        difference=district.value - summed,
        message=(
            f"{district.year}年{district.subject}{metric.name} {formatting.exact(district.value)} {unit}，"
            f"{len(parts)} 个{label}之和为 {formatting.exact(summed)} {unit}，"
            f"相差 {formatting.exact_signed(district.value - summed)} {unit}。"
        ),
        source=district.source or "录入",
        scope=kind,
        actual_ids=tuple([district.pk] + [a.pk for a in parts]),
    )


# -- rule 3: the same quantity stated differently in two places -----------------------------


def restatements(data):
    found = []
    for statement in Statement.objects.select_related("subject", "metric", "document"):
        for target in data.targets:
            if (target.subject_id, target.metric_id) != (statement.subject_id, statement.metric_id):
                continue
            if target.document_id != statement.document_id:
                continue  # across documents, rule 3 compares the plans' baselines below
            for year, value in target_values(target):
                if year == statement.year and value is not None:
                    found += restated(statement, statement.value, value, target.source)
        actual = data.by_key.get((statement.subject_id, statement.metric_id, statement.year))
        if actual is not None:
            found += restated(statement, statement.value, actual.value, actual.source or "录入")
    found += baselines_across_plans(data)
    return found


def target_values(target):
    return [
        (target.baseline_year, target.baseline_value),
        (target.target_year, target.target_value),
    ]


def restated(statement, stated, other, other_source):
    if abs(stated - other) <= half_unit(stated, other):
        return []
    unit = statement.metric.unit
    return [
        Finding(
            rule="restated",
            level=Level.ERROR,
            subject=statement.subject,
            metric=statement.metric,
            year=statement.year,
            expected=other,
            stated=stated,
            difference=stated - other,
            message=(
                f"{statement.subject}{statement.year}年{statement.metric.name}："
                f"{statement.document}“{statement.source}”为 {formatting.exact(stated)} {unit}，"
                f"“{other_source}”为 {formatting.exact(other)} {unit}。"
            ),
            source=f"{statement.document} {statement.source}；{other_source}",
        )
    ]


def baselines_across_plans(data):
    """Two plans (or a plan and an actual) giving the same year's value differently."""
    found = []
    by_pair = defaultdict(list)
    for t in data.targets:
        if t.baseline_value is not None:
            by_pair[(t.subject_id, t.metric_id, t.baseline_year)].append(t)
    for (subject_id, metric_id, year), targets in by_pair.items():
        targets.sort(key=lambda t: (t.plan.base_year, t.plan.slug))
        first = targets[0]
        for other in targets[1:]:
            if differs(other.baseline_value, first.baseline_value):
                found.append(baseline_finding(first, first.baseline_value, other))
        actual = data.by_key.get((subject_id, metric_id, year))
        if actual is not None:
            for t in targets:
                if differs(actual.value, t.baseline_value):
                    found.append(baseline_finding(t, actual.value, None, actual))
    return found


def baseline_finding(first, stated, other, actual=None):
    unit, metric = first.metric.unit, first.metric
    expected = other.baseline_value if other else first.baseline_value
    if other is not None:
        where = (
            f"《{first.plan}》{first.source}为 {formatting.exact(first.baseline_value)} {unit}，"
            f"《{other.plan}》{other.source}为 {formatting.exact(other.baseline_value)} {unit}。"
        )
        source = f"{first.document} {first.source}；{other.document} {other.source}"
        stated, expected = first.baseline_value, other.baseline_value
    else:
        where = (
            f"《{first.plan}》{first.source}基数为 {formatting.exact(first.baseline_value)} {unit}，"
            f"实际值（{actual.source or '录入'}）为 {formatting.exact(actual.value)} {unit}。"
        )
        source = f"{first.document} {first.source}；{actual.source or '录入'}"
        stated, expected = actual.value, first.baseline_value
    return Finding(
        rule="restated",
        level=Level.ERROR,
        subject=first.subject,
        metric=metric,
        year=first.baseline_year,
        expected=expected,
        stated=stated,
        difference=stated - expected,
        message=f"{first.subject}{first.baseline_year}年{metric.name}：{where}",
        source=source,
    )


# -- rule 4: a change from the previous year beyond the threshold ---------------------------


def change(previous, current):
    """Percentage change; None when the previous value is zero."""
    if previous == 0:
        return None
    return (Decimal(current) - previous) / abs(previous) * 100


def year_on_year(actual, previous):
    """A finding when `actual` moved beyond the threshold from `previous` (same subject)."""
    if previous is None or actual.partial or actual.metric.kind == Metric.Kind.RATE:
        return None
    value = Decimal(str(actual.value))  # a form may hand over text
    pct = change(previous.value, value)
    limit = threshold()
    if pct is not None and abs(pct) <= limit:
        return None
    if pct is None and value == 0:
        return None
    unit = actual.metric.unit
    moved = (
        f"变动 {formatting.exact_signed(pct.quantize(Decimal('0.1')))}%"
        if pct is not None
        else f"上年为 0，本年为 {formatting.exact(actual.value)} {unit}"
    )
    explained = "已填写说明。" if actual.note.strip() else "提交前须在“备注”中说明原因。"
    return Finding(
        rule="yoy",
        level=Level.WARNING,
        subject=actual.subject,
        metric=actual.metric,
        year=actual.year,
        expected=previous.value,
        stated=value,
        difference=value - previous.value,
        message=(
            f"{actual.subject}{actual.year}年{actual.metric.name} {formatting.exact(value)} {unit}，"
            f"上年（{previous.year}年）为 {formatting.exact(previous.value)} {unit}，{moved}，"
            f"超过 ±{formatting.exact(limit)}%；{explained}"
        ),
        source=actual.source or "录入",
        actual_ids=(actual.pk,),
    )


def previous_actual(actual):
    """The full-year actual of the year before, whatever its state."""
    return Actual.objects.filter(
        subject_id=actual.subject_id,
        metric_id=actual.metric_id,
        year=actual.year - 1,
        period=Actual.Period.YEAR,
    ).first()


def year_on_year_changes(data):
    found = []
    for actual in data.actuals:
        previous = data.by_key.get((actual.subject_id, actual.metric_id, actual.year - 1))
        if finding := year_on_year(actual, previous):
            found.append(finding)
    return found


# -- rule 5: completeness ---------------------------------------------------------------------


@dataclass
class Completeness:
    """For one year and one group (the district, a chain, a locality with its parks)."""

    group: Subject
    year: int
    expected: list  # (subject, metric) pairs a plan sets a target for in this year
    missing: list

    @property
    def filled(self):
        return len(self.expected) - len(self.missing)

    @property
    def share(self):
        return self.filled / len(self.expected) * 100 if self.expected else None


def completeness(year, data=None):
    """Which figures with a target still lack a full-year actual for `year`, per group."""
    data = data or Data()
    parks = data.managers()
    subjects = {s.pk: s for s in data.subjects}
    pairs = {}
    for t in data.targets:
        if t.baseline_year < year <= t.target_year:
            pairs[(t.subject_id, t.metric_id)] = (t.subject, t.metric)
    groups = {}
    for (subject_id, metric_id), (subject, metric) in sorted(
        pairs.items(), key=lambda item: (item[1][0].kind, item[1][0].order, item[1][1].order)
    ):
        group = subjects[parks.get(subject_id, subject_id)]
        row = groups.setdefault(group.pk, Completeness(group, year, [], []))
        row.expected.append((subject, metric))
        if (subject_id, metric_id, year) not in data.by_key:
            row.missing.append((subject, metric))
    order = {Subject.Kind.DISTRICT: 0, Subject.Kind.CHAIN: 1, Subject.Kind.LOCALITY: 2}
    return sorted(groups.values(), key=lambda r: (order.get(r.group.kind, 3), r.group.order))


def missing(data, year):
    found = []
    for row in completeness(year, data):
        for subject, metric in row.missing:
            found.append(
                Finding(
                    rule="missing",
                    level=Level.INFO,
                    subject=subject,
                    metric=metric,
                    year=year,
                    expected=None,
                    stated=None,
                    difference=None,
                    message=f"{subject}{year}年“{metric.name}”尚无实际值。",
                    source="",
                    scope=row.group.kind,
                )
            )
    return found


def default_year(data):
    years = [a.year for a in data.actuals]
    return max(years) if years else None


# Rule name → function(data, year); a new rule is one function and one entry here.
RULES = {
    "total": lambda data, year: stated_totals(data),
    "aggregate": lambda data, year: aggregates(data),
    "restated": lambda data, year: restatements(data),
    "yoy": lambda data, year: year_on_year_changes(data),
    "missing": lambda data, year: missing(data, year) if year else [],
}


def findings(published_only=False, year=None, rules=None, data=None):
    """Every rule's findings; completeness for `year` (default: the latest year with data)."""
    data = data or Data(published_only=published_only)
    year = year or default_year(data)
    found = []
    for name, rule in RULES.items():
        if rules is None or name in rules:
            found += rule(data, year)
    return found


def findings_for(actual):
    """Findings that concern one entered figure, for its admin form."""
    relevant = []
    for f in findings(rules={"aggregate", "restated", "yoy"}, year=actual.year):
        if (f.metric and f.metric.pk) != actual.metric_id or f.year != actual.year:
            continue
        if actual.pk in f.actual_ids or (f.subject and f.subject.pk == actual.subject_id):
            relevant.append(f)
    return relevant
