"""Data-quality rules: where the figures do not add up, disagree, jump, or are missing.

Each rule is a function over the whole database (read in a handful of queries) that
returns `Finding`s; `findings()` runs them all. The 数据质量 page, the admin entry form
and the report workbook show the same findings. A rule reports; it never changes a
figure — the documents' own inconsistencies are kept as printed and listed here.
"""

from collections import defaultdict, namedtuple
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import groupby, pairwise
from operator import itemgetter

from django.conf import settings
from django.db.models import Q

from indicators.domain import registry, sources
from indicators.domain.sources import joined
from indicators.engine import formatting
from indicators.engine.progress import Text, gettext_noop
from indicators.models import (
    Actual,
    Document,
    Metric,
    Plan,
    StatedTotal,
    Statement,
    Subject,
    Target,
    in_page_language,
    translated,
)

# Subject kinds whose actuals should add up to the district's.
PART_KINDS = [Subject.Kind.CHAIN, Subject.Kind.LOCALITY]


class Level:
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    LABELS = {
        ERROR: Text(gettext_noop("不一致")),
        WARNING: Text(gettext_noop("需核实")),
        INFO: Text(gettext_noop("待填报")),
    }


RULE_LABELS = {
    "total": Text(gettext_noop("合计与分项之和")),
    "aggregate": Text(gettext_noop("全区与分项实际值")),
    "restated": Text(gettext_noop("同一数值两处表述")),
    "basis": Text(gettext_noop("口径与基数")),
    "yoy": Text(gettext_noop("同比变动过大")),
    "missing": Text(gettext_noop("尚缺实际值")),
}
RULE_LEVELS = {
    "total": Level.ERROR,
    "aggregate": Level.ERROR,
    "restated": Level.ERROR,
    "basis": Level.WARNING,
    "yoy": Level.WARNING,
    "missing": Level.INFO,
}


# Words that repeat on thousands of findings at scale (a metric's name and unit, a place in a
# document, a finding's sources), each made once per `findings()` call (`once`): a call is in
# one language, and reads the data once, so a word made for one finding reads the same for all.
MADE = ContextVar("quality_made", default=None)


def once(key, make):
    """`make()`, or what it made for the same key earlier in this `findings()` call."""
    made = MADE.get()
    if made is None:
        return make()
    value = made.get(key)
    if value is None:
        value = made[key] = make()
    return value


def name(metric):
    """A metric's name in a finding's sentence, in the language of the page that shows it."""
    return once(("name", metric.pk), lambda: in_page_language(lambda: metric.display_name))


def unit(metric):
    return once(("unit", metric.pk), lambda: in_page_language(lambda: metric.display_unit))


def locator(source):
    return once(("locator", source), lambda: sources.locator(source))


def pk_of(instance):
    return instance.pk if instance is not None else None


def in_plan(plan, source):
    return once(("in_plan", pk_of(plan), source), lambda: sources.in_plan(plan, source))


def in_document(document, source):
    key = ("in_document", pk_of(document), source)
    return once(key, lambda: sources.in_document(document, source))


def document_source(document, source):
    key = ("document_source", pk_of(document), source)
    return once(key, lambda: sources.document_source(document, source))


def number(x):
    return formatting.exact(x)


@dataclass(frozen=True, slots=True)
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
    message: Text  # prints in Chinese; `message_text` is in the page's language
    source: str
    scope: str = ""  # for sums: the kind of subject summed (chain, locality, park)
    actual_ids: tuple = field(default=(), compare=False)

    @property
    def rule_label(self):
        return RULE_LABELS[self.rule]

    @property
    def level_label(self):
        return Level.LABELS[self.level]

    @property
    def rule_text(self):
        return translated(self.rule_label)

    @property
    def level_text(self):
        return translated(self.level_label)

    @property
    def message_text(self):
        return translated(self.message)

    @property
    def source_text(self):
        return translated(self.source)

    def as_row(self):
        """Plain values for a table or a spreadsheet row, in the active language."""
        return {
            "rule": self.rule_text,
            "level": self.level_text,
            "subject": str(self.subject) if self.subject else "",
            "metric": self.metric.display_name if self.metric else "",
            "unit": self.metric.display_unit if self.metric else "",
            "year": self.year,
            "expected": self.expected,
            "stated": self.stated,
            "difference": self.difference,
            "message": self.message_text,
            "source": self.source_text,
        }


def finding(rule, subject, metric, year, message, source, expected=None, stated=None, **extra):
    """A finding of one rule: its level follows from the rule, the difference is stated −
    expected where both are known. `extra`: scope, actual_ids."""
    return Finding(
        rule=rule,
        level=RULE_LEVELS[rule],
        subject=subject,
        metric=metric,
        year=year,
        expected=expected,
        stated=stated,
        difference=None if expected is None or stated is None else stated - expected,
        message=message,
        source=source,
        **extra,
    )


def half_unit(*values):
    """Rounding tolerance: half a unit in the last printed place of the coarsest value."""
    exponent = max(min(0, Decimal(v).normalize().as_tuple().exponent) for v in values)
    return Decimal("0.5") * Decimal(10) ** exponent


def differs(stated, expected):
    return abs(Decimal(stated) - Decimal(expected)) > half_unit(stated)


def threshold():
    """Year-on-year change (percent, either way) beyond which a figure needs a note."""
    return Decimal(str(getattr(settings, "BEICHEN_YOY_THRESHOLD", 50)))


YEAR_FIGURE = ("pk", "subject_id", "metric_id", "year", "value", "note", "source", "document_id")


class YearFigure(namedtuple("YearFigure", [*YEAR_FIGURE, "subject", "metric"])):
    """A whole-year actual as the rules read it: its values, and its subject and metric
    shared with every other figure of theirs (read as plain values, not model rows; a tuple
    is made several times faster than a frozen dataclass, for twenty thousand at scale)."""

    __slots__ = ()

    partial = False  # whole years only
    period = Actual.Period.YEAR


# A target's columns, in the order of its model's fields, and the rows it refers to.
TARGET_COLUMNS = tuple(f.attname for f in Target._meta.concrete_fields)
RELATED = ("plan", "subject", "metric", "document")


class TargetValues(namedtuple("TargetValues", [*TARGET_COLUMNS, *RELATED])):
    """A target as the rules read it: its columns as plain values (a model row each costs
    several times as much to make and to keep, for ten thousand targets at scale), with its
    plan, subject, metric and document."""

    __slots__ = ()

    @property
    def pk(self):
        return self.id

    def model(self):
        """The target as a model row, made from these values (tracking assesses model rows)."""
        target = Target.from_db(Target.objects.db, TARGET_COLUMNS, self[: len(TARGET_COLUMNS)])
        target._state.fields_cache.update(zip(RELATED, self[len(TARGET_COLUMNS) :], strict=True))
        return target


def as_model(target):
    """A target as a model row (`TargetValues.model`), or the row it is."""
    return target if isinstance(target, Target) else target.model()


class PartSum:
    """The figures of one kind of subject (chain, locality) for one metric and year, as rule 2
    adds them: their sum, their pks and their subjects' places in the list (`orders`), and how
    many of them are of the subjects a plan sets a target for."""

    __slots__ = ("summed", "ids", "orders", "expected")

    def __init__(self):
        self.summed, self.ids, self.orders, self.expected = Decimal(0), [], [], 0

    def ordered_ids(self):
        """The pks in the actuals' order (the subjects' order, within one kind, metric and year)."""
        return [pk for _, pk in sorted(zip(self.orders, self.ids, strict=True))]


class Data:
    """Everything the rules read, fetched once.

    The whole-year actuals (a hundred and fifty thousand at scale) are read in one pass as
    plain values and not kept: the pass works out what the rules over every figure need (the
    figures that moved beyond the threshold from the year before, with that year's; the sums
    of the chains' and localities' figures; which years each subject and metric has) and keeps,
    as `YearFigure`s, only the figures the other rules look up (`keeps`). `actuals`, `by_key`
    and `of_pair` are those kept figures: a rule still checks every condition itself, so
    keeping more would change nothing (tests/test_quality_values.py keeps every figure)."""

    def __init__(self, published_only=False, targets=None):
        """`targets`: the targets the rules read, when the caller has them (with their
        subjects); by default every target with its plan, subject, metric and document."""
        self.published_only = published_only
        if targets is None:
            targets = self.every_target()
        self.targets = list(targets)
        self._statements = None
        self._by_pair = None

    def every_target(self):
        """Every target as `TargetValues`, its plan, subject, metric and document each one
        object shared by all their targets (a join would build a copy for every one of ten
        thousand), in the targets' own order."""
        plans = {p.pk: p for p in Plan.objects.select_related("document")}
        documents = {d.pk: d for d in Document.objects.all()}
        subjects, metrics = self.subject_of, self.metric_of
        plan, subject, metric, document = (TARGET_COLUMNS.index(f"{n}_id") for n in RELATED)
        return [
            TargetValues(
                *row,
                plans[row[plan]],
                subjects[row[subject]],
                metrics[row[metric]],
                documents.get(row[document]),
            )
            for row in Target.objects.values_list(*TARGET_COLUMNS)
        ]

    @cached_property
    def subjects(self):
        return list(Subject.objects.all())

    @cached_property
    def subject_of(self):
        return {s.pk: s for s in self.subjects}

    @cached_property
    def metric_of(self):
        return {m.pk: m for m in Metric.objects.all()}

    def full_year(self):
        actuals = Actual.objects.full_year()
        return actuals.published() if self.published_only else actuals

    def rows(self):
        """Every whole-year actual as a `YEAR_FIGURE` tuple, by subject, metric and year: the
        order of their index, read without sorting (sorting them in the actuals' own order
        spilled to disk at scale); `_read` puts what it keeps back in the actuals' order."""
        actuals = self.full_year().order_by("subject_id", "metric_id", "year")
        return actuals.values_list(*YEAR_FIGURE).iterator(chunk_size=10_000)

    @staticmethod
    def in_order(figure):
        """The actuals' own order (`Actual.Meta.ordering`) of a whole-year figure."""
        return (figure.subject.kind, figure.subject.order, figure.metric.order, figure.year)

    def figure(self, row):
        return YearFigure(*row, self.subject_of[row[1]], self.metric_of[row[2]])

    @cached_property
    def rebased(self):
        """`rebased_targets`, worked out once: the pass over the figures and rule 3b ask."""
        return rebased_targets(self)

    def wanted(self):
        """What the rules over a few figures look up, known before the figures are read: years
        of (subject, metric) pairs, (subject, metric) pairs with all their years, metrics with
        all their figures, and the years of (kind of subject, metric) of the stated 合计 of
        actuals."""
        keys, pairs = defaultdict(set), set()
        for t in self.targets:
            if t.baseline_value is not None:  # rule 3: a plan's base against the actual
                keys[(t.subject_id, t.metric_id)].add(t.baseline_year)
            if t.counted_in_id:  # rule 3b: another basis
                pairs.add((t.subject_id, t.counted_in_id))
        for t in self.rebased:  # rule 3b: a status that depends on the base
            pairs.add((t.subject_id, t.metric_id))
        # Rules 3 and 3b: the documents' text; and the stock a “新增” count adds to, which
        # rule 3b looks up only where a document states that stock.
        for st in self.statements:
            pairs.add((st.subject_id, st.metric_id))
        metrics = {m.pk for m in self.metric_of.values() if m.unit.endswith("/亩")}
        metrics |= {m.pk for m in self.metric_of.values() if m.increment_of_id}  # “新增” counts
        totalled = defaultdict(set)
        for t in self.totals:
            if t.role == StatedTotal.Role.ACTUAL:
                totalled[(t.scope, t.metric_id)].add(t.year)
        return keys, pairs, metrics, totalled

    @cached_property
    def _read(self):
        """The one pass over every whole-year actual (see the class's docstring)."""
        keys, pairs, metrics, totalled = self.wanted()
        kind_of = {s.pk: s.kind for s in self.subjects}
        order_of = {s.pk: s.order for s in self.subjects}
        additive = {m.pk for m in self.metric_of.values() if m.metric_kind.additive}
        # `year_on_year` passes over rates, a figure within the threshold and a zero after zero.
        rates = {m.pk for m in self.metric_of.values() if m.kind == Metric.Kind.RATE}
        expected = expected_parts(self)
        limit = threshold()
        district = Subject.Kind.DISTRICT
        kept, jumps, parts = [], [], {}
        # (subject, metric) → (its first year, a bit for each year with a figure from that one)
        years = {}
        figure = self.figure
        # The rows come by subject, metric and year: what depends on the subject and metric
        # alone is decided once for each pair's years.
        for pair, group in groupby(self.rows(), key=itemgetter(1, 2)):
            subject_id, metric_id = pair
            rows = list(group)
            kind = kind_of[subject_id]
            first, mask = rows[0][3], 0
            for row in rows:
                mask |= 1 << (row[3] - first)
            years[pair] = (first, mask)
            # The figures a rule over a few figures may look up (rule 2: the district's;
            # rule 1: those a stated 合计 of actuals adds up).
            if kind == district or pair in pairs or metric_id in metrics:
                kept += map(figure, rows)
            elif pair in keys or (kind, metric_id) in totalled:
                wanted = keys.get(pair, set()) | totalled.get((kind, metric_id), set())
                kept += (figure(row) for row in rows if row[3] in wanted)
            if metric_id not in rates:
                for previous, row in pairwise(rows):
                    if previous[3] != row[3] - 1:
                        continue
                    # `moved_beyond`, written out (a hundred and forty thousand pairs at scale).
                    before, value = previous[4], row[4]
                    if abs(value - before) * 100 > limit * abs(before) if before else value:
                        jumps.append((figure(row), figure(previous)))
            if kind in PART_KINDS and metric_id in additive:
                order = order_of[subject_id]
                counted = subject_id in expected.get((kind, metric_id), ())
                for row in rows:
                    part = parts.get((kind, metric_id, row[3]))
                    if part is None:
                        part = parts[(kind, metric_id, row[3])] = PartSum()
                    part.summed += row[4]
                    part.ids.append(row[0])
                    part.orders.append(order)
                    part.expected += counted
        kept.sort(key=self.in_order)
        jumps.sort(key=lambda jump: self.in_order(jump[0]))
        return kept, jumps, parts, years

    @property
    def actuals(self):
        """The kept whole-year actuals (`keeps`) as `YearFigure`s, in the actuals' order."""
        return self._read[0]

    @property
    def jumps(self):
        """(figure, the figure of the year before) wherever the change is beyond the
        threshold, or from zero, in the actuals' order."""
        return self._read[1]

    @property
    def part_sums(self):
        """(kind of subject, metric, year) → `PartSum` of the chains' and localities' figures
        of the metrics that add up."""
        return self._read[2]

    def has(self, subject_id, metric_id, year):
        """Whether a whole-year actual of that subject, metric and year was read."""
        first, mask = self._read[3].get((subject_id, metric_id), (year, 0))
        return year >= first and bool(mask >> (year - first) & 1)

    def latest_year(self):
        years = [first + mask.bit_length() - 1 for first, mask in self._read[3].values()]
        return max(years) if years else None

    @cached_property
    def by_key(self):
        return {(a.subject_id, a.metric_id, a.year): a for a in self.actuals}

    def of_pair(self, subject_id, metric_id):
        """The actuals of one subject and metric, in `actuals` order (indexed once)."""
        if self._by_pair is None:
            self._by_pair = defaultdict(list)
            for a in self.actuals:
                self._by_pair[(a.subject_id, a.metric_id)].append(a)
        return self._by_pair.get((subject_id, metric_id), [])

    @cached_property
    def totals(self):
        """Every stated 合计 with its metric, plan and document."""
        return list(StatedTotal.objects.select_related("metric", "plan", "document"))

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
    # Each total adds up the targets or actuals of one kind of subject and one metric (or
    # printed in its column): those are looked for among that kind's and metric's only.
    of_kind = defaultdict(list)
    for t in data.targets:
        of_kind[(t.subject.kind, t.metric_id)].append(t)
        if t.counted_in_id and t.counted_in_id != t.metric_id:
            of_kind[(t.subject.kind, t.counted_in_id)].append(t)
    actuals_of_kind = defaultdict(list)
    for a in data.actuals:
        actuals_of_kind[(a.subject.kind, a.metric_id)].append(a)
    for total in data.totals:
        key = (total.scope, total.metric_id)
        rows = Rows(of_kind[key], actuals_of_kind[key])
        parts = total_parts(rows, total)
        if not parts:
            continue
        summed = sum(parts, Decimal(0))
        if not differs(total.value, summed):
            continue
        message = Text(
            gettext_noop(
                "{where}：{year}{metric}合计 {stated} {unit}，{count} 个{scope}分项之和为 "
                "{summed} {unit}，相差 {difference} {unit}。"
            ),
            where=where(total),
            year=Text(gettext_noop("{year}年"), year=total.year) if total.year else "",
            metric=name(total.metric),
            stated=number(total.value),
            unit=unit(total.metric),
            count=len(parts),
            scope=total.get_scope_display(),
            summed=number(summed),
            difference=formatting.exact_signed(total.value - summed),
        )
        source = document_source(total.document, total.source)
        found.append(
            finding(
                "total",
                None,
                total.metric,
                total.year,
                message,
                source,
                summed,
                total.value,
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


Rows = namedtuple("Rows", "targets actuals")  # what `total_parts` reads
_Kind = namedtuple("_Kind", "kind")
_TargetRow = namedtuple(
    "_TargetRow",
    "subject metric_id counted_in_id plan_id document_id "
    "baseline_year baseline_value target_year target_value",
)
_ActualRow = namedtuple("_ActualRow", "subject metric_id year value")


class KindRows:
    """What the 合计 rows of one kind of subject add up, as `total_parts` reads them from
    `Data`: that kind's targets of the totals' metrics, and its whole-year actuals of the
    metrics and years the totals state (two queries at most, drafts included as in `Data`),
    read as plain values."""

    def __init__(self, scope, totals, published_only=False):
        kind = _Kind(scope)
        metrics = {t.metric_id for t in totals}
        targets = Target.objects.filter(subject__kind=scope).order_by()
        targets = targets.filter(Q(metric_id__in=metrics) | Q(counted_in_id__in=metrics))
        fields = _TargetRow._fields[1:]
        self.targets = [_TargetRow(kind, *row) for row in targets.values_list(*fields)]
        if not totals:
            self.targets = []
        stated = [t for t in totals if t.role == StatedTotal.Role.ACTUAL]
        self.actuals = []
        if stated:
            actuals = Actual.objects.full_year().filter(
                subject__kind=scope,
                metric_id__in={t.metric_id for t in stated},
                year__in={t.year for t in stated},
            )
            if published_only:  # a public list's 合计 adds the approved figures only
                actuals = actuals.published()
            fields = _ActualRow._fields[1:]
            self.actuals = [_ActualRow(kind, *row) for row in actuals.values_list(*fields)]


def stated_total_lines(scope, plan=None, data=None, published_only=False):
    """The 合计 rows a document prints for one kind of subject (chain, locality, park), each
    with the sum of its rows, for the lists and the report's sheets; with `plan`, only the
    plan's own totals and those its document prints. Without `data`, only the rows of that
    kind the totals add up are read (`KindRows`), not every figure."""
    lines = {}
    totals = StatedTotal.objects.filter(scope=scope).select_related("metric", "plan", "document")
    if plan is not None:
        totals = totals.filter(Q(plan=plan) | Q(plan__isnull=True, document_id=plan.document_id))
    totals = list(totals.order_by("document", "source", "metric__order"))
    data = data or KindRows(scope, totals, published_only)
    for total in totals:
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
    if total.plan_id:
        return in_plan(total.plan, total.source)
    return in_document(total.document, total.source)


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
    # (The total's fields read once: a model's foreign keys are read through a descriptor.)
    scope, metric_id = total.scope, total.metric_id
    plan_id, document_id = total.plan_id, total.document_id
    rows = [
        t
        for t in data.targets
        if t.subject.kind == scope and metric_id in (t.metric_id, t.counted_in_id)
        if (t.plan_id == plan_id if plan_id else t.document_id == document_id)
    ]
    if total.role == StatedTotal.Role.BASELINE:
        return [t.baseline_value for t in rows if t.baseline_year == total.year]
    return [t.target_value for t in rows if t.target_year == total.year]


# -- rule 2: the district's actual against the sum of its chains' or localities' -------------


def expected_parts(data):
    """(kind of subject, metric) → the subjects a plan sets a target for."""
    expected = defaultdict(set)
    for t in data.targets:
        expected[(t.subject.kind, t.metric_id)].add(t.subject_id)
    return expected


def aggregates(data):
    """Each of the district's figures of a metric that adds up, against the sum of its chains'
    or localities' figures of that year (`Data.part_sums`, added up as they are read)."""
    found = []
    expected = expected_parts(data)
    for district in data.actuals:
        if district.subject.kind != Subject.Kind.DISTRICT:
            continue
        if not district.metric.metric_kind.additive:
            continue
        for kind in PART_KINDS:
            part = data.part_sums.get((kind, district.metric_id, district.year))
            # A subject has one whole-year figure a year: every expected subject has one when
            # as many of the parts are theirs (with none expected, the parts are what is wanted).
            wanted = len(expected.get((kind, district.metric_id), ()))
            if part is None or part.expected < wanted:
                continue  # not all parts entered yet: completeness lists what is missing
            if not differs(district.value, part.summed):
                continue
            found.append(aggregate_finding(district, part.ordered_ids(), part.summed, kind))
    return found


def aggregate_finding(district, part_ids, summed, kind):
    metric = district.metric
    message = Text(
        gettext_noop(
            "{year}年{subject}{metric} {stated} {unit}，{count} 个{kind}之和为 {summed} {unit}，"
            "相差 {difference} {unit}。"
        ),
        year=district.year,
        subject=district.subject,
        metric=name(metric),
        stated=number(district.value),
        unit=unit(metric),
        count=len(part_ids),
        kind=Subject.Kind(kind).label,
        summed=number(summed),
        difference=formatting.exact_signed(district.value - summed),
    )
    ids = (district.pk, *part_ids)
    return finding(
        "aggregate",
        district.subject,
        metric,
        district.year,
        message,
        locator(district.source),
        summed,
        district.value,
        scope=kind,
        actual_ids=ids,
    )


# -- rule 3: the same quantity stated differently in two places -----------------------------


def restatements(data):
    found = []
    targets_of = defaultdict(list)
    for target in data.targets:
        targets_of[(target.subject_id, target.metric_id)].append(target)
    for statement in data.statements:
        for target in targets_of.get((statement.subject_id, statement.metric_id), []):
            if target.document_id != statement.document_id:
                continue  # across documents, rule 3 compares the plans' baselines below
            for year, value in target_values(target):
                if year == statement.year and value is not None:
                    found += restated(statement, statement.value, value, locator(target.source))
        actual = data.by_key.get((statement.subject_id, statement.metric_id, statement.year))
        if actual is not None:
            found += restated(statement, statement.value, actual.value, locator(actual.source))
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
    message = Text(
        gettext_noop(
            "{subject}{year}年{metric}：{where}为 {stated} {unit}，“{other_source}”为 {other} {unit}。"
        ),
        subject=statement.subject,
        year=statement.year,
        metric=name(statement.metric),
        where=in_document(statement.document, statement.source),
        stated=number(stated),
        unit=unit(statement.metric),
        other_source=other_source,
        other=number(other),
    )
    source = joined([document_source(statement.document, statement.source), other_source])
    return [
        finding(
            "restated",
            statement.subject,
            statement.metric,
            statement.year,
            message,
            source,
            other,
            stated,
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
    metric = first.metric
    values = {
        "plan": first.plan,
        "source": locator(first.source),
        "value": number(first.baseline_value),
    }
    values["unit"] = unit(metric)
    if other is not None:
        where = Text(
            gettext_noop(
                "《{plan}》{source}为 {value} {unit}，《{other_plan}》{other_source}为 {other} {unit}。"
            ),
            other_plan=other.plan,
            other_source=locator(other.source),
            other=number(other.baseline_value),
            **values,
        )
        source = document_source(other.document, other.source)
        stated, expected = first.baseline_value, other.baseline_value
    else:
        where = Text(
            gettext_noop(
                "《{plan}》{source}基数为 {value} {unit}，实际值（{other_source}）为 {other} {unit}。"
            ),
            other_source=locator(actual.source),
            other=number(actual.value),
            **values,
        )
        source = locator(actual.source)
        stated, expected = actual.value, first.baseline_value
    message = Text(
        gettext_noop("{subject}{year}年{metric}：{where}"),
        subject=first.subject,
        year=first.baseline_year,
        metric=name(metric),
        where=where,
    )
    other_place = (other.document_id, other.source) if other is not None else actual.source
    key = ("baseline", first.document_id, first.source, other_place)
    source = once(key, lambda: joined([document_source(first.document, first.source), source]))
    return finding(
        "restated", first.subject, metric, first.baseline_year, message, source, expected, stated
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


def other_basis(data):
    """A target printed in another metric's column, with actuals of that column's metric."""
    found = []
    for t in data.targets:
        if not t.counted_in_id:
            continue
        for a in data.of_pair(t.subject_id, t.counted_in_id):
            message = Text(
                gettext_noop(
                    "{subject}：《{plan}》{source}的目标 {baseline} → {target} {unit}是{metric}"
                    "（列在“{column}”栏）；{year}年{column} {value} {column_unit}（{actual_source}）"
                    "口径不同，单独列示，不计算完成度与状态。"
                ),
                subject=t.subject,
                plan=t.plan,
                source=locator(t.source),
                baseline=number(t.baseline_value),
                target=number(t.target_value),
                unit=unit(t.metric),
                metric=name(t.metric),
                column=name(a.metric),
                year=a.year,
                value=number(a.value),
                column_unit=unit(a.metric),
                actual_source=locator(a.source),
            )
            source = joined([document_source(t.document, t.source), locator(a.source)])
            found.append(
                finding(
                    "basis",
                    t.subject,
                    a.metric,
                    a.year,
                    message,
                    source,
                    None,
                    a.value,
                    actual_ids=(a.pk,),
                )
            )
    return found


def rebased_targets(data):
    """The targets whose base year has another value stated somewhere (another plan's base or
    a document's restatement): only their status can depend on the base."""
    stated = defaultdict(set)
    for t in data.targets:
        if t.baseline_value is not None:
            stated[(t.subject_id, t.metric_id, t.baseline_year)].add(t.baseline_value)
    for st in data.statements:
        stated[(st.subject_id, st.metric_id, st.year)].add(st.value)
    return [
        t
        for t in data.targets
        if t.baseline_value is not None
        and len(stated[(t.subject_id, t.metric_id, t.baseline_year)]) > 1
    ]


def base_dependent_statuses(data):
    """Targets whose status differs on the two documents' bases (400 vs 442 firms)."""
    from indicators.domain import tracking

    rebased = data.rebased
    tracked = [
        tracking.assess_target(
            as_model(t), sorted(data.of_pair(t.subject_id, t.metric_id), key=lambda a: a.year)
        )
        for t in rebased
    ]
    found = []
    targets = {t.target.pk: t.target for t in tracked}
    # `bases` reads the other bases of these targets' own subjects and metrics only.
    pairs = {(t.subject_id, t.metric_id) for t in rebased}
    others = [t for t in data.targets if (t.subject_id, t.metric_id) in pairs]
    rows_by_target = tracking.bases(tracked, targets=others, statements=data.statements)
    for pk, rows in rows_by_target.items():
        if not tracking.base_dependent(rows):
            continue
        own, target = rows[0], targets[pk]
        by_base = [
            Text(
                gettext_noop("按{value}{unit}基数（{source}）R = {ratio}，{status}"),
                value=number(b.value),
                unit=unit(target.metric),
                source=b.source,
                ratio=formatting.number(b.assessment.ratio, 2),
                status=b.status.label,
            )
            for b in rows
        ]
        latest = own.assessment.latest
        message = Text(
            gettext_noop(
                "{subject}{metric}（{year}年 {value} {unit}）的状态随基数而异：{bases}。"
                "指标页同时列出两种评估，总览标注“随基数而异”。"
            ),
            subject=target.subject,
            metric=name(target.metric),
            year=latest.year,
            value=number(latest.value),
            unit=unit(target.metric),
            bases=joined(by_base),
        )
        source = joined([b.source for b in rows])
        subject, metric, year = target.subject, target.metric, target.baseline_year
        found.append(
            finding("basis", subject, metric, year, message, source, rows[1].value, own.value)
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
        near = [a for a in data.of_pair(st.subject_id, st.metric_id) if abs(a.year - st.year) == 1]
        for a in near:
            pct = change(a.value, st.value)
            if pct is None or abs(pct) <= threshold():
                continue
            message = Text(
                gettext_noop(
                    "{subject}{metric}：{where}称{year}年 {value}{unit}，“{other_source}”为{other_year}年"
                    " {other}{unit}，数量级不同，口径存疑；按原文保留，正文数值不作为实际值。"
                ),
                subject=st.subject,
                metric=name(st.metric),
                where=in_document(st.document, st.source),
                year=st.year,
                value=number(st.value),
                unit=unit(st.metric),
                other_source=locator(a.source),
                other_year=a.year,
                other=number(a.value),
            )
            source = joined([document_source(st.document, st.source), locator(a.source)])
            found.append(
                finding(
                    "basis",
                    st.subject,
                    st.metric,
                    st.year,
                    message,
                    source,
                    a.value,
                    st.value,
                    actual_ids=(a.pk,),
                )
            )
    return found


def increments(data):
    """A “新增” count against the difference of its stock in the same document."""
    found = []
    stock_bases = defaultdict(dict)  # (subject, stock metric) → {value: (year, source)}
    for st in data.statements:
        stock_bases[(st.subject_id, st.metric_id)].setdefault(
            (st.document_id, st.value), (st.year, in_document(st.document, st.source))
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
            message = Text(
                gettext_noop(
                    "{subject}{year}年{metric} {value} {unit}（{source}），而同一文件的存量 {stock} − "
                    "{base}（{base_year}年，{base_source}）= {difference} {unit}，两者不一致；"
                    "报告未注明“新增”的起算年份。"
                ),
                subject=a.subject,
                year=a.year,
                metric=name(a.metric),
                value=number(a.value),
                unit=unit(a.metric),
                source=locator(a.source),
                stock=number(stock.value),
                base=number(base),
                base_year=year,
                base_source=source,
                difference=number(difference),
            )
            ids = (a.pk, stock.pk)
            found.append(
                finding(
                    "basis",
                    a.subject,
                    a.metric,
                    a.year,
                    message,
                    joined([locator(a.source), source]),
                    difference,
                    a.value,
                    actual_ids=ids,
                )
            )
    return found


def per_mu(data):
    """亩均 figures say which area and which year they use; the report's is another measure."""
    return [
        finding(
            "basis",
            a.subject,
            a.metric,
            a.year,
            Text(
                gettext_noop("{subject}{metric} {value} {unit}（{source}）：{scope}"),
                subject=a.subject,
                metric=name(a.metric),
                value=number(a.value),
                unit=unit(a.metric),
                source=locator(a.source),
                scope=a.metric.scope,
            ),
            locator(a.source),
            None,
            a.value,
            actual_ids=(a.pk,),
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


EXPLAINED = Text(gettext_noop("已填写说明。"))
UNEXPLAINED = Text(gettext_noop("提交前须在“备注”中说明原因。"))


def moved_beyond(before, value, limit):
    """Whether a figure moved from `before` by more than `limit` percent either way, or away
    from zero (a zero after a zero did not move): |change| > limit, multiplied out."""
    if before == 0:
        return value != 0
    return abs(value - before) * 100 > limit * abs(before)


def year_on_year(actual, previous, limit=None):
    """A finding when `actual` moved beyond the threshold from `previous` (same subject);
    `limit`: the threshold, when the caller has read it."""
    if previous is None or actual.partial or actual.metric.kind == Metric.Kind.RATE:
        return None
    value = Decimal(str(actual.value))  # a form may hand over text
    limit = threshold() if limit is None else limit
    if not moved_beyond(previous.value, value, limit):
        return None
    pct = change(previous.value, value)
    metric = actual.metric
    if pct is not None:
        change_text = formatting.exact_signed(pct.quantize(Decimal("0.1")))
        moved = once(
            ("moved", change_text),
            lambda: Text(gettext_noop("变动 {change}%"), change=change_text),
        )
    else:
        moved = Text(
            gettext_noop("上年为 0，本年为 {value} {unit}"),
            value=number(actual.value),
            unit=unit(metric),
        )
    explained = EXPLAINED if actual.note.strip() else UNEXPLAINED
    message = Text(
        gettext_noop(
            "{subject}{year}年{metric} {value} {unit}，上年（{previous_year}年）为 {previous} {unit}，"
            "{moved}，超过 ±{limit}%；{explained}"
        ),
        subject=actual.subject,
        year=actual.year,
        metric=name(metric),
        value=number(value),
        unit=unit(metric),
        previous_year=previous.year,
        previous=number(previous.value),
        moved=moved,
        limit=number(limit),
        explained=explained,
    )
    source = locator(actual.source)
    return finding(
        "yoy",
        actual.subject,
        metric,
        actual.year,
        message,
        source,
        previous.value,
        value,
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
    limit = threshold()
    for actual, previous in data.jumps:
        if finding := year_on_year(actual, previous, limit):
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
        if not data.has(subject_id, metric_id, year):
            row.missing.append((subject, metric))
    order = {Subject.Kind.DISTRICT: 0, Subject.Kind.CHAIN: 1, Subject.Kind.LOCALITY: 2}
    return sorted(groups.values(), key=lambda r: (order.get(r.group.kind, 3), r.group.order))


def missing(data, year):
    found = []
    for row in completeness(year, data):
        for subject, metric in row.missing:
            message = Text(
                gettext_noop("{subject}{year}年“{metric}”尚无实际值。"),
                subject=subject,
                year=year,
                metric=name(metric),
            )
            found.append(
                finding("missing", subject, metric, year, message, "", scope=row.group.kind)
            )
    return found


def default_year(data):
    return data.latest_year()


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
    token = MADE.set({})
    try:
        for name, rule in RULES.items():
            if rules is None or name in rules:
                found += rule(data, year)
    finally:
        MADE.reset(token)
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
