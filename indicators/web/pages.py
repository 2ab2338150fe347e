"""What every dashboard page shares: who sees drafts, which year, the figure chart, the table
page base and the subject page (a chain's, a locality's, a park's).

Views in `indicators.web`, `chains` and `parks` build on these; none imports another's views.
"""

from functools import cached_property

from django.shortcuts import render
from django.utils.translation import get_language
from django_tables2 import SingleTableMixin

from indicators.domain import data_version, permissions, quality, tracking
from indicators.engine import progress
from indicators.models import Plan, Target
from indicators.web import charts, table_rows
from indicators.web.tables import (
    ExportViewMixin,
    FigureTable,
    export_response,
    figure_rows,
    pagination,
    recorded_table,
)


def published_only(request):
    """Whether a page shows approved figures only.

    Staff turn preview on with ?preview=1 and off with ?preview=0; the choice is kept in
    their session so it follows them from page to page. Everyone else sees approved ones.
    """
    if not permissions.can_preview(request.user):
        return True
    choice = request.GET.get("preview")
    if choice in ("0", "1"):
        request.session["preview"] = choice == "1"
    return not request.session.get("preview", False)


def selected_year(request, published):
    """?year= when it is a year with data; otherwise the latest year with full-year data."""
    latest = data_version.kept(
        "latest-year",
        lambda: data_version.cached(
            "latest-year", lambda: tracking.latest_year(published_only=published), published
        ),
        published,
    )
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return latest
    return year if 1949 <= year <= 2100 else latest


def selected_plan(request, published, year=None):
    """The plan a page follows: ?plan=<slug> when it names a plan with targets; otherwise the
    plan whose period holds the page's year (?year=, else the latest year with data), else the
    latest plan. An unknown slug falls back the same way. None only when no plan has targets."""
    cached = getattr(request, "_selected_plan", None)
    if cached is not None:
        return cached
    # The plans and the plan of each year are kept per data version (an unknown slug is not).
    slug = request.GET.get("plan", "")
    plan = next((p for p in plans_with_targets() if p.slug == slug), None) if slug else None
    if plan is None:
        year = year if year is not None else selected_year(request, published)
        plan = data_version.kept("plan-for-year", lambda: Plan.objects.for_year(year), year)
    request._selected_plan = plan
    return plan


def plans_with_targets():
    """Every plan with targets, in base-year order, kept per data version (shared: unchanged)."""
    return data_version.kept("plan-choices", lambda: list(Plan.objects.with_targets()))


def plan_choices(plan):
    """The selector's context: every plan with targets (shown when there is more than one)."""
    return {"plan": plan, "plan_choices": plans_with_targets()}


def figure_chart(tracked, lang, height=360):
    """The indicator chart for one tracked target, or None when the document gives no baseline."""
    a = tracked.assessment
    if a is None:
        return None
    fig = a.figure
    last = max([fig.target_year] + [p.year for p in a.points])
    planned = [(y, progress.expected_value(fig, y)) for y in range(fig.baseline_year, last + 1)]
    full = [(p.year, p.value) for p in a.points if not p.partial]
    return charts.indicator(
        unit=tracked.metric.display_unit,
        baseline=(fig.baseline_year, fig.baseline_value),
        target=(fig.target_year, fig.target_value),
        planned=[(y, v) for y, v in planned if progress.computable(v)],
        actuals=full,
        # One part-year point a year: the latest period (1—10月 after 1—9月).
        partial=list({p.year: (p.year, p.value) for p in a.points if p.partial}.values()),
        projection=(fig.target_year, a.projection) if progress.computable(a.projection) else None,
        lang=lang,
        height=height,
    )


def figure_summaries(published):
    """{target pk: tracking.Summary} of every figure, once per data version: what the long
    lists sort, rank, filter and count by. Computed once for every worker (the shared
    cache), then kept in each process's memory until the data changes."""

    def compute():
        return tracking.summaries(Target.objects.all(), published_only=published)

    return data_version.kept(
        "figure-summaries",
        lambda: data_version.cached("figure-summaries", compute, published),
        published,
    )


def summary_values(summary):
    """A figure's summary as the values its `figure_row` sorts by (none and 无数据 without one)."""
    if summary is None:
        no_data = progress.Status.NO_DATA
        return {
            **dict.fromkeys(SUMMARY_VALUES),
            "status": no_data,
            "status_rank": progress.STATUS_ORDER.index(no_data),
        }
    return {
        "latest_year": summary.latest_year,
        "latest": summary.latest,
        "completion": summary.completion,
        "planned_growth": summary.planned_growth,
        "required_growth": summary.required_growth,
        "status": summary.status,
        "status_rank": progress.STATUS_ORDER.index(summary.status),
    }


SUMMARY_VALUES = (
    *("latest_year", "latest", "completion", "planned_growth", "required_growth"),
    *("status", "status_rank"),
)


def list_totals(kind, plan, published):
    """The 合计 lines under the list of `kind` (quality.stated_total_lines), kept per data version,
    plan and audience (a 合计 of actuals adds the approved figures only, for a visitor); they
    read no language."""
    return data_version.kept(
        "list-totals",
        lambda: quality.stated_total_lines(kind, plan, published_only=published),
        kind,
        getattr(plan, "pk", None),
        published,
    )


def field_widget(field):
    """A bound form field's widget HTML (`{{ field }}`), drawn once per data version, language
    and value and then kept: a filter's select lists every choice (the plans from the database)
    and marks the one chosen, which is all it depends on. A field with an error (a value it does
    not offer) or a value other than text is drawn each time, so what is kept stays bounded by
    the choices offered. The form is told by its class's name: django-filter makes a new class
    for each filter set's form."""
    value = field.value()
    if not field.form.is_bound or field.errors or not isinstance(value, str | None):
        return str(field)
    held = data_version.kept("form-widgets", dict, get_language())
    key = (type(field.form).__name__, field.html_name, field.auto_id, value)
    html = held.get(key)
    if html is None:
        html = held[key] = str(field)
    return html


LIST_PAGE_SIZE = 100  # rows per page of a list of every park, town, chain or figure
KEPT_ROWS = 2000  # rows of a long list a process keeps per audience and language (20 pages)


def kept_rows(name, pks, build, *parts):
    """The rows of `pks` (a page of a long list), each built by `build(pks)` → {pk: row} once
    per data version, language and `parts` (the audience, the plan …) and then kept in this
    process's memory
    (`data_version.kept`), with the cells the page drew from it (`table_rows.MEMO`): a row
    depends on its figure's data alone, never on the list's sort, filter, plan or page, so
    every page showing that figure shows the same row. Past KEPT_ROWS rows they are all
    dropped and built again as pages ask for them; an export (more than a page) is built
    afresh and not kept. A kept row must not be changed but for its memo of cells."""
    if len(pks) > LIST_PAGE_SIZE:
        built = build(pks)
        return [built[pk] for pk in pks]
    held = data_version.kept(f"{name}-rows", dict, *parts, get_language())
    found = {pk: row for pk in pks if (row := held.get(pk)) is not None}
    missing = [pk for pk in pks if pk not in found]
    if missing:
        built = {pk: {**row, table_rows.MEMO: {}} for pk, row in build(missing).items()}
        if len(held) + len(built) > KEPT_ROWS:
            held.clear()
        held.update(built)
        found.update(built)
    return [found[pk] for pk in pks]


class TablePage(ExportViewMixin, SingleTableMixin):
    """The base of every page built around one django-tables2 table: exportable with
    ?_export=xlsx|csv|json (every row, whatever page is shown), told whether staff preview
    drafts. Unpaginated; lists of everything (`paginated = True`) show LIST_PAGE_SIZE rows a
    page with a page selector (?page=). Combine with TemplateView or FilterView."""

    table_pagination = False
    paginated = False

    def get(self, request, *args, **kwargs):
        with data_version.pinned():  # one reading of the data version for the whole page
            return super().get(request, *args, **kwargs)

    def get_table_pagination(self, table):
        return pagination(LIST_PAGE_SIZE) if self.paginated else False

    @cached_property
    def published(self):
        return published_only(self.request)

    @cached_property
    def plan(self):
        return selected_plan(self.request, self.published)

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("preview", not self.published)
        if "plan_choices" not in kwargs:  # a page choosing its plan otherwise reads no list
            kwargs = {**plan_choices(self.plan), **kwargs}
        kwargs.setdefault("plan", self.plan)
        return super().get_context_data(**kwargs)


class SubjectPage:
    """A chain's, locality's or park's page: its tracked figures with charts and their table.

    Build it, read `tracked` for what only this kind of subject shows, then `response()`.
    """

    def __init__(self, request, subject):
        self.request, self.subject = request, subject
        self.published = published_only(request)
        self.plan = selected_plan(request, self.published)
        self.tracked = tracking.track(
            Target.objects.filter(subject=subject, plan=self.plan), published_only=self.published
        )
        self.table = FigureTable(figure_rows(self.tracked), orderable=False)
        # Every row is this subject's under this plan: the page says both once, above the table;
        # a download keeps the two columns, so the file still says whose figures they are.
        self.table.columns.hide("plan")
        self.table.columns.hide("subject")

    def response(self, template, extra_tables=(), **context):
        """The page, or a table's download when the query asks for one.

        `extra_tables` are (table, export name, query trigger) for more tables on the page,
        each downloadable on its own.
        """
        tables = [(self.table, self.subject.slug, "_export"), *extra_tables]
        for table, name, trigger in tables:
            if download := export_response(self.request, table, name, trigger=trigger):
                return download
        lang = get_language()
        context.update(
            recorded=recorded_table(
                self.request, tracking.recorded([self.subject], published_only=self.published)
            ),
            **plan_choices(self.plan),
            table=self.table,
            figures=[
                {"tracked": t, "chart": figure_chart(t, lang, height=300)} for t in self.tracked
            ],
            preview=not self.published,
        )
        return render(self.request, template, context)
