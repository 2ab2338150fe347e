"""Plotly charts for the progress pages: numbers in, a JSON-ready chart out (no Django).

Every chart is returned as a payload {"data", "layout", "config"} of plain dicts and lists
following plotly's JSON schema, which templates embed with `json_script` and
`static/js/charts.js` hands to the plotly.js served from our own static files. Building plain
data costs microseconds per chart; plotly's Python validation (`plotly.graph_objects`) runs in
the tests over every chart the site draws, not on every request. Years are whole years on the
axis; values stay in the figure's own unit.
"""

from indicators.engine import formatting

RED = "#b42318"
DARK_RED = "#8e1b13"
GREY = "#7b8794"
BLUE = "#2b6cb0"
GREEN = "#2f855a"

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'

_WORDS = {
    "zh": {
        "baseline": "基数",
        "planned": "规划路径",
        "actual": "实际值",
        "partial": "部分年度",
        "target": "目标",
        "projection": "按现有速度预计",
        "share": "占比",
    },
    "en": {
        "baseline": "Baseline",
        "planned": "Planned path",
        "actual": "Actual",
        "partial": "Part-year",
        "target": "Target",
        "projection": "Projection at current pace",
        "share": "Share",
    },
}


def _lang(lang) -> str:
    return "en" if str(lang or "").lower().startswith("en") else "zh"


def config(lang="zh-hans") -> dict:
    """plotly.js config: the page's locale, no plotly logo, no cloud button."""
    return {
        "locale": "en" if _lang(lang) == "en" else "zh-CN",
        "displaylogo": False,
        "showSendToCloud": False,
        "responsive": True,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def _year_axis(first, last) -> dict:
    return {
        "dtick": 1,
        "tickformat": "d",
        "range": [first - 0.5, last + 0.5],
        "showgrid": False,
        "linecolor": "#9aa5b1",
    }


def _layout(unit, first, last, height, title="") -> dict:
    layout = {
        "font": {"family": FONT, "size": 12, "color": "#1f2933"},
        "height": height,
        "margin": {"l": 56, "r": 16, "t": 36 if title else 12, "b": 40},
        "xaxis": _year_axis(first, last),
        "yaxis": {"title": {"text": unit}, "rangemode": "tozero", "gridcolor": "#e4e7eb"},
        "legend": {"orientation": "h", "y": -0.18},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "hovermode": "x unified",
    }
    if title:
        layout["title"] = {"text": title, "font": {"size": 14}}
    return layout


def _scatter(points, **style) -> dict:
    """A scatter trace from [(x, y)] pairs; numbers are plain floats for the JSON payload."""
    return {
        "type": "scatter",
        "x": [_plain(x) for x, _ in points],
        "y": [_plain(y) for _, y in points],
        **style,
    }


def _plain(value):
    """Decimals and other numeric types as JSON numbers (ints stay ints: years)."""
    if value is None or isinstance(value, (int, float, str)):
        return value
    return float(value)


def payload(data, layout, lang="zh-hans") -> dict:
    """The chart's traces and layout with the page's config."""
    return {"data": data, "layout": layout, "config": config(lang)}


def indicator(
    *,
    unit,
    baseline,
    target,
    planned=(),
    actuals=(),
    partial=(),
    projection=None,
    title="",
    lang="zh-hans",
    height=360,
) -> dict:
    """Baseline point, planned path, actuals, target line and projection for one figure.

    baseline, target, projection: (year, value) or None; planned, actuals, partial: [(year, value)].
    """
    words = _WORDS[_lang(lang)]
    years = [y for y, _ in (*planned, *actuals, *partial)]
    for pair in (baseline, target, projection):
        if pair:
            years.append(pair[0])
    first, last = min(years), max(years)  # a baseline and a target are always given
    data = []
    if planned:
        data.append(
            _scatter(
                planned,
                name=words["planned"],
                mode="lines",
                line={"color": GREY, "dash": "dot", "width": 2},
            )
        )
    if target:
        data.append(
            _scatter(
                [(first - 0.5, target[1]), (last + 0.5, target[1])],
                name=f"{words['target']}（{target[0]}）"
                if _lang(lang) == "zh"
                else words["target"],
                mode="lines",
                line={"color": RED, "dash": "dash", "width": 1.5},
                hoverinfo="skip",
            )
        )
    if baseline:
        data.append(
            _scatter(
                [baseline],
                name=words["baseline"],
                mode="markers",
                marker={"color": GREY, "size": 10, "symbol": "square"},
            )
        )
    if actuals:
        data.append(
            _scatter(
                actuals,
                name=words["actual"],
                mode="lines+markers",
                line={"color": DARK_RED, "width": 3},
                marker={"size": 9},
            )
        )
    if partial:
        data.append(
            _scatter(
                partial,
                name=words["partial"],
                mode="markers",
                marker={"color": "#ffffff", "size": 9, "line": {"color": DARK_RED, "width": 2}},
            )
        )
    if projection and actuals:
        data.append(
            _scatter(
                [actuals[-1], projection],
                name=words["projection"],
                mode="lines+markers",
                line={"color": BLUE, "dash": "dash", "width": 2},
                marker={"symbol": "diamond-open", "size": 9},
            )
        )
    return payload(data, _layout(unit, first, last, height, title), lang)


def sparkline(*, baseline, target, actuals=(), lang="zh-hans") -> dict:
    """A small trend for an overview card: baseline, actuals, and the target as a marker."""
    full = indicator(
        unit="",
        baseline=baseline,
        target=None,
        planned=[baseline, target] if baseline and target else (),
        actuals=actuals,
        lang=lang,
        height=120,
    )
    layout = full["layout"]
    layout.update(
        showlegend=False,
        margin={"l": 8, "r": 8, "t": 6, "b": 22},
        yaxis={"visible": False, "rangemode": "tozero"},
    )
    layout["xaxis"].update(tickfont={"size": 10})
    if target:
        full["data"].append(
            {
                "type": "scatter",
                "x": [_plain(target[0])],
                "y": [_plain(target[1])],
                "mode": "markers",
                "name": _WORDS[_lang(lang)]["target"],
                "marker": {"color": RED, "size": 8, "symbol": "star"},
            }
        )
    full["config"] = {**full["config"], "staticPlot": True}
    return full


def share_bars(labels, shares, *, lang="zh-hans", height=None) -> dict:
    """Horizontal bars of each chain's share of the total (shares as ratios, 0.306 = 30.6%)."""
    words = _WORDS[_lang(lang)]
    bar = {
        "type": "bar",
        "x": [float(formatting.half_up(formatting.decimal(s) * 100, 1)) for s in shares],
        "y": list(labels),
        "orientation": "h",
        "name": words["share"],
        "marker": {"color": DARK_RED},
        "text": [formatting.percent(s) for s in shares],
        "textposition": "outside",
        "cliponaxis": False,
    }
    layout = {
        "font": {"family": FONT, "size": 12, "color": "#1f2933"},
        "height": height or 40 + 30 * len(shares),
        "margin": {"l": 150, "r": 50, "t": 10, "b": 30},
        "xaxis": {"ticksuffix": "%", "rangemode": "tozero", "gridcolor": "#e4e7eb"},
        "yaxis": {"autorange": "reversed"},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "showlegend": False,
    }
    return payload([bar], layout, lang)


def table(chart) -> dict:
    """The chart's numbers as a table (category × trace) for screen readers and the data view.

    Reference lines (traces with hoverinfo "skip", such as the target line) are left out; the
    target appears as the planned path's last value and in the page text.
    """
    traces = [t for t in chart["data"] if t.get("hoverinfo") != "skip"]
    columns, cells = [], {}
    for trace in traces:
        horizontal = trace.get("orientation") == "h"
        cats, vals = (trace["y"], trace["x"]) if horizontal else (trace["x"], trace["y"])
        columns.append(trace.get("name", ""))
        for cat, val in zip(cats, vals, strict=True):
            cells.setdefault(cat, {})[len(columns) - 1] = val
    rows = [
        {"category": cat, "values": [cells[cat].get(i) for i in range(len(columns))]}
        for cat in cells
    ]
    if rows and all(isinstance(r["category"], (int, float)) for r in rows):
        rows.sort(key=lambda r: r["category"])
    return {"columns": columns, "rows": rows}
