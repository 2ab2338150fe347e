"""Tables of tracked figures, declared once and used both on the page and in its export.

Rows are plain dicts built from `tracking.Tracked` by `figure_rows`, so sorting, rendering
and exporting read the same values. Numbers render with `indicators.engine.formatting` and export
as numbers; text cells go through `formatting.spreadsheet_safe` on the way out.
"""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig
from django_tables2.data import TableListData
from django_tables2.export.export import TableExport
from django_tables2.export.views import ExportMixin

from indicators.domain import sources
from indicators.engine import formatting, progress
from indicators.models import english_page

EXPORT_FORMATS = ("xlsx", "csv", "json")


# --- rows ---------------------------------------------------------------------------------------


def indicator_url(target):
    return reverse(
        "indicators:indicator", args=[target.plan.slug, target.subject.slug, target.metric.slug]
    )


def figure_row(tracked):
    """One tracked target as the plain values a table row shows and exports."""
    t, a = tracked.target, tracked.assessment
    latest = tracked.latest
    return {
        "tracked": tracked,
        "url": indicator_url(t),
        "plan": t.plan.display_short_name,
        "plan_slug": t.plan.slug,
        "subject": t.subject.display_name,
        "subject_kind": t.subject.get_kind_display(),
        "metric": t.metric.display_name,
        "metric_obj": t.metric,
        "unit": t.metric.display_unit,
        "baseline_year": t.baseline_year,
        "baseline": formatting.to_float(t.baseline_value),
        "target_year": t.target_year,
        "target": float(t.target_value),
        "latest_year": latest.year if latest else None,
        "latest": formatting.to_float(latest.value) if latest else None,
        "unapproved": bool(latest and latest.state != latest.State.APPROVED),
        "completion": formatting.to_float(tracked.completion),
        "planned_growth": formatting.to_float(a.planned_growth) if a else None,
        "required_growth": formatting.to_float(a.required_growth) if a else None,
        "status": tracked.status,
        "status_rank": progress.STATUS_ORDER.index(tracked.status),
        # Why there is no status (无数据), next to a completion that may well be shown.
        "status_reason": tracked.status_reason,
    }


def figure_rows(tracked_list):
    return [figure_row(t) for t in tracked_list]


class PagedRows(TableListData):
    """The rows of a long list, sorted and paged without building every row.

    `keys` are light records holding every value a column sorts by (one query and the
    figures' cached summaries); `build(keys)` makes the full rows of the keys asked for, in
    their order: a page's hundred when the page is drawn, every one for an export."""

    def __init__(self, keys, build):
        super().__init__(list(keys))
        self.build = build

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.build(self.data[key])
        return self.build([self.data[key]])[0]

    def __iter__(self):
        return iter(self.build(self.data))


# --- columns ------------------------------------------------------------------------------------


class FigureColumn(tables.Column):
    """A figure in the row's unit, printed as the row's metric's kind says; exported as a number.

    A column of figures that are no metric's (a park's area) names its `kind` and `unit`.
    """

    def __init__(self, *args, kind=None, unit="", **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)
        self.kind, self.unit = kind, unit

    def text(self, value, record):
        if self.kind is not None:
            return self.kind.text(value, str(self.unit), get_language())
        metric = record["metric_obj"]
        return metric.metric_kind.text(value, metric.display_unit, get_language())

    def render(self, value, record):
        return self.text(value, record)

    def value(self, value, record):
        return formatting.export_number(value)


class PercentColumn(FigureColumn):
    """A ratio shown as a percentage (1.076 → 107.6%) and exported as the percentage number."""

    def render(self, value, record):
        return formatting.percent(value, get_language())

    def value(self, value, record):
        return None if value is None else formatting.export_number(value * 100, 2)


class ProgressColumn(PercentColumn):
    """较基数进度: a percentage, or for a share its distance from the target in percentage
    points ("超目标2.8个百分点"), which the row carries as `versus_target`."""

    def render(self, value, record):
        if words := record.get("versus_target"):
            return words.translate(gettext)
        return super().render(value, record)

    def value(self, value, record):
        if words := record.get("versus_target"):
            return formatting.spreadsheet_safe(words.translate(gettext))
        return super().value(value, record)


class GrowthColumn(FigureColumn):
    """Growth per year in the figure's own kind (+16.2%/年, +80 家/年, +0.24 个百分点/年)."""

    def render(self, value, record):
        metric = record["metric_obj"]
        return metric.metric_kind.growth(value, metric.display_unit, get_language())

    def value(self, value, record):
        metric = record["metric_obj"]
        if value is None:
            return None
        if metric.metric_kind.convention is progress.Kind.COMPOUND:
            return formatting.export_number(value * 100, 2)
        return formatting.export_number(value, 2)


class YearColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "nowrap"}, "th": {"class": "nowrap"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formatting.year(value, get_language())

    def value(self, value):
        return value


class StatusColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("order_by", ("status_rank",))
        super().__init__(*args, **kwargs)

    def render(self, value):
        # As includes/status_badge.html and the status_badge tag write it, without a template.
        status = progress.Status(value)
        return format_html(
            '<span class="badge {}">{}</span>\n', status.value, gettext(status.label)
        )

    def value(self, value):
        return gettext(progress.Status(value).label)


class ReasonColumn(tables.Column):
    """Why a figure's status is 无数据 (no baseline, another 口径, only part-year figures …);
    empty for every other status."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ("",))
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return progress_text(value)

    def value(self, value):
        return formatting.spreadsheet_safe(progress_text(value))


def progress_text(text):
    """One of the engine's `Text`s in the page's language; other text as it is."""
    return text.translate(gettext) if isinstance(text, progress.Text) else str(text or "")


class FiguresColumn(tables.Column):
    """The figures a measure moves, each linked to its page when a plan targets it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("empty_values", ([],))
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return render_to_string("includes/measure_figures.html", {"figures": value})

    def value(self, value):
        return formatting.spreadsheet_safe("、".join(f["metric"].display_name for f in value))


class LinkedTextColumn(tables.Column):
    """Text linking to the row's page (record["url"]); exported as plain text."""

    def render(self, value, record):
        return format_html('<a href="{}">{}</a>', record["url"], value)

    def value(self, value):
        return value


class LatestColumn(FigureColumn):
    """The latest full-year actual, marked when staff preview a figure not yet approved."""

    def render(self, value, record):
        text = self.text(value, record)
        if record.get("unapproved"):
            return format_html(
                '<span class="unapproved">{} <span class="flag">{}</span></span>',
                text,
                gettext("未审核"),
            )
        return text


# --- export -------------------------------------------------------------------------------------


class SafeTableExport(TableExport):
    """TableExport whose text cells cannot turn into spreadsheet formulas."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = type(dataset)(title=dataset.title)
        safe.headers = [formatting.spreadsheet_safe(h) for h in dataset.headers or []]
        for row in dataset:
            safe.append([formatting.spreadsheet_safe(cell) for cell in row])
        return safe


def export_response(request, table, name, trigger="_export"):
    """The table as a download when `?<trigger>=xlsx|csv|json` asks for one, else None.

    For pages drawn by a function view, or with more than one table (each its own trigger).
    """
    export_format = request.GET.get(trigger)
    if export_format not in EXPORT_FORMATS:
        return None
    RequestConfig(request).configure(table)
    exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": "data"})
    return exporter.response(filename=f"{name}.{export_format}")


class ExportViewMixin(ExportMixin):
    """`?_export=xlsx|csv|json` on any page whose view has one django-tables2 table."""

    export_class = SafeTableExport
    export_formats = EXPORT_FORMATS
    dataset_kwargs = {"title": "data"}


# --- tables -------------------------------------------------------------------------------------


class BaseTable(tables.Table):
    """Every dashboard table. Given the `plan` a page follows, columns whose headers name the
    plan's years (its base year's 基数, its target year's 目标) take them from it: see `plan_headers`."""

    class Meta:
        attrs = {"class": "table"}
        template_name = "includes/table.html"  # django-tables2's, its body in one pass
        orderable = True
        empty_text = _("暂无数据")

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            for name, header in self.plan_headers(plan).items():
                self.columns[name].column.verbose_name = header

    def plan_headers(self, plan):
        """{column name: header} for headers that name the plan's years."""
        return {}


class FigureTable(BaseTable):
    """Every tracked figure with its progress: the status summary, a chain's or town's figures."""

    plan = tables.Column(verbose_name=_("规划"))
    subject = tables.Column(verbose_name=_("对象"))
    metric = LinkedTextColumn(verbose_name=_("指标"))
    unit = tables.Column(verbose_name=_("单位"), orderable=False, attrs={"td": {"class": "nowrap"}})
    baseline = FigureColumn(verbose_name=_("基数"))
    target = FigureColumn(verbose_name=_("目标"))
    latest_year = YearColumn(verbose_name=_("实际年份"))
    latest = LatestColumn(verbose_name=_("最新实际值"))
    completion = PercentColumn(verbose_name=_("完成度"))
    planned_growth = GrowthColumn(verbose_name=_("规划年均增速"))
    required_growth = GrowthColumn(verbose_name=_("所需年均增速"))
    status = StatusColumn(verbose_name=_("状态"))
    status_reason = ReasonColumn(verbose_name=_("无数据原因"))


class ComparisonTable(BaseTable):
    """The same quantity under both plans, side by side."""

    subject = tables.Column(verbose_name=_("对象"))
    metric = LinkedTextColumn(verbose_name=_("指标"))
    plan = tables.Column(verbose_name=_("规划"))
    baseline_year = YearColumn(verbose_name=_("基期"))
    baseline = FigureColumn(verbose_name=_("基数"))
    target_year = YearColumn(verbose_name=_("目标年份"))
    target = FigureColumn(verbose_name=_("目标"))
    latest_year = YearColumn(verbose_name=_("实际年份"))
    latest = LatestColumn(verbose_name=_("最新实际值"))
    completion = PercentColumn(verbose_name=_("完成度"))
    status = StatusColumn(verbose_name=_("状态"))

    class Meta(BaseTable.Meta):
        orderable = False


def quoted_on_english_pages(record):
    """lang="zh-Hans" for a cell holding someone's own Chinese words, on English pages."""
    return "zh-Hans" if record.get("note_quoted") and english_page() else None


class YearTable(BaseTable):
    """Every year of one figure with the engine's computed columns."""

    year = YearColumn(verbose_name=_("年份"))
    expected = FigureColumn(verbose_name=_("规划路径值"))
    actual = LatestColumn(verbose_name=_("实际值"))
    completion = PercentColumn(verbose_name=_("完成度"))
    progress = ProgressColumn(verbose_name=_("较基数进度"))
    achieved_growth = GrowthColumn(verbose_name=_("实际年均增速"))
    required_growth = GrowthColumn(verbose_name=_("所需年均增速"))
    status = StatusColumn(verbose_name=_("当年状态"))
    note = tables.Column(
        verbose_name=_("说明"), orderable=False, attrs={"td": {"lang": quoted_on_english_pages}}
    )

    class Meta(BaseTable.Meta):
        orderable = False


# Cells quoting the documents' own words (no English version exists), marked for screen readers.
QUOTED = {"td": {"lang": "zh-Hans"}}


def quoted_if_chinese(value):
    """lang="zh-Hans" for a cell of names that read in English where english.yaml has them
    (projects, measures, units, industries) and are still Chinese on an English page."""
    return "zh-Hans" if english_page() and sources.still_chinese(value) else None


# Cells of the documents' names and short words: English where a name or glossary has them.
QUOTED_IF_CHINESE = {"td": {"lang": quoted_if_chinese}}


class MeasureTable(BaseTable):
    """The twelve measures of section 三, by project, with responsible units."""

    project = tables.Column(verbose_name=_("工程"), attrs=QUOTED_IF_CHINESE)
    number = tables.Column(verbose_name=_("序号"), attrs={"td": {"class": "num"}})
    title = tables.Column(verbose_name=_("举措"), attrs=QUOTED_IF_CHINESE)
    units = tables.Column(verbose_name=_("责任单位"), orderable=False, attrs=QUOTED_IF_CHINESE)
    figures = FiguresColumn(verbose_name=_("推动的指标"))
    source = tables.Column(verbose_name=_("出处"), orderable=False)

    def render_source(self, value):
        return sources.display(value)

    class Meta(BaseTable.Meta):
        orderable = False


class RecordedTable(BaseTable):
    """Every figure recorded for a subject (全部数据), with or without a target, as stated in
    its source; one page at a time (`recorded_table`). The columns give the headers; the rows
    are drawn straight from the actuals by the table's template (a page of a hundred renders
    in a few milliseconds, where cell-by-cell rendering took more than a hundred)."""

    metric = tables.Column(verbose_name=_("指标"))
    period = tables.Column(verbose_name=_("统计期"))
    value = tables.Column(verbose_name=_("数值"))
    note = tables.Column(verbose_name=_("说明"))
    source = tables.Column(verbose_name=_("出处"))

    class Meta(BaseTable.Meta):
        orderable = False
        template_name = "includes/recorded_table.html"


RECORDED_PAGE_SIZE = 100


class FixedSizePaginator(Paginator):
    """Pages of `size` rows whatever ?per_page= says (a page's weight is the site's choice)."""

    size = 100

    def __init__(self, object_list, per_page=None, *args, **kwargs):
        super().__init__(object_list, self.size, *args, **kwargs)


def pagination(size):
    """django-tables2 pagination options: `size` rows a page; a page number out of range
    (?page=0, ?page=-1, past the end) shows the last page."""
    return {
        "per_page": size,
        "paginator_class": type("Paginator", (FixedSizePaginator,), {"size": size}),
    }


def recorded_table(request, actuals):
    """A RecordedTable of `actuals` (an ordered queryset) showing the page the query asks for
    (?figures-page=), RECORDED_PAGE_SIZE rows at a time."""
    table = RecordedTable(actuals, prefix="figures-")
    RequestConfig(request, paginate=pagination(RECORDED_PAGE_SIZE)).configure(table)
    return table
