"""Targets joined with their actuals and the engine's assessment, for any subject.

Pages, tables, charts and the workbook all read figures through `track()`, so the
district, a chain, a locality and a park are assessed by the same code path, in a
fixed number of queries however many subjects or years there are.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from indicators.domain import period_figures
from indicators.engine import progress
from indicators.models import Actual, Target


@dataclass(frozen=True)
class Tracked:
    """One target of one plan for one subject, with its actuals and their assessment."""

    target: Target
    actuals: tuple  # Actual rows for this subject and metric, by year and period within it
    assessment: progress.Assessment | None  # None when the document gives no baseline
    completion: object  # float or NotComputable; computed even without a baseline

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

    def actual_for(self, year):
        """The full-year actual of `year`, or else the latest part-year one of that year."""
        of_year = [a for a in self.actuals if a.year == year]
        full = [a for a in of_year if not a.partial]
        return (full or of_year or [None])[-1]


def points(actuals):
    return [progress.Point(a.year, a.value, a.partial) for a in actuals]


def actuals_by_pair(pairs, published_only=True, year=None):
    """Actuals grouped by (subject_id, metric_id), for the given pairs, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    queryset = Actual.objects.filter(
        subject_id__in={s for s, _ in pairs}, metric_id__in={m for _, m in pairs}
    ).order_by("year")
    if published_only:
        queryset = queryset.published()
    if year is not None:
        # The year in progress after `year` counts for its part-year figures (1—10月),
        # shown beside the full year; the engine never assesses them.
        in_progress = Q(year=year + 1) & ~Q(period=Actual.Period.YEAR)
        queryset = queryset.filter(Q(year__lte=year) | in_progress)
    grouped = defaultdict(list)
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


def track(targets, year=None, published_only=True):
    """Assess every target in `targets` (a queryset or list) as of `year` (default: latest).

    Two queries in all: the targets with their plan, subject and metric, and the actuals.
    """
    if hasattr(targets, "select_related"):
        targets = targets.select_related("plan", "subject", "metric", "document")
    targets = list(targets)
    grouped = actuals_by_pair(
        ((t.subject_id, t.metric_id) for t in targets), published_only=published_only, year=year
    )
    return [
        assess_target(t, grouped.get((t.subject_id, t.metric_id), []), year=year) for t in targets
    ]


def latest_year(published_only=True):
    """The latest year any full-year actual exists for, or None."""
    queryset = Actual.objects.full_year()
    if published_only:
        queryset = queryset.published()
    return queryset.order_by("-year").values_list("year", flat=True).first()
