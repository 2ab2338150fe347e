"""Closing a plan: the final assessment (终期评估) once its target year has passed.

Each figure of the plan gets its final value (the whole-year actual of the target year),
completion and a verdict: 达成 or 未达成 by the engine's own target-year rule, or 待补数 while
the target year's whole-year figure is not in. For those, the latest part-year figure of
the target year is shown as 预计 (never as a verdict: part-year figures decide nothing).

Which plan is current and which has ended is read from the plans' years, never written
into code: the next plan is data.
"""

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from indicators.domain import period_figures, tracking
from indicators.engine import progress
from indicators.models import Actual, Document, Metric, Plan, Subject, Target

# The district first, then chains, localities and parks, as the documents list them.
KIND_ORDER = {
    kind: index
    for index, kind in enumerate(
        [Subject.Kind.DISTRICT, Subject.Kind.CHAIN, Subject.Kind.LOCALITY, Subject.Kind.PARK]
    )
}


class Verdict(Enum):
    ACHIEVED = "达成"
    MISSED = "未达成"
    PENDING = "待补数"

    @property
    def label(self):
        return self.value


VERDICT_ORDER = (Verdict.ACHIEVED, Verdict.MISSED, Verdict.PENDING)


def today_year(today=None):
    return (today or timezone.localdate()).year


def has_ended(plan, today=None):
    """A plan has ended once its target year is over."""
    return plan.target_year < today_year(today)


@dataclass(frozen=True)
class PlanLine:
    """Which plans cover the chosen year, which are running this year, which have ended."""

    year: int
    this_year: int
    covering: list
    running: list
    ended: list


def all_plans():
    """Every plan, in the order the plan line names them."""
    return list(Plan.objects.order_by("base_year", "slug"))


def plans_for(year, today=None, plans=None):
    """The overview's plan line for `year`, read from the plans' own years (one query, none
    when `plans` gives them, as `all_plans` reads them)."""
    plans = all_plans() if plans is None else plans
    this_year = today_year(today)
    return PlanLine(
        year=year,
        this_year=this_year,
        covering=[p for p in plans if year and p.base_year < year <= p.target_year],
        running=[p for p in plans if p.base_year < this_year <= p.target_year],
        ended=[p for p in plans if has_ended(p, today)],
    )


def latest_ended(today=None):
    """The plan that ended last, or None."""
    return (
        Plan.objects.filter(target_year__lt=today_year(today))
        .order_by("-target_year", "slug")
        .first()
    )


@dataclass(frozen=True)
class FinalRow:
    """One figure of an ended plan at its target year."""

    tracked: tracking.Tracked
    final: object  # the target year's whole-year Actual, or None
    completion: object  # float or NotComputable
    verdict: Verdict
    period: object  # PeriodFigure for the target year while the final figure is missing

    @property
    def target(self):
        return self.tracked.target

    @property
    def last_full_year(self):
        """While the final figure is missing: the latest whole-year actual before the target
        year (2024's 715 家 for a 2025 target), shown beside 待补数 so a reader sees where the
        figure last stood; never a verdict."""
        if self.verdict is not Verdict.PENDING:
            return None
        earlier = [
            a
            for a in self.tracked.actuals
            if not a.partial and a.year < self.target.target_year and a.value is not None
        ]
        return max(earlier, key=lambda a: a.year, default=None)

    @property
    def missing(self):
        """What is still missing, in words, or an empty string."""
        if self.verdict is not Verdict.PENDING:
            return ""
        return _missing(self.target.target_year)


@functools.cache
def _missing(year):
    """缺2025年全年数: one sentence for every figure of a plan (its thousands of rows share it)."""
    return progress.Text(progress.gettext_noop("缺{year}年全年数"), year=year)


@dataclass(frozen=True)
class FinalAssessment:
    plan: Plan
    rows: list

    @property
    def counts(self):
        counted = Counter(r.verdict for r in self.rows)
        return [(v, counted.get(v, 0)) for v in VERDICT_ORDER]

    @property
    def missing(self):
        return [r for r in self.rows if r.verdict is Verdict.PENDING]


def _stand_in(target):
    """The engine's figure for a target; a zero baseline where the document gives none
    (the verdict and completion only compare the final value with the target)."""
    figure = target.figure()
    if figure is not None:
        return figure
    return progress.Figure(
        target.baseline_year,
        0,
        target.target_year,
        target.target_value,
        direction=progress.Direction(target.metric.direction),
    )


NOT_IN_YET = progress.NotComputable("目标年份全年数尚未填报")


def final_row(tracked):
    target = tracked.target
    final = next(
        (a for a in tracked.actuals if a.year == target.target_year and not a.partial), None
    )
    if final is None:
        period = None
        # Only a part-year figure is shown as 预计 (most figures at scale have none to look at).
        if any(a.partial for a in tracked.actuals):
            period = period_figures.latest_period(
                tracked.actuals, target.metric, as_of=target.target_year - 1
            )
        if period is not None and period.actual.year != target.target_year:
            period = None
        return FinalRow(tracked, None, NOT_IN_YET, Verdict.PENDING, period)
    figure = _stand_in(target)
    status = progress.status(figure, progress.Point(final.year, final.value))
    verdict = Verdict.ACHIEVED if status is progress.Status.ACHIEVED else Verdict.MISSED
    return FinalRow(tracked, final, progress.completion(figure, final.value), verdict, None)


def _order(target):
    """The district first, then chains, localities and parks; a subject's figures in the
    plan's order."""
    return (KIND_ORDER.get(target.subject.kind, 9), target.subject.order, target.order)


def _in_order(targets):
    return sorted(targets, key=lambda t: (*_order(t), t.metric.order))


def final_assessment(plan, published_only=True, values=False):
    """Every figure of `plan` at its target year, in the plan's order (two queries); with
    `values`, only the figures a final row reads, as `tracking.Recorded` rather than model
    rows, and each target as a `FinalTarget` (`final_figures`: five queries at most, however
    many figures and years). The rows, verdicts and counts are the same either way."""
    if values:
        tracked = final_figures(Target.objects.for_plan(plan), plan.target_year)
        tracked.sort(key=lambda t: (*_order(t.target), t.metric.order))
        return FinalAssessment(plan, [final_row(t) for t in tracked])
    targets = _in_order(Target.objects.for_plan(plan).with_related())
    # Part-year figures from each figure's last whole year on: all a final row reads.
    tracked = tracking.track(
        targets,
        year=plan.target_year,
        published_only=published_only,
        recent=True,
        year_before=True,
        values=values,
    )
    return FinalAssessment(plan, [final_row(t) for t in tracked])


@dataclass(frozen=True, slots=True)
class FinalSubject:
    """A subject as a final row reads it: its name in the page's language and its place."""

    kind: str
    name: str
    name_en: str
    order: int

    display_name = Subject.display_name


class FinalTarget(NamedTuple):
    """A target as a final row and its sheet read it, without a model row (a plan at scale
    sets some 10,000): its subject, metric and document are shared, read once each. (A named
    tuple: made several times faster than a frozen dataclass, and as unchangeable.)"""

    subject: FinalSubject
    metric: object  # Metric
    document: object  # Document
    document_id: int
    source: str
    baseline_year: int
    baseline_value: object
    target_year: int
    target_value: object
    order: int

    figure = Target.figure


def _latest(actuals, *within_year):
    """The pk of a target's latest figure among `actuals` (same subject and metric), for a
    subquery; `within_year` orders the figures of one year (a year has one whole-year figure,
    so the latest whole year is found by the index alone)."""
    actuals = actuals.filter(subject_id=OuterRef("subject_id"), metric_id=OuterRef("metric_id"))
    return Subquery(actuals.order_by("-year", *within_year).values("pk")[:1])


TARGET_COLUMNS = ("subject_id", "metric_id", "document_id", "source", "baseline_year")
TARGET_COLUMNS += ("baseline_value", "target_year", "target_value", "order")
SUBJECT_COLUMNS = ("subject__kind", "subject__name", "subject__name_en", "subject__order")


def final_figures(targets, year):
    """A `tracking.Tracked` for each of `targets` (a queryset) ending in `year`, each target a
    `FinalTarget`, with only the approved figures its final row reads (`final_row`): the
    whole year of `year` where it is in; else the latest whole year before it and, where
    `year` has part-year figures, its latest one with the same months and every quarter of
    `year` and the year before (同比 and 预计全年). In SQL, so the figures' earlier years are
    never read; six queries at most however many figures (the targets with their subjects,
    their metrics, their documents, the whole years picked, the part years picked, the
    periods around a part-year one). The rows carry no assessment: a final row decides by
    its own rule."""
    published = Actual.objects.published()
    whole = published.full_year()
    part = published.part_year().exclude(period=Actual.Period.OTHER)
    targets = targets.order_by()
    found = list(targets.values_list(*TARGET_COLUMNS, *SUBJECT_COLUMNS))
    metrics = Metric.objects.in_bulk({row[1] for row in found})
    documents = Document.objects.in_bulk({row[2] for row in found})
    wholes = _whole_years(whole, targets, year)
    parts = _picked(published, targets, part.filter(year=year), tracking.WITHIN_YEAR.desc(), "-pk")
    subjects, tracked, latest = {}, [], {}
    for *fields, kind, name, name_en, order in found:
        subject_id, metric_id, document_id = fields[:3]
        subject = subjects.get(subject_id)
        if subject is None:
            subject = subjects[subject_id] = FinalSubject(kind, name, name_en, order)
        target = FinalTarget(
            subject, metrics[metric_id], documents[document_id], document_id, *fields[3:]
        )
        final, part_year = wholes.get((subject_id, metric_id)), parts.get((subject_id, metric_id))
        if final is not None and final.year == year:
            mine = [final]  # a final row reads its final figure alone
        else:
            mine = [one for one in (final, part_year and part_year[1]) if one is not None]
            if part_year is not None:
                latest[subject_id, metric_id] = part_year[1]
        tracked.append((subject_id, metric_id, target, mine))
    around = _around(part, latest, year, {pk for pk, _ in parts.values()})
    result = []
    for subject_id, metric_id, target, mine in tracked:
        mine += around.get((subject_id, metric_id), [])
        if len(mine) > 1:  # most figures have their final year alone
            mine.sort(key=lambda a: a.period_key)
        result.append(tracking.Tracked(target, tuple(mine), None, None))
    return result


def _whole_years(whole, targets, year):
    """{(subject_id, metric_id): Recorded}: for each figure of `targets`, its whole year of
    `year` if it is in, else the latest before it, each read from the whole years' index alone
    (the year picked backwards from `year`, then its row: two lookups a figure, no table page
    read). The columns a final row reads: a whole year's wording and stated growth are not."""
    latest = whole.filter(
        year__lte=year, subject_id=OuterRef("subject_id"), metric_id=OuterRef("metric_id")
    )
    picked = targets.annotate(latest=Subquery(latest.order_by("-year").values("year")[:1]))
    picked = picked.filter(
        subject_id=OuterRef("subject_id"), metric_id=OuterRef("metric_id"), latest=OuterRef("year")
    )
    columns = ("subject_id", "metric_id", "year", "value", "note", "source", "document_id")
    return {
        (subject, metric): tracking.Recorded(*row)
        for subject, metric, *row in whole.filter(Exists(picked)).order_by().values_list(*columns)
    }


def _picked(published, targets, actuals, *within_year):
    """{(subject_id, metric_id): (pk, Recorded)}: the latest of `actuals` for each figure of
    `targets`, chosen in SQL (`_latest`) and read in the same query."""
    picks = targets.annotate(pick=_latest(actuals, *within_year)).values("pick")
    columns = ("pk", "subject_id", "metric_id", *tracking.RECORDED)
    return {
        (subject, metric): (pk, tracking.Recorded(*row))
        for pk, subject, metric, *row in published.filter(pk__in=picks)
        .order_by()
        .values_list(*columns)
    }


def _around(part, latest, year, picked):
    """{(subject_id, metric_id): [Recorded]}: the same period (months) as each figure's latest
    part of `year` in `latest`, and the quarters of `year` and the year before."""
    around = defaultdict(list)
    if not latest:
        return around
    months = {r.month for r in latest.values() if r.period == Actual.Period.MONTHS}
    nearby = part.filter(
        Q(period=Actual.Period.QUARTER) | Q(period=Actual.Period.MONTHS, month__in=months),
        year__in=(year - 1, year),
        subject_id__in={s for s, _ in latest},
        metric_id__in={m for _, m in latest},
    )
    for pk, subject, metric, *row in nearby.order_by().values_list(
        "pk", "subject_id", "metric_id", *tracking.RECORDED
    ):
        one, key = tracking.Recorded(*row), (subject, metric)
        if (
            key in latest
            and pk not in picked
            and (one.period == Actual.Period.QUARTER or one.month == latest[key].month)
        ):
            around[key].append(one)
    return around
