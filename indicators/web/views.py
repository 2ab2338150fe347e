"""Progress pages for officials: the overview, one page per indicator, status, comparison, measures.

Every figure is read through `tracking.track()` and every number comes from the engine in
`indicators/engine/progress.py`; views only choose what to show and hand it to a template.
"""

from collections import Counter, defaultdict

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language, gettext
from django.views.generic import TemplateView
from django_filters.views import FilterView

from chains.models import CHAIN_OUTPUT, Chain
from indicators.domain import closing, data_version, period_figures, sources, tracking
from indicators.engine import formatting, kinds, progress
from indicators.models import Actual, Measure, Subject, Target
from indicators.web import charts
from indicators.web.filters import FigureFilter
from indicators.web.pages import (
    LIST_PAGE_SIZE,
    TablePage,
    figure_chart,
    figure_summaries,
    kept_rows,
    plans_with_targets,
    published_only,
    selected_plan,
    selected_year,
    summary_values,
)
from indicators.web.tables import (
    ComparisonTable,
    FigureTable,
    MeasureTable,
    PagedRows,
    YearTable,
    figure_row,
    figure_rows,
    indicator_url,
    recorded_table,
)

TOTAL_OUTPUT = ("beichen", "industrial-output")  # the denominator of each chain's share
CHAIN_OUTPUT_YOY = "chain-output-yoy"


def card(tracked, lang, year=None, bases=None, yoy=None):
    """What an overview card shows for one tracked figure.

    `bases`: the figure assessed on each document's base (tracking.bases), when they differ;
    `yoy`: {(subject pk, year): 同比 actual} for the figure's other-basis series.
    """
    a = tracked.assessment
    fig = a.figure if a else None
    rows = (bases or {}).get(tracked.target.pk, [])
    other = tracked.other_basis[-1] if tracked.other_basis else None
    return {
        "row": figure_row(tracked),
        "assessment": a,
        "period": tracked.latest_period(as_of=year),
        "bases": rows,
        "base_dependent": tracking.base_dependent(rows) if rows else False,
        "reason": tracked.status_reason,
        "other": other,
        "other_yoy": (yoy or {}).get((tracked.subject.pk, other.year)) if other else None,
        "chart": charts.sparkline(
            baseline=(fig.baseline_year, fig.baseline_value),
            target=(fig.target_year, fig.target_value),
            actuals=[(p.year, p.value) for p in a.points if not p.partial],
            lang=lang,
        )
        if fig
        else None,
    }


SHARES_SHOWN = 12  # the district's nine chains all show; a larger list shows its largest


def chain_shares(year, published):
    """The largest chains' shares of total industrial output in `year`, largest first, and
    whether more chains have one (two queries, however many chains there are)."""
    actuals = Actual.objects.filter(year=year, period=Actual.Period.YEAR).select_related(
        "subject", "metric"
    )
    if published:
        actuals = actuals.published()
    total = actuals.filter(subject__slug=TOTAL_OUTPUT[0], metric__slug=TOTAL_OUTPUT[1]).first()
    if total is None:
        return None, [], False
    parts = actuals.filter(subject__kind=Subject.Kind.CHAIN, metric__slug=CHAIN_OUTPUT)
    parts = list(parts.order_by("-value", "subject__order")[: SHARES_SHOWN + 1])
    rows = [
        {
            "subject": a.subject,
            "metric": a.metric,
            "value": a.value,
            "share": progress.share(a.value, total.value),
        }
        for a in parts[:SHARES_SHOWN]
    ]
    rows = [r for r in rows if progress.computable(r["share"])]
    return total, sorted(rows, key=lambda r: -r["share"]), len(parts) > SHARES_SHOWN


def total_output_period(year, published):
    """The district's latest 1—N月 total industrial output, with 同比 and 预计全年 (one query)."""
    actuals = Actual.objects.filter(
        subject__slug=TOTAL_OUTPUT[0], metric__slug=TOTAL_OUTPUT[1]
    ).select_related("metric")
    if published:
        actuals = actuals.published()
    actuals = list(actuals)
    if not actuals:
        return None
    return period_figures.latest_period(actuals, actuals[0].metric, as_of=year)


def chain_yoy(tracked, published):
    """{(subject pk, year): 同比 actual} for the other-basis series shown on the cards."""
    subjects = [t.subject.pk for t in tracked if t.other_basis]
    if not subjects:
        return {}
    actuals = Actual.objects.filter(subject__in=subjects, metric__slug=CHAIN_OUTPUT_YOY)
    if published:
        actuals = actuals.published()
    return {(a.subject_id, a.year): a for a in actuals}


def status_counts(plan, year, published):
    """How many of the plan's figures have each status as of `year`: counted over every
    target once per data version, then read from the cache."""

    def count():
        targets = Target.objects.filter(plan=plan)
        return Counter(tracking.statuses(targets, year=year, published_only=published).values())

    return data_version.cached("status-counts", count, getattr(plan, "pk", None), year, published)


def years_with_data(published):
    """The years with full-year figures, once per data version. Only years the reader may
    see: a year with nothing but drafts is not offered publicly."""

    def years():
        found = Actual.objects.full_year()
        if published:
            found = found.published()
        return sorted(set(found.values_list("year", flat=True).distinct()))

    return data_version.cached("years", years, published)


def home(request):
    with data_version.pinned():  # one reading of the data version for the whole page
        return _home(request)


def _home(request):
    published = published_only(request)
    year = selected_year(request, published)
    choices = plans_with_targets()
    # The plan for this ?plan= and year, chosen by counting targets: kept with the data (a
    # slug naming no plan is kept as none named).
    slug = request.GET.get("plan", "")
    plan = data_version.kept(
        "overview-plan",
        lambda: selected_plan(request, published, year),
        slug if any(p.slug == slug for p in choices) else "",
        year,
    )
    request._selected_plan = plan
    context = {
        "plan": plan,
        "plan_choices": choices,
        **overview_figures(plan, year, published, get_language()),
        "year": year,
        "years": years_with_data(published),
        "preview": not published,
        # The plans are kept; which of them runs or has ended is today's (never kept).
        "plan_line": closing.plans_for(year, plans=data_version.kept("plans", closing.all_plans)),
        "shares_shown": SHARES_SHOWN,
        "share_kind": kinds.SHARE,
    }
    return render(request, "indicators/home.html", context)


def overview_figures(plan, year, published, lang):
    """What the overview shows of the data: its cards, the chains' shares and the status
    counts. Computed once per data version (and plan, year, audience and language) in each
    process, then kept in its memory, so a visit after the first one renders without
    re-tracking; the first visit after any change computes afresh."""

    def compute():
        doubling_ids = set(Chain.objects.doubling().values_list("pk", flat=True))
        # Only the figures the page draws are tracked; every other one is only counted.
        shown = Target.objects.filter(plan=plan).filter(
            Q(headline=True) | Q(subject__in=doubling_ids)
        )
        # Part-year figures from each one's last whole year on: latest period, 同比, 预计全年.
        tracked = tracking.track(
            shown, year=year, published_only=published, recent=True, year_before=True
        )
        headline = sorted((t for t in tracked if t.target.headline), key=lambda t: t.target.order)
        # Table 2's column: the chains' output, and the IT chain's revenue printed in it.
        doubling = [
            t
            for t in tracked
            if t.subject.pk in doubling_ids
            and CHAIN_OUTPUT in (t.metric.slug, getattr(t.target.counted_in, "slug", None))
        ]
        bases = tracking.bases(headline, year=year)
        yoy = chain_yoy(doubling, published)
        total, shares, more_shares = chain_shares(year, published)
        counts = status_counts(plan, year, published)
        return {
            "cards": [card(t, lang, year, bases=bases) for t in headline],
            "doubling": [card(t, lang, year, yoy=yoy) for t in doubling],
            "total": total,
            "total_period": total_output_period(year, published),
            "shares": shares,
            "more_shares": more_shares,
            "share_chart": charts.share_bars(
                [r["subject"].display_name for r in shares],
                [r["share"] for r in shares],
                lang=lang,
            )
            if shares
            else None,
            "status_counts": [(s, counts.get(s, 0)) for s in progress.STATUS_ORDER],
            "tracked_total": sum(counts.values()),
        }

    return data_version.kept("overview", compute, getattr(plan, "pk", None), year, published, lang)


def district_figures(request):
    """Every district figure the documents report (全区数据一览), with or without a target,
    part-year figures included, as stated: a page of a hundred at a time (?figures-page=).
    The overview links here; it shows only the figures it tracks."""
    published = published_only(request)
    recorded = recorded_table(
        request,
        tracking.recorded(
            Subject.objects.filter(kind=Subject.Kind.DISTRICT), published_only=published
        ),
    )
    return render(
        request,
        "indicators/district_figures.html",
        {"recorded": recorded, "preview": not published},
    )


def year_rows(tracked):
    """One row per year from the baseline to the target (or the latest actual), engine-computed."""
    a, t = tracked.assessment, tracked.target
    if a is None:
        return []
    fig = a.figure
    last = max([fig.target_year] + [p.year for p in a.points])
    rows = []
    for year in range(fig.baseline_year, last + 1):
        actual = tracked.actual_for(year)
        as_of = progress.assess(fig, a.points, year=year) if actual else None
        full = actual is not None and not actual.partial
        note = _year_note(t, actual, year)
        rows.append(
            {
                "year": year,
                "unit": t.metric.display_unit,
                "metric_obj": t.metric,
                "expected": formatting.to_float(progress.expected_value(fig, year)),
                "actual": formatting.to_float(actual.value) if actual else None,
                "unapproved": bool(actual and actual.state != Actual.State.APPROVED),
                "completion": formatting.to_float(as_of.completion) if full else None,
                "progress": formatting.to_float(as_of.progress) if full else None,
                "versus_target": progress.versus_target(fig, actual.value) if full else None,
                "achieved_growth": formatting.to_float(as_of.achieved_growth) if full else None,
                "required_growth": formatting.to_float(as_of.required_growth) if full else None,
                "status": as_of.status if full else progress.Status.NO_DATA,
                "status_rank": 0,
                "note": note,
                # the clerk's own words, shown as entered
                "note_quoted": bool(actual and actual.note and note == actual.note),
            }
        )
    return rows


def _year_note(target, actual, year):
    if year == target.baseline_year:
        return gettext("基数（%(source)s）") % {"source": sources.display(target.source)}
    if actual is None:
        return gettext("目标年份") if year == target.target_year else ""
    if actual.partial:
        return gettext("%(period)s，不参与状态判定") % {"period": actual.period_label}
    return sources.display(actual.source) or actual.note


class IndicatorView(TablePage, TemplateView):
    """One target: chart, every year, the calculation by hand, and the locality breakdown."""

    template_name = "indicators/indicator.html"
    table_class = YearTable

    def get(self, request, *args, **kwargs):
        self.target = get_object_or_404(
            Target.objects.with_related(),
            plan__slug=kwargs["plan"],
            subject__slug=kwargs["subject"],
            metric__slug=kwargs["metric"],
        )
        [self.tracked] = tracking.track([self.target], published_only=self.published)
        self.export_name = f"{self.target.subject.slug}-{self.target.metric.slug}"
        return super().get(request, *args, **kwargs)

    def get_table_data(self):
        return year_rows(self.tracked)

    def get_context_data(self, **kwargs):
        target, tracked = self.target, self.tracked
        breakdown, breakdown_page = [], None
        if target.subject.kind == Subject.Kind.DISTRICT:
            breakdown_page = locality_page(target, self.request.GET.get("page"))
            breakdown = locality_rows(breakdown_page, self.published)
        others = Target.objects.filter(subject=target.subject, metric=target.metric).exclude(
            pk=target.pk
        )
        bases = tracking.bases([tracked]).get(target.pk, [])
        # The page's plan is in its address (the URL's "plan" is its slug): no selector.
        kwargs.update(plan=target.plan, plan_choices=[])
        return super().get_context_data(
            target=target,
            tracked=tracked,
            row=figure_row(tracked),
            assessment=tracked.assessment,
            explain=progress.explain(tracked.assessment) if tracked.assessment else [],
            latest_period=tracked.latest_period(),
            growth_label=growth_label(target),
            chart=figure_chart(tracked, get_language()),
            breakdown=breakdown,
            breakdown_page=breakdown_page,
            other_plans=others.select_related("plan"),
            bases=bases,
            base_dependent=tracking.base_dependent(bases) if bases else False,
            metric_info=target.metric,
            sources=metric_sources(target.metric),
            measures=target.metric.measures.select_related("project__plan").order_by(
                "project__plan__base_year", "number"
            ),
            **kwargs,
        )


def locality_page(target, number):
    """The page (?page=, LIST_PAGE_SIZE localities in their order) of a district figure's
    breakdown by locality: a page number out of range shows the last page."""
    localities = Target.objects.filter(
        plan=target.plan, metric=target.metric, subject__kind=Subject.Kind.LOCALITY
    ).order_by("subject__order", "pk")
    return Paginator(localities.values_list("pk", flat=True), LIST_PAGE_SIZE).get_page(number)


def locality_rows(page, published):
    """The rows of one page of the breakdown, each locality assessed from its latest whole-year
    value (all its columns show), so a page reads the same few rows however many there are."""
    order = {pk: i for i, pk in enumerate(page.object_list)}
    tracked = tracking.track(
        Target.objects.filter(pk__in=order), published_only=published, latest=True
    )
    return figure_rows(sorted(tracked, key=lambda t: order[t.target.pk]))


CHINESE_DIGITS = "零一二三四五六七八九十"


def growth_label(target):
    """What the document's growth column is: a yearly rate for amounts, an increase otherwise.

    Table 1 prints "16%" for amounts but "400" for firms — a five-year increase, not a rate.
    """
    if target.baseline_value is None:
        return gettext("文件原文")
    if target.metric.metric_kind.convention is progress.Kind.COMPOUND:
        return gettext("文件所列年均增速")
    span = target.target_year - target.baseline_year
    chinese = 0 < span <= 10 and not (get_language() or "").startswith("en")
    years = CHINESE_DIGITS[span] if chinese else str(span)
    if target.metric.metric_kind.convention is progress.Kind.POINTS:
        return gettext("文件所列%(years)s年增加百分点") % {"years": years}
    return gettext("文件所列%(years)s年增加量") % {"years": years}


def metric_sources(metric):
    """The documents whose figures use this metric (targets, actuals, restatements): for each
    document the database looks for one such figure, not every one of them."""
    from indicators.models import Document, Statement

    def used(model):
        return Exists(model.objects.filter(document=OuterRef("pk"), metric=metric))

    return Document.objects.filter(used(Target) | used(Actual) | used(Statement))


NO_SUMMARY = tracking.Summary(progress.Status.NO_DATA, None, None, None, None, None)
KEY_FIELDS = (
    "pk",
    *("plan__base_year", "plan__slug"),
    *("subject__kind", "subject__order", "subject__name"),
    *("metric__order", "metric__slug"),
    *("baseline_value", "target_value"),
)


def summary_key(row, summary, shared=None):
    """What the status summary sorts, filters and counts one figure by (its `figure_row`'s
    values; plans, subjects and metrics sort in the documents' order). With `shared`, a dict
    kept beside the keys, the sort values of a plan, subject or metric are one tuple for
    every figure of theirs (at scale ten thousand keys are kept per audience)."""
    one = ({} if shared is None else shared).setdefault
    plan = (row["plan__base_year"], row["plan__slug"])
    subject = (row["subject__kind"], row["subject__order"], row["subject__name"])
    metric = (row["metric__order"], row["metric__slug"])
    return {
        "pk": row["pk"],
        "plan": one(plan, plan),
        "subject": one(subject, subject),
        "metric": one(metric, metric),
        "baseline": formatting.to_float(row["baseline_value"]),
        "target": float(row["target_value"]),
        **summary_values(summary),
    }


class StatusSummaryView(TablePage, FilterView):
    """Every tracked figure with its status, filterable by status, plan and kind of subject."""

    template_name = "indicators/status.html"
    filterset_class = FigureFilter
    table_class = FigureTable
    export_name = "status-summary"
    paginated = True

    def get_queryset(self):
        return Target.objects.with_related()

    def get_filterset_kwargs(self, filterset_class):
        """The plan filter starts at the plan the pages follow; 全部 (plan=) shows every plan."""
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "plan" not in self.request.GET and self.plan is not None:
            kwargs["data"] = kwargs["data"].copy() if kwargs["data"] else QueryDict(mutable=True)
            kwargs["data"]["plan"] = self.plan.slug
        return kwargs

    def get_table(self, **kwargs):
        """With one plan chosen its name would fill a column of every row: the filter shows it;
        downloads keep the column."""
        table = super().get_table(**kwargs)
        if self.filterset.is_valid() and self.filterset.form.cleaned_data.get("plan"):
            table.columns.hide("plan")
        return table

    def get_table_data(self):
        """Every figure's sort values and status from the summaries kept per data version; the
        full rows (notes, reasons, links) only of the page shown, or of every row to export."""
        status = self.filterset.form.cleaned_data.get("status") if self.filterset.is_valid() else ""
        keys = self.figure_keys()
        self.counts = Counter(k["status"] for k in keys)
        keys = [k for k in keys if not status or k["status"] == status]
        return PagedRows(keys, self.rows)

    def figure_keys(self):
        """The `summary_key` of every figure the filter's plan and kind list, in the query's
        order: kept per data version and audience for each plan and kind chosen (what the
        query is narrowed by), so a page-cache miss reads no row again; each figure's key is
        made once and shared by every choice that lists it."""
        found = figure_summaries(self.published)
        made, lists, shared = data_version.kept("status-keys", lambda: ({}, {}, {}), self.published)

        def key(row):
            return summary_key(row, found.get(row["pk"], NO_SUMMARY), shared)

        def listed():
            return [
                made.get(row["pk"]) or made.setdefault(row["pk"], key(row))
                for row in self.object_list.values(*KEY_FIELDS)
            ]

        if not (self.filterset.is_bound and self.filterset.is_valid()):
            return listed()  # every figure unfiltered, or none (FilterView's strict mode)
        chosen = self.filterset.form.cleaned_data
        choice = (getattr(chosen.get("plan"), "pk", None), chosen.get("kind"))
        if choice not in lists:
            lists[choice] = listed()
        return lists[choice]

    def rows(self, keys):
        """The full rows of `keys`, a page's kept once built (`kept_rows`)."""
        return kept_rows("status", [k["pk"] for k in keys], self.build_rows, self.published)

    def build_rows(self, pks):
        # A page's figures by their keys; an export of (nearly) everything reads the list.
        targets = self.object_list if len(pks) > 900 else self.object_list.filter(pk__in=pks)
        tracked = tracking.track(targets, published_only=self.published, full_year=True)
        # Without the tracked figure (its model rows, kept with the page's rows): no column reads it.
        return {t.target.pk: {**figure_row(t), "tracked": None} for t in tracked}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("plan_choices", [])  # the filter form chooses the plan here
        context = super().get_context_data(**kwargs)
        context["status_counts"] = [(s, self.counts.get(s, 0)) for s in progress.STATUS_ORDER]
        return context


def comparable_rows(tracked, plan=None):
    """Rows for every (subject, metric) that more than one plan targets, grouped together;
    with `plan`, only the groups that plan is part of."""
    groups = defaultdict(list)
    for t in tracked:
        groups[(t.subject.pk, t.metric.pk)].append(t)
    rows = []
    for group in groups.values():
        plans = {t.plan.pk for t in group}
        if len(plans) > 1 and (plan is None or plan.pk in plans):
            rows.extend(figure_rows(sorted(group, key=lambda t: t.plan.base_year)))
    return rows


class ComparisonView(TablePage, TemplateView):
    """The action plan's and the 14th plan's targets for the same quantity, side by side."""

    template_name = "indicators/comparison.html"
    table_class = ComparisonTable
    export_name = "plan-comparison"

    def get_table_data(self):
        tracked = tracking.track(
            Target.objects.order_by("subject__order", "metric__order", "plan__base_year"),
            published_only=self.published,
        )
        return comparable_rows(tracked, self.plan)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairs = defaultdict(list)
        for row in context["table"].data:
            pairs[(row["subject"], row["metric"])].append(row)
        context["pairs"] = [
            {"subject": s, "metric": m, "rows": rows} for (s, m), rows in pairs.items()
        ]
        return context


def figure_pages(metrics, plan):
    """{metric pk: the page of the figure a measure moves}: the plan's own target of the
    metric (the district's first), else another plan's; a metric no plan targets has none."""
    targets = (
        Target.objects.filter(metric__in=metrics)
        .select_related("plan", "subject", "metric")
        .order_by("subject__order", "plan__base_year")
    )
    pages = {}
    for target in sorted(targets, key=lambda t: (t.plan_id != getattr(plan, "pk", None),)):
        pages.setdefault(target.metric_id, indicator_url(target))
    return pages


class MeasureListView(TablePage, TemplateView):
    """The twelve measures of section 三 grouped by project, with their responsible units."""

    template_name = "indicators/measures.html"
    table_class = MeasureTable
    export_name = "measures"

    def get_table_data(self):
        measures = (
            Measure.objects.filter(project__plan=self.plan)
            .select_related("project")
            .prefetch_related("metrics")
            .order_by("number")
        )
        pages = figure_pages({m for measure in measures for m in measure.metrics.all()}, self.plan)
        return [
            {
                "project": f"{m.project.number}. {m.project.display_name}",
                "number": m.number,
                "title": m.display_title,
                "text": m.text,
                "units": sources.listed(m.project.responsible_units, sources.GOVERNMENT_UNITS),
                "unit_list": [
                    sources.listed(unit, sources.GOVERNMENT_UNITS) for unit in m.project.unit_list
                ],
                "source": m.source,
                "figures": [
                    {"metric": metric, "url": pages.get(metric.pk)} for metric in m.metrics.all()
                ],
            }
            for m in measures
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = defaultdict(list)
        for row in context["table"].data:
            projects[(row["project"], tuple(row["unit_list"]))].append(row)
        context["projects"] = [
            {"name": name, "units": units, "measures": rows}
            for (name, units), rows in projects.items()
        ]
        return context
