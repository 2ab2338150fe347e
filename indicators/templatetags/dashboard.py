"""Template filters for figures; each one calls `indicators.engine.formatting` with the page's language."""

from html import escape

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from indicators import models
from indicators.domain import data_version, sources
from indicators.engine import formatting, kinds, progress
from indicators.web import charts, pages, table_rows

register = template.Library()


def _kind_and_unit(metric):
    """A Metric's kind and unit, or a bare MetricKind (for figures without a unit)."""
    if isinstance(metric, kinds.MetricKind):
        return metric, ""
    return metric.metric_kind, metric.display_unit


@register.filter
def figure(x, metric):
    """1389.9|figure:metric → "1,389.9 亿元", "715 家", "2.5%", by the metric's kind."""
    kind, unit = _kind_and_unit(metric)
    return kind.text(x, unit, get_language())


@register.filter
def bare(x, metric):
    """1389.9|bare:metric → "1,389.9" (for cells under a header naming the unit)."""
    kind, _unit = _kind_and_unit(metric)
    return kind.bare(x, get_language())


@register.filter
def amount(x, unit):
    """A figure that is not a metric's, as an amount: area|amount:"公顷" → "1,234.5 公顷"."""
    return kinds.AMOUNT.text(x, unit, get_language())


@register.filter
def count(x, unit):
    """A figure that is not a metric's, as a count: firms|count:"个" → "57 个"."""
    return kinds.COUNT.text(x, unit, get_language())


@register.filter
def stated(x, metric):
    """A recorded figure as stated: counts whole ("5,444 个"), shares with "%" ("93.1%"),
    amounts with every printed digit ("2,948.85 万元")."""
    kind, unit = _kind_and_unit(metric)
    if kind.percent:
        return formatting.stated(x, get_language()) + "%"
    if kind.whole:
        return kind.text(x, unit, get_language())
    text = formatting.stated(x, get_language())
    return f"{text} {unit}".strip()


@register.filter
def units(text):
    """Responsible units (发改委、工信局) in the page's language (`sources.listed`)."""
    return sources.listed(text, sources.GOVERNMENT_UNITS)


@register.filter
def industries(text):
    """Industries (装备制造、电子) in the page's language (`sources.listed`)."""
    return sources.listed(text, sources.INDUSTRIES)


@register.filter
def frequency(text):
    """How often a figure is counted (年度, 月度累计（1—N月）) in the page's language."""
    return sources.listed(text, sources.FREQUENCIES)


@register.filter
def metadata(text):
    """A figure's 指标说明 text (how the status is judged, its sources) in the page's language."""
    return sources.metadata_text(text)


@register.filter
def zh_lang(text):
    """lang="zh-Hans" for an element on an English page whose text is still Chinese."""
    if models.english_page() and sources.still_chinese(text):
        return mark_safe(' lang="zh-Hans"')
    return ""


@register.filter
def period(actual):
    """The period an actual covers: "2024年", "2025年1—10月", "2021-2025年累计"."""
    return actual.period_label


@register.filter
def pct(ratio):
    """1.0757|pct → "107.6%"."""
    return formatting.percent(ratio, get_language())


@register.filter
def pct_value(x):
    """30.6|pct_value → "30.6%" (a figure already in per cent)."""
    return formatting.per_cent(x, 1, get_language())


@register.filter
def growth(rate, metric):
    """A growth rate in the metric's own kind: "+16.2%/年", "+80 家/年", "+0.24 个百分点/年"."""
    return metric.metric_kind.growth(rate, metric.display_unit, get_language())


@register.filter
def ratio(r):
    """The progress ratio R to two decimals: 0.984375 → "0.98"; a dash when not computable."""
    if not formatting.is_number(r):
        return formatting.DASH
    return formatting.number(r, 2, get_language())


@register.filter
def year(y):
    """2024|year → "2024年"."""
    return formatting.year(y, get_language())


def translated(text):
    """One of the engine's `Text`s (or a plain catalogue message) in the page's language."""
    if isinstance(text, progress.Text):
        return models.translated(text)
    return gettext(text) if text else text


@register.filter
def status_label(status):
    return translated(progress.Status(status).label)


@register.filter
def reason(result):
    """The engine's reason when a number cannot be computed, else an empty string."""
    text = getattr(result, "reason", "")
    return translated(text) if text else ""


@register.filter
def bar_width(ratio):
    """A completion ratio as a CSS width between 0 and 100 (per cent)."""
    if not formatting.is_number(ratio):
        return 0
    return max(0, min(100, round(float(ratio) * 100, 1)))


@register.simple_tag
def status_badge(status):
    """A status as its coloured badge: <span class="badge on_track">正常推进</span>."""
    status = progress.Status(status)
    return format_html('<span class="badge {}">{}</span>\n', status.value, translated(status.label))


@register.filter
def change(ratio):
    """-0.003|change → "−0.3%" (同比, signed)."""
    return formatting.change(ratio, get_language())


@register.filter
def stated_change(ratio):
    """0.01|stated_change → "+1%": a rate the document states, with its own digits."""
    return formatting.stated_change(ratio, get_language())


@register.inclusion_tag("includes/latest_period.html")
def latest_period(period_figure, metric):
    """The latest 1—N月 figure beside the last full year: its 同比 and 预计全年."""
    return {"pf": period_figure, "metric": metric}


@register.simple_tag(takes_context=True)
def progress_bar(context, ratio):
    """A completion ratio as a bar, its width capped at 100%, its percentage for screen readers."""
    width = render_value_in_context(bar_width(ratio), context)
    return format_html(
        '<div class="bar" role="img" aria-label="{}"><span style="width: {}%"></span></div>\n',
        pct(ratio),
        width,
    )


@register.filter
def chart_table(chart):
    """The numbers behind a chart, as columns and rows for its data table."""
    return charts.table(chart) if chart else {"columns": [], "rows": []}


@register.simple_tag(takes_context=True)
def chart_rows(context, data, metric):
    """The rows of a chart's data table (from `chart_table`), each number `bare` in the
    metric's kind: one tag for the whole body instead of a template loop per cell."""
    kind, _unit = _kind_and_unit(metric)
    lang = get_language()
    rows = []
    for r in data["rows"]:
        # A number's text (digits, separators, a dash) escaped as the template would.
        cells = "".join(f'<td class="num">{escape(kind.bare(v, lang))}</td>' for v in r["values"])
        category = r["category"]  # a year, or a name (a chain's)
        if type(category) is not int or settings.USE_THOUSAND_SEPARATOR:
            category = render_value_in_context(category, context)
        rows.append(f'<tr><th scope="row">{category}</th>{cells}</tr>')
    return mark_safe("".join(rows))


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The site's links (includes/nav_links.html), the page's own marked: they read the
    language and the page's view name alone, so each is drawn once per language and view
    name in a process (kept with the data version's values, `data_version.kept`)."""
    match = getattr(context.get("request"), "resolver_match", None)
    name = getattr(match, "view_name", "")
    drawn = data_version.kept("site-nav", dict, get_language())
    html = drawn.get(name)
    if html is None:
        html = drawn[name] = render_to_string("includes/nav_links.html", {"name": name})
    return html


@register.simple_tag
def field_widget(field):
    """`{{ field }}`: a form field's widget, kept per data version, language and value
    (`pages.field_widget`)."""
    return pages.field_widget(field)


@register.simple_tag(takes_context=True)
def table_head(context, table, template):
    """A table's <thead> written in one pass (`table_rows.head`) as django-tables2's `template`
    ("table" or "bootstrap5") writes it; None for a page that template is left to draw."""
    return table_rows.head(table, context, template)


@register.simple_tag(takes_context=True)
def table_body(context, table):
    """A table's <tbody> written in one pass (`table_rows.body`): the cells django-tables2's
    table.html draws one by one; None for a table that template is left to draw."""
    return table_rows.body(table, context)


CARD_TEMPLATE = "includes/figure_card.html"
CARD_MEMO = "_drawn"  # an overview card's memo of its HTML: {(template values): (html, chart)}


@register.simple_tag(takes_context=True)
def figure_card(context, card, **values):
    """An overview card: `{% include "includes/figure_card.html" with card=card ... %}`, drawn
    once per card and kept with it. The overview's cards are kept per data version, plan,
    year, audience and language (views.overview_figures), and a card's HTML follows from the
    card, those and the values passed (id, title) alone, so every later visit reuses it; a
    card with a chart still marks the page as drawing one (see `draws_chart`)."""
    key = tuple(sorted(values.items()))
    memo = card.setdefault(CARD_MEMO, {})
    drawn = memo.get(key)
    if drawn is None:
        outer = context.dicts[0]
        marked = outer.get("page_draws_charts", False)
        outer["page_draws_charts"] = False
        template = context.template.engine.get_template(CARD_TEMPLATE)
        with context.push(card=card, **values):
            html = template.render(context)
        drawn = memo[key] = (html, outer["page_draws_charts"])
        outer["page_draws_charts"] = marked
    if drawn[1]:
        draws_chart(context)
    return drawn[0]


@register.simple_tag(takes_context=True)
def draws_chart(context):
    """Marks the page being rendered as one that draws a chart (see includes/chart.html).

    The section layout loads plotly.js only when a chart was drawn above it, so list pages
    and other pages without a chart load no plotly.js at all. The mark goes on the page's
    outermost context, which includes and `with` blocks share.
    """
    context.dicts[0]["page_draws_charts"] = True
    return ""


@register.filter
def engine(text):
    """One of the engine's words, reasons or worked-calculation lines, in the page's language."""
    return translated(text)


def _english():
    return (get_language() or "").startswith("en")


@register.filter
def parens(text):
    """Text in brackets as the page's language writes them: "（2024年）", " (2024)"."""
    if text in (None, ""):
        return ""
    return f" ({text})" if _english() else f"（{text}）"


# Punctuation between the words of a sentence, as each language writes it.
PUNCTUATION = {
    "colon": ("：", ": "),
    "semicolon": ("；", "; "),
    "list": ("、", ", "),
    "stop": ("。", ". "),
    "comma": ("，", ", "),
    "open": ("（", " ("),
    "close": ("）", ")"),
    "title_open": ("《", "“"),
    "title_close": ("》", "”"),
}


@register.simple_tag
def punct(name):
    """{% punct "colon" %} → "：" on Chinese pages, ": " on English ones (also semicolon, list, stop)."""
    chinese, english = PUNCTUATION[name]
    return english if _english() else chinese


@register.filter
def source(text):
    """Where in a document, in the page's language: 附件3 合计目标 → "Annex 3 total targets"."""
    return sources.display(text)


@register.filter
def plan_period(plan):
    """A plan with its years: "倍增行动方案（2021—2025）", "Doubling action plan (2021–2025)"."""
    dash = "–" if _english() else "—"
    return f"{plan.display_short_name}{parens(f'{plan.base_year + 1}{dash}{plan.target_year}')}"


@register.filter
def plan_years(plan):
    """A plan's years after its name: "（2021—2025年）", " (2021–2025)"."""
    if _english():
        return parens(f"{plan.base_year + 1}–{plan.target_year}")
    return parens(f"{plan.base_year + 1}—{plan.target_year}年")


@register.filter
def ended_plan(plan):
    """An ended plan in a list: "倍增行动方案（2025年到期，终期评估）"."""
    return plan.display_short_name + parens(
        gettext("{year}年到期，终期评估").format(year=plan.target_year)
    )
