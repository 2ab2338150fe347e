"""Targets joined with their actuals and the engine's assessment, for any subject.

Pages, tables, charts and the workbook all read figures through `track()`, so the
district, a chain, a locality and a park are assessed by the same code path, in a
fixed number of queries however many subjects or years there are.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from indicators.domain import period_figures, sources
from indicators.engine import progress
from indicators.engine.formatting import to_float
from indicators.models import Actual, Target, in_page_language


@dataclass(frozen=True)
class Tracked:
    """One target of one plan for one subject, with its actuals and their assessment."""

    target: Target
    actuals: tuple  # Actual rows for this subject and metric, by year and period within it
    assessment: progress.Assessment | None  # None when the document gives no baseline
    completion: object  # float or NotComputable; computed even without a baseline
    # Actuals of the column the document prints this target in (target.counted_in), on
    # another basis: shown as what they are, never assessed against this target.
    other_basis: tuple = ()

    @property
    def subject(self):
        return self.target.subject

    @property
    def metric(self):
        return self.target.metric

    @property
    def plan(self):
        return self.target.plan

    @property
    def status(self):
        return self.assessment.status if self.assessment else progress.Status.NO_DATA

    @property
    def latest(self):
        """The latest full-year actual, as an Actual row (partial-year figures never count)."""
        full = [a for a in self.actuals if not a.partial]
        return full[-1] if full else None

    @property
    def partial(self):
        """The latest part-year actual (1—N月累计, a quarter, a period in the document's words)."""
        partial = [a for a in self.actuals if a.partial]
        return partial[-1] if partial else None

    def latest_period(self, as_of=None):
        """The latest 1—N月 or quarter after the last full year, with 同比 and 预计全年."""
        return period_figures.latest_period(self.actuals, self.metric, as_of=as_of)

    @property
    def status_reason(self):
        """Why a figure has no status (无数据), in words an official can act on; else ""."""
        if self.status is not progress.Status.NO_DATA:
            return ""
        metric, Text, noop = self.metric, progress.Text, progress.gettext_noop
        if self.other_basis:
            other = self.target.counted_in
            last = self.other_basis[-1]
            return Text(
                noop("尚无{metric}实际值；{year}年{other}{value}{unit}口径不同，不据以评估"),
                metric=in_page_language(lambda: metric.display_name),
                year=last.year,
                other=in_page_language(lambda: other.display_name),
                value=_plain(last.value),
                unit=in_page_language(lambda: other.display_unit),
            )
        if self.target.baseline_value is None and self.latest is not None:
            return Text(noop("文件未列基数，只计算完成度，不判定进度状态"))
        if self.latest is None and self.partial is not None:
            message = noop("只有{period}数据，不单独判定状态")
            return Text(message, period=in_page_language(lambda: self.partial.period_label))
        if self.latest is None:
            return Text(noop("尚无全年实际值"))
        if self.assessment is not None and self.assessment.notes:
            return self.assessment.notes[0]
        return ""

    def actual_for(self, year):
        """The full-year actual of `year`, or else the latest part-year one of that year."""
        of_year = [a for a in self.actuals if a.year == year]
        full = [a for a in of_year if not a.partial]
        return (full or of_year or [None])[-1]


class Recorded(NamedTuple):
    """One figure as the report's sheets read it: the columns their cells print, without a
    model row (a sheet at scale reads tens of thousands: a named tuple is made several times
    faster than a frozen dataclass, and is as unchangeable)."""

    year: int
    value: object
    note: str = ""
    source: str = ""
    document_id: int | None = None
    period: str = Actual.Period.YEAR
    month: int | None = None
    quarter: int | None = None
    period_text: str = ""
    stated_growth: object = None

    Period = Actual.Period

    @property
    def partial(self):
        return self.period != Actual.Period.YEAR

    @property
    def period_label(self):
        return Actual.period_label.fget(self)

    @property
    def period_key(self):
        return Actual.period_key.fget(self)


# The columns of a Recorded, in its fields' order.
RECORDED = ("year", "value", "note", "source", "document_id", "period", "month", "quarter")
RECORDED += ("period_text", "stated_growth")


def _plain(value):
    """A stored figure as printed: 7, 1152.5 (no trailing zeros)."""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else f"{value}"


def points(actuals):
    return [progress.Point(a.year, a.value, a.partial) for a in actuals]


def actuals_by_pair(
    pairs,
    published_only=True,
    year=None,
    full_year=False,
    recent=False,
    year_before=False,
    values=False,
):
    """Actuals grouped by (subject_id, metric_id), for the given pairs, in one query
    (whole-year ones only with `full_year`; with `recent`, part-year ones only after the
    figure's last whole year, and with `year_before` those of that year too; with `values`,
    as `Recorded` figures instead of model rows)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    queryset = (
        Actual.objects.filter(
            subject_id__in={s for s, _ in pairs}, metric_id__in={m for _, m in pairs}
        )
        .defer("updated", "review_comment")  # read on every row, shown by no page
        .order_by("year")
    )
    if published_only:
        queryset = queryset.published()
    if full_year:
        queryset = queryset.full_year()
    if recent:
        # A part-year figure of a year that has (or is followed by) a whole year is left out.
        whole = Actual.objects.full_year().filter(
            subject_id=OuterRef("subject_id"),
            metric_id=OuterRef("metric_id"),
        )
        whole = (
            whole.filter(year__gt=OuterRef("year"))
            if year_before
            else whole.filter(year__gte=OuterRef("year"))
        )
        if published_only:
            whole = whole.published()
        if year is not None:
            whole = whole.filter(year__lte=year)
        queryset = queryset.filter(Q(period=Actual.Period.YEAR) | ~Exists(whole))
    if year is not None:
        # The year in progress after `year` counts for its part-year figures (1—10月),
        # shown beside the full year; the engine never assesses them.
        in_progress = Q(year=year + 1) & ~Q(period=Actual.Period.YEAR)
        queryset = queryset.filter(Q(year__lte=year) | in_progress)
    grouped = defaultdict(list)
    if values:
        for subject, metric, *row in queryset.values_list("subject_id", "metric_id", *RECORDED):
            if (subject, metric) in pairs:
                grouped[subject, metric].append(Recorded(*row))
        queryset = ()
    for actual in queryset:
        key = (actual.subject_id, actual.metric_id)
        if key in pairs:
            grouped[key].append(actual)
    for actuals in grouped.values():
        actuals.sort(key=lambda a: a.period_key)
    return grouped


def assess_target(target, actuals, year=None):
    figure = target.figure()
    if figure is not None:
        assessment = progress.assess(figure, points(actuals), year=year)
        return Tracked(target, tuple(actuals), assessment, assessment.completion)
    # No baseline in the document: completion (actual ÷ target) is still meaningful.
    latest = progress.latest(points(actuals))
    if latest is None:
        completion = progress.NotComputable(progress.Text(progress.gettext_noop("尚无实际值")))
    else:
        stand_in = progress.Figure(
            target.baseline_year,
            0,
            target.target_year,
            target.target_value,
            direction=progress.Direction(target.metric.direction),
        )
        completion = progress.completion(stand_in, latest.value)
    return Tracked(target, tuple(actuals), None, completion)


def latest_actuals(targets, year=None, published_only=True):
    """{(subject_id, metric_id): the latest whole-year Actual} of every target in `targets` (a
    queryset), and of the column each is counted in (`counted_in`), as of `year`: the
    database picks each figure's latest year (one index lookup a figure), so the earlier
    years are never read. Two queries: the figures' own actuals, and those they are counted in."""

    def latest(field):
        found = Actual.objects.full_year().filter(
            subject_id=OuterRef("subject_id"), metric_id=OuterRef(field)
        )
        if published_only:
            found = found.published()
        if year is not None:
            found = found.filter(year__lte=year)
        return Subquery(found.order_by("-year").values("pk")[:1])

    targets = targets.order_by()
    counted = targets.filter(counted_in__isnull=False)
    grouped = {}
    for keys in (
        targets.annotate(latest=latest("metric_id")),
        counted.annotate(latest=latest("counted_in_id")),
    ):
        found = Actual.objects.filter(pk__in=keys.values("latest"))
        for a in found.defer("updated", "review_comment"):
            grouped[a.subject_id, a.metric_id] = [a]
    return grouped


def track(targets, *args, **kwargs):
    """Every target of `targets` assessed, as a list (`assessed`)."""
    return list(assessed(targets, *args, **kwargs))


def assessed(
    targets,
    year=None,
    published_only=True,
    full_year=False,
    recent=False,
    year_before=False,
    values=False,
    latest=False,
):
    """Assess every target in `targets` (a queryset or list) as of `year` (default: latest).

    One target at a time, for a caller that keeps less than every `Tracked`. Two queries
    in all: the targets with their plan, subject and metric, and the actuals.
    With `full_year`, whole-year actuals only: for tables that show no part-year figure
    (the status, the assessment and its numbers are the same; `partial` and
    `latest_period` are then empty). With `recent`, part-year actuals only after each
    figure's last whole year: the assessment, its notes, `partial` and `status_reason` are
    the same, but `latest_period` lacks the year before's same period (for tables that show
    no 同比 or 预计全年: the report's sheets). With `year_before` too, the part-year actuals of
    the last whole year are kept as well, and `latest_period` (同比, 预计全年) is the same.
    With `values`, `actuals` are `Recorded` figures (no model rows: for reading thousands).
    With `latest` (`targets` a queryset), only each figure's latest whole-year actual: the
    status, completion, latest value, growth rates and projection are the same (they depend on
    that value alone), the notes on earlier years (gaps, a single value), the status history
    and `other_basis` before its last value are not — for long lists that show those columns
    and read a page's notes with a full `track()`.
    """
    if latest:
        grouped = latest_actuals(targets, year=year, published_only=published_only)
    if hasattr(targets, "select_related"):
        targets = one_of_each(targets.select_related(*RELATED))
    targets = list(targets)
    pairs = [(t.subject_id, t.metric_id) for t in targets]
    pairs += [(t.subject_id, t.counted_in_id) for t in targets if t.counted_in_id]
    if not latest:
        grouped = actuals_by_pair(
            pairs,
            published_only=published_only,
            year=year,
            full_year=full_year,
            recent=recent,
            year_before=year_before,
            values=values,
        )
    for t in targets:
        one = assess_target(t, grouped.get((t.subject_id, t.metric_id), []), year=year)
        if t.counted_in_id:
            other = [a for a in grouped.get((t.subject_id, t.counted_in_id), []) if not a.partial]
            one = replace(one, other_basis=tuple(other))
        yield one


RELATED = ("plan", "subject", "metric", "document")


def one_of_each(targets):
    """The targets as the joined query reads them, with one plan, subject, metric and document
    object for all the targets that share it. The join makes a copy of each for every row: at
    scale (ten thousand targets, a few plans and metrics, four thousand subjects) the copies
    held some 40 MB at once; read a chunk at a time, each is let go once its row is read."""
    shared = {}
    for t in targets.iterator(chunk_size=2000):
        cache = t._state.fields_cache
        for name in RELATED:
            related = cache.get(name)
            if related is not None:
                cache[name] = shared.setdefault((name, related.pk), related)
        yield t


def statuses(targets, year=None, published_only=True):
    """{target pk: Status} for every target in `targets` (a queryset), as track() judges them
    as of `year` — from each one's latest full-year value, the only actual a status depends
    on. One query, whatever the number of targets and years: no actual is read as a row."""
    latest = Actual.objects.full_year().filter(
        subject_id=OuterRef("subject_id"), metric_id=OuterRef("metric_id")
    )
    if published_only:
        latest = latest.published()
    if year is not None:
        latest = latest.filter(year__lte=year)
    latest = latest.order_by("-year")
    targets = targets.select_related("metric").annotate(
        latest_year=Subquery(latest.values("year")[:1]),
        latest_value=Subquery(latest.values("value")[:1]),
    )
    found = {}
    for target in targets:
        figure = target.figure()
        if figure is None or target.latest_year is None:
            found[target.pk] = progress.Status.NO_DATA
        else:
            point = progress.Point(target.latest_year, target.latest_value)
            found[target.pk] = progress.status(figure, point)
    return found


@dataclass(frozen=True)
class Summary:
    """What a long list sorts, filters and counts a figure by, as `track()` gives it: its
    status and the numbers its row shows (floats as `formatting.to_float` gives them, None
    where not computable) — all of them follow from the latest whole-year value alone."""

    status: progress.Status
    latest_year: int | None
    latest: float | None
    completion: float | None
    planned_growth: float | None
    required_growth: float | None


def summaries(targets, year=None, published_only=True):
    """{target pk: Summary} for every target in `targets` (a queryset), as of `year`: two
    queries (the targets, each figure's latest whole-year actual), no earlier year read."""
    found = {}
    # Each figure's summary is all that is kept of it (at scale, ten thousand `Tracked` with
    # their assessments would be held at once).
    for t in assessed(targets, year=year, published_only=published_only, latest=True):
        latest, a = t.latest, t.assessment
        found[t.target.pk] = Summary(
            status=t.status,
            latest_year=latest.year if latest else None,
            latest=to_float(latest.value) if latest else None,
            completion=to_float(t.completion),
            planned_growth=to_float(a.planned_growth) if a else None,
            required_growth=to_float(a.required_growth) if a else None,
        )
    return found


@dataclass(frozen=True)
class Base:
    """The assessment of one target on one document's base for the base year."""

    value: object  # Decimal: the base
    source: str  # where this base is printed
    own: bool  # the target's own base (as its plan prints it)
    assessment: progress.Assessment

    @property
    def status(self):
        return self.assessment.status


def bases(tracked_list, year=None, targets=None, statements=None):
    """{target pk: [Base, …]} for targets whose base year two documents state differently.

    The target's own base comes first; every other base (another plan's, or a document's
    restatement) is assessed at the plan's own pace (`progress.rebased`). Two queries, or
    none when the caller hands over the targets and statements it has already read.
    """
    from indicators.models import Statement

    wanted = [
        ((t.subject.pk, t.metric.pk, t.target.baseline_year), t)
        for t in tracked_list
        if t.assessment is not None
    ]
    if not wanted:
        return {}
    subjects = {k[0] for k, _ in wanted}
    metrics = {k[1] for k, _ in wanted}
    others = defaultdict(dict)  # key → {value: source}
    if targets is None:
        targets = Target.objects.filter(subject__in=subjects, metric__in=metrics)
        targets = targets.select_related("plan")
    if statements is None:
        statements = Statement.objects.filter(subject__in=subjects, metric__in=metrics)
        statements = statements.select_related("document")
    for target in targets:
        if target.baseline_value is not None:
            key = (target.subject_id, target.metric_id, target.baseline_year)
            others[key].setdefault(
                target.baseline_value, sources.in_plan(target.plan, target.source)
            )
    for st in statements:
        key = (st.subject_id, st.metric_id, st.year)
        others[key].setdefault(st.value, sources.in_document(st.document, st.source))
    found = {}
    for key, tracked in wanted:
        own = tracked.target.baseline_value
        alternatives = {v: src for v, src in others.get(key, {}).items() if v != own}
        if not alternatives:
            continue
        fig, pts = tracked.assessment.figure, tracked.assessment.points
        rows = [
            Base(
                own, sources.in_plan(tracked.plan, tracked.target.source), True, tracked.assessment
            )
        ]
        for value, source in sorted(alternatives.items()):
            rebased = progress.assess(progress.rebased(fig, value), pts, year=year)
            rows.append(Base(value, source, False, rebased))
        found[tracked.target.pk] = rows
    return found


def base_dependent(rows):
    """True when the status differs from one base to another."""
    return len({b.status for b in rows}) > 1


def latest_year(published_only=True):
    """The latest year any full-year actual exists for, or None."""
    queryset = Actual.objects.full_year()
    if published_only:
        queryset = queryset.published()
    return queryset.order_by("-year").values_list("year", flat=True).first()


# The order of periods within a year (periods.sort_key) as one number for SQL: months by their
# end, quarters by their end month, the year after both, a period of the document's own
# wording first.
WITHIN_YEAR = Case(
    When(period=Actual.Period.MONTHS, then=F("month") * 10 + 1),
    When(period=Actual.Period.QUARTER, then=F("quarter") * 30 + 2),
    When(period=Actual.Period.YEAR, then=Value(123)),
    default=Value(0),
    output_field=IntegerField(),
)


def recorded(subjects, published_only=True):
    """Every figure recorded for these subjects, with or without a target: each actual with
    its metric, period and source, in the order of the subjects and their metrics, then by
    year and period within the year (as `Actual.period_key`). A queryset ordered in SQL, so a
    page shows one page of it without reading the rest."""
    queryset = Actual.objects.filter(subject__in=subjects).select_related(
        "subject", "metric", "document"
    )
    if published_only:
        queryset = queryset.published()
    return queryset.order_by(
        "subject__kind", "subject__order", "metric__order", "metric_id", "year", WITHIN_YEAR, "pk"
    )


def untracked_actuals(year=None, published_only=True):
    """Approved figures no target tracks, and every partial period, up to `year` (a partial
    period of the following year included: the latest months reported while the report's
    year is the last full one). A January–month N figure is left out once a later month or
    the whole year of the same year is in: a cumulative figure is superseded by the next
    (1—10月 by 1—11月, and by the year).

    Chosen in SQL, so fifteen years of monthly figures for every subject are never read as
    rows: each subject's metric is summed up, its whole years from their index and its part
    years in one pass (`_figure_years`); the targets are read as keys; the years whose latest
    months stand are looked for only where and from when a year may lack its whole figure
    (after the last whole year, where the whole years run without a gap); then only the rows
    listed are read (five queries, four when no year can lack its whole figure)."""
    actuals = Actual.objects.all()
    if published_only:
        actuals = actuals.published()
    if year is not None:
        actuals = actuals.filter(year__lte=year + 1)
    tracked = set(Target.objects.order_by().values_list("subject_id", "metric_id"))
    untracked, stated, gaps = set(), set(), {}
    for pair, whole, others, parts in _figure_years(actuals):
        # A value on another basis than its target (the IT chain's 产值) is untracked: listed.
        if whole and (year is None or whole[0] <= year) and pair not in tracked:
            untracked.add(pair)
        if others:
            stated.add(pair)
        if not parts:
            continue
        # With every year from the first whole one to the last in (a year has one whole
        # figure) and no part year before them, only months after the last whole year can
        # stand (the years of any part-year figure count: a quarter's year is looked at too).
        first, last, count = whole or (None, None, 0)
        if count and count == last - first + 1 and first <= parts[0]:
            if parts[1] > last:
                gaps[pair] = last + 1
        else:
            gaps[pair] = parts[0]
    standing = _standing_months(actuals, gaps)
    wanted = Q(period__in=(Actual.Period.QUARTER, Actual.Period.OTHER))
    if untracked:
        wanted |= Q(period=Actual.Period.YEAR)
    if standing:
        wanted |= Q(
            period=Actual.Period.MONTHS,
            year__in={y for _, _, y in standing},
            month__in=set(standing.values()),
        )
    listed = untracked | stated | {(s, m) for s, m, _ in standing}
    if not listed:
        return []
    queryset = actuals.filter(
        wanted,
        subject_id__in={s for s, _ in listed},
        metric_id__in={m for _, m in listed},
    ).select_related("subject", "metric", "document")
    if year is not None:
        partial = ~Q(period=Actual.Period.YEAR)
        queryset = queryset.filter(Q(year__lte=year) | (partial & Q(year=year + 1)))
    found = [
        a
        for a in queryset.order_by()
        if a.period in (Actual.Period.QUARTER, Actual.Period.OTHER)
        or (a.period == Actual.Period.YEAR and (a.subject_id, a.metric_id) in untracked)
        or (
            a.period == Actual.Period.MONTHS
            and standing.get((a.subject_id, a.metric_id, a.year)) == a.month
        )
    ]
    return sorted(
        found, key=lambda a: (a.subject.kind, a.subject.order, a.metric.order, a.period_key)
    )


def _figure_years(actuals):
    """(pair, its whole years as (first, last, count) or None, the first and last year of its
    part-year figures or None, how many of those are quarters or periods in the document's
    words) for every (subject_id, metric_id) among `actuals`: the whole years from their own
    index (no table page read), the part years in one pass grouped by figure (a few thousand
    groups, not one a year)."""
    figures = defaultdict(lambda: [None, None, 0])
    wholes = (
        actuals.full_year()
        .order_by()
        .values("subject_id", "metric_id")
        .annotate(first=Min("year"), last=Max("year"), count=Count("pk"))
        .values_list("subject_id", "metric_id", "first", "last", "count")
    )
    for subject, metric, first, last, count in wholes:
        figures[subject, metric][0] = (first, last, count)
    parts = (
        actuals.part_year()
        .order_by()
        .values("subject_id", "metric_id")
        .annotate(
            first=Min("year"),
            last=Max("year"),
            others=Count("pk", filter=~Q(period=Actual.Period.MONTHS)),
        )
        .values_list("subject_id", "metric_id", "first", "last", "others")
    )
    for subject, metric, first, last, others in parts:
        figures[subject, metric][1:] = ((first, last), others)
    for pair, (whole, part, others) in figures.items():
        yield pair, whole, others, part


def _standing_months(actuals, pairs):
    """{(subject_id, metric_id, year): the latest month} of each year that has months and no
    whole-year figure (its latest month supersedes the earlier ones), for `pairs`
    {(subject_id, metric_id): the first year that may lack its whole figure}."""
    if not pairs:
        return {}
    months = (
        actuals.filter(
            period__in=(Actual.Period.MONTHS, Actual.Period.YEAR),
            subject_id__in={s for s, _ in pairs},
            metric_id__in={m for _, m in pairs},
            year__gte=min(pairs.values()),
        )
        .order_by()
        .values("subject_id", "metric_id", "year")
        .annotate(
            last=Max("month", filter=Q(period=Actual.Period.MONTHS)),
            whole=Count("pk", filter=Q(period=Actual.Period.YEAR)),
        )
        .filter(whole=0, last__isnull=False)
        .values_list("subject_id", "metric_id", "year", "last")
    )
    return {(s, m, y): month for s, m, y, month in months if (s, m) in pairs}
