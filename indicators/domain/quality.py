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
from django.db.models import Q

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
    "basis": "口径与基数",
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
        self._statements = None

    @property
    def statements(self):
        """Every restatement with its subject, metric and document, read once."""
        if self._statements is None:
            self._statements = list(
                Statement.objects.select_related("subject", "metric", "document")
            )
        return self._statements

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


@dataclass
class TotalLine:
    """One 合计 line of a list: a metric's stated (baseline, target) — or a descriptive
    attribute's value — beside the sum of the rows it totals."""

    source: str
    metric: Metric
    attribute: bool
    document: object
    stated: list = field(default_factory=lambda: [None, None])
    summed: list = field(default_factory=lambda: [None, None])

    @property
    def differs(self):
        return any(
            s is not None and t is not None and differs(s, t)
            for s, t in zip(self.stated, self.summed, strict=True)
        )


def stated_total_lines(scope, plan=None, data=None):
    """The 合计 rows a document prints for one kind of subject (chain, locality, park), each
    with the sum of its rows, for the lists and the report's sheets; with `plan`, only the
    plan's own totals and those its document prints."""
    data = data or Data()
    lines = {}
    totals = StatedTotal.objects.filter(scope=scope).select_related("metric", "plan", "document")
    if plan is not None:
        totals = totals.filter(Q(plan=plan) | Q(plan__isnull=True, document_id=plan.document_id))
    for total in totals.order_by("document", "source", "metric__order"):
        attribute = total.role == StatedTotal.Role.ATTRIBUTE
        key = (total.document_id, total.source, total.metric_id)
        line = lines.setdefault(
            key, TotalLine(total.source, total.metric, attribute, total.document)
        )
        index = 1 if total.role == StatedTotal.Role.TARGET else 0
        parts = total_parts(data, total)
        line.stated[index] = total.value
        line.summed[index] = sum(parts, Decimal(0)) if parts else None
    return list(lines.values())


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
    # A target the document prints in this column counts in its 合计 (the IT chain's revenue).
    rows = [
        t
        for t in data.targets
        if t.subject.kind == total.scope and total.metric_id in (t.metric_id, t.counted_in_id)
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
    for statement in data.statements:
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


# -- rule 3b: figures on another basis (口径) or another base -------------------------------


def basis_findings(data):
    """Where a status would depend on the basis or base chosen, and the report's own
    inconsistencies of 口径: each is shown, never resolved by picking one number."""
    return (
        other_basis(data)
        + base_dependent_statuses(data)
        + statements_off_scale(data)
        + increments(data)
        + per_mu(data)
    )


def basis_finding(subject, metric, year, expected, stated, message, source, ids=()):
    return Finding(
        rule="basis",
        level=Level.WARNING,
        subject=subject,
        metric=metric,
        year=year,
        expected=expected,
        stated=stated,
        difference=None if expected is None or stated is None else stated - expected,
        message=message,
        source=source,
        actual_ids=tuple(ids),
    )


def other_basis(data):
    """A target printed in another metric's column, with actuals of that column's metric."""
    found = []
    for t in data.targets:
        if not t.counted_in_id:
            continue
        for a in data.actuals:
            if (a.subject_id, a.metric_id) != (t.subject_id, t.counted_in_id):
                continue
            found.append(
                basis_finding(
                    t.subject,
                    a.metric,
                    a.year,
                    None,
                    a.value,
                    (
                        f"{t.subject}：《{t.plan}》{t.source}的目标 {formatting.exact(t.baseline_value)} → "
                        f"{formatting.exact(t.target_value)} {t.metric.unit}是{t.metric.name}（列在"
                        f"“{a.metric.name}”栏）；{a.year}年{a.metric.name} {formatting.exact(a.value)} "
                        f"{a.metric.unit}（{a.source}）口径不同，单独列示，不计算完成度与状态。"
                    ),
                    f"{t.document} {t.source}；{a.source}",
                    ids=(a.pk,),
                )
            )
    return found


def base_dependent_statuses(data):
    """Targets whose status differs on the two documents' bases (400 vs 442 firms)."""
    from indicators.domain import tracking

    by_pair = defaultdict(list)
    for a in data.actuals:
        by_pair[(a.subject_id, a.metric_id)].append(a)
    tracked = [
        tracking.assess_target(
            t, sorted(by_pair[(t.subject_id, t.metric_id)], key=lambda a: a.year)
        )
        for t in data.targets
        if t.baseline_value is not None
    ]
    found = []
    targets = {t.target.pk: t.target for t in tracked}
    rows_by_target = tracking.bases(tracked, targets=data.targets, statements=data.statements)
    for pk, rows in rows_by_target.items():
        if not tracking.base_dependent(rows):
            continue
        own, target = rows[0], targets[pk]
        unit = target.metric.unit
        parts = "；".join(
            f"按{formatting.exact(b.value)}{unit}基数（{b.source}）R = {formatting.number(b.assessment.ratio, 2)}，{b.status.label}"
            for b in rows
        )
        latest = own.assessment.latest
        found.append(
            basis_finding(
                target.subject,
                target.metric,
                target.baseline_year,
                rows[1].value,
                own.value,
                (
                    f"{target.subject}{target.metric.name}（{latest.year}年 {formatting.exact(latest.value)} "
                    f"{unit}）的状态随基数而异：{parts}。指标页同时列出两种评估，总览标注"
                    f"“随基数而异”。"
                ),
                "；".join(b.source for b in rows),
            )
        )
    return found


def statements_off_scale(data):
    """A document's text giving a figure far from the same quantity in its table."""
    found = []
    planned = {(t.subject_id, t.metric_id, y) for t in data.targets for y, _ in target_values(t)}
    for st in data.statements:
        key = (st.subject_id, st.metric_id, st.year)
        if key in data.by_key or key in planned:
            continue  # an actual of that year (rule 3), or a plan's base or target
        near = [
            a
            for a in data.actuals
            if (a.subject_id, a.metric_id) == (st.subject_id, st.metric_id)
            if abs(a.year - st.year) == 1
        ]
        for a in near:
            pct = change(a.value, st.value)
            if pct is None or abs(pct) <= threshold():
                continue
            unit = st.metric.unit
            found.append(
                basis_finding(
                    st.subject,
                    st.metric,
                    st.year,
                    a.value,
                    st.value,
                    (
                        f"{st.subject}{st.metric.name}：{st.document}“{st.source}”称{st.year}年"
                        f" {formatting.exact(st.value)}{unit}，“{a.source}”为{a.year}年 {formatting.exact(a.value)}{unit}，"
                        f"数量级不同，口径存疑；按原文保留，正文数值不作为实际值。"
                    ),
                    f"{st.document} {st.source}；{a.source}",
                    ids=(a.pk,),
                )
            )
    return found


def increments(data):
    """A “新增” count against the difference of its stock in the same document."""
    found = []
    stock_bases = defaultdict(dict)  # (subject, stock metric) → {value: (year, source)}
    for st in data.statements:
        stock_bases[(st.subject_id, st.metric_id)].setdefault(
            (st.document_id, st.value), (st.year, f"{st.document}“{st.source}”")
        )
    for a in data.actuals:
        stock_metric = a.metric.increment_of_id
        if not stock_metric:
            continue
        stock = data.by_key.get((a.subject_id, stock_metric, a.year))
        if stock is None:
            continue
        for (document_id, base), (year, source) in stock_bases[
            (a.subject_id, stock_metric)
        ].items():
            if document_id != a.document_id or year >= a.year:
                continue
            difference = stock.value - base
            if not differs(a.value, difference):
                continue
            unit = a.metric.unit
            found.append(
                basis_finding(
                    a.subject,
                    a.metric,
                    a.year,
                    difference,
                    a.value,
                    (
                        f"{a.subject}{a.year}年{a.metric.name} {formatting.exact(a.value)} {unit}（{a.source}），"
                        f"而同一文件的存量 {formatting.exact(stock.value)} − {formatting.exact(base)}（{year}年，{source}）"
                        f"= {formatting.exact(difference)} {unit}，两者不一致；报告未注明“新增”的起算年份。"
                    ),
                    f"{a.source}；{source}",
                    ids=(a.pk, stock.pk),
                )
            )
    return found


def per_mu(data):
    """亩均 figures say which area and which year they use; the report's is another measure."""
    return [
        basis_finding(
            a.subject,
            a.metric,
            a.year,
            None,
            a.value,
            f"{a.subject}{a.metric.name} {formatting.exact(a.value)} {a.metric.unit}（{a.source}）：{a.metric.scope}",
            a.source,
            ids=(a.pk,),
        )
        for a in data.actuals
        if a.metric.unit.endswith("/亩")
    ]


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


def completeness(year, data=None, plan=None):
    """Which figures with a target still lack a full-year actual for `year`, per group; with
    `plan`, only the figures that plan sets a target for."""
    data = data or Data()
    parks = data.managers()
    subjects = {s.pk: s for s in data.subjects}
    pairs = {}
    for t in data.targets:
        if plan is not None and t.plan_id != plan.pk:
            continue
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
    "basis": lambda data, year: basis_findings(data),
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
