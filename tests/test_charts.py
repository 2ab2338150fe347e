"""Chart payloads: local plotly config, whole-year axes, values in the figure's unit."""

import json
import re

import plotly.graph_objects as go
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from chains.models import Chain
from indicators.models import Target
from indicators.web import charts
from parks.models import Locality, Park


def strategic_output_chart(lang="zh-hans"):
    return charts.indicator(
        unit="亿元",
        baseline=(2020, 330),
        target=(2025, 700),
        planned=[(2020, 330), (2025, 700)],
        actuals=[(2024, 560.5)],
        partial=[(2025, 480.0)],
        projection=(2025, 620.0),
        lang=lang,
    )


def test_chinese_pages_use_the_zh_cn_chart_locale_without_cloud_or_logo():
    config = strategic_output_chart()["config"]
    assert config["locale"] == "zh-CN"
    assert config["showSendToCloud"] is False
    assert config["displaylogo"] is False


def test_english_pages_use_the_english_chart_locale():
    assert strategic_output_chart("en")["config"]["locale"] == "en"


def test_the_year_axis_shows_whole_years():
    xaxis = strategic_output_chart()["layout"]["xaxis"]
    assert xaxis["dtick"] == 1
    assert xaxis["tickformat"] == "d"


def test_values_stay_in_the_figures_unit():
    chart = strategic_output_chart()
    assert chart["layout"]["yaxis"]["title"]["text"] == "亿元"
    actual = next(t for t in chart["data"] if t["name"] == "实际值")
    assert actual["x"] == [2024] and actual["y"] == [560.5]


def test_it_draws_baseline_path_actuals_target_and_projection():
    names = [t["name"] for t in strategic_output_chart()["data"]]
    assert names == ["规划路径", "目标（2025）", "基数", "实际值", "部分年度", "按现有速度预计"]


def test_the_payload_carries_no_plotly_template():
    assert "template" not in strategic_output_chart()["layout"]


def test_the_data_table_lists_every_year_and_leaves_out_the_target_line():
    table = charts.table(strategic_output_chart())
    assert table["columns"] == ["规划路径", "基数", "实际值", "部分年度", "按现有速度预计"]
    assert [r["category"] for r in table["rows"]] == [2020, 2024, 2025]
    row_2024 = next(r for r in table["rows"] if r["category"] == 2024)
    assert row_2024["values"] == [None, None, 560.5, None, 560.5]


def test_share_bars_show_percentages_of_the_total():
    chart = charts.share_bars(["新材料产业链", "轻工产业链"], [425.1 / 1389.9, 324.4 / 1389.9])
    bar = chart["data"][0]
    assert bar["x"] == [30.6, 23.3]
    assert bar["text"] == ["30.6%", "23.3%"]
    table = charts.table(chart)
    assert table["rows"][0] == {"category": "新材料产业链", "values": [30.6]}


def test_plotly_and_its_chinese_locale_are_served_from_our_own_static_files():
    plotly_js = finders.find("vendor/plotly/plotly-basic.min.js")
    locale_js = finders.find("js/plotly-locale-zh-cn.js")
    assert plotly_js and locale_js and finders.find("vendor/plotly/LICENSE.txt")
    with open(locale_js, encoding="utf-8") as f:
        assert 'name: "zh-CN"' in f.read()


def test_the_partial_plotly_bundle_has_the_trace_types_the_site_draws():
    with open(finders.find("vendor/plotly/plotly-basic.min.js"), encoding="utf-8") as f:
        head = f.read(200)
    assert "plotly.js (basic - minified) v3." in head
    with open(finders.find("vendor/plotly/LICENSE.txt"), encoding="utf-8") as f:
        licence = f.read()
    assert "plotly.js-basic-dist-min@3.7.0" in licence and "MIT License" in licence
    assert not finders.find("vendor/plotly/plotly.min.js")  # the 4.85 MB full bundle is gone


def charts_on(html):
    """Every chart payload a page embeds (the json_script each chart div points to)."""
    found = []
    for chart_id in re.findall(r'data-chart="([^"]+)"', html):
        match = re.search(
            rf'<script id="{re.escape(chart_id)}" type="application/json">(.*?)</script>',
            html,
            re.S,
        )
        assert match, chart_id
        found.append(json.loads(match.group(1)))
    return found


def pages_that_draw_charts():
    urls = [reverse("indicators:home")]
    urls += [reverse("chains:detail", args=[c.slug]) for c in Chain.objects.all()]
    urls += [reverse("parks:locality", args=[loc.slug]) for loc in Locality.objects.all()]
    urls += [reverse("parks:park", args=[p.slug]) for p in Park.objects.all()]
    urls += [
        reverse("indicators:indicator", args=[t.plan.slug, t.subject.slug, t.metric.slug])
        for t in Target.objects.with_related()
    ]
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_chart_the_site_draws_is_a_valid_plotly_figure(client, language):
    """Plotly's own validation, run here instead of on every request: an unknown property or
    a wrong value type in any chart on any page raises."""
    client.cookies["django_language"] = language
    drawn = 0
    for url in pages_that_draw_charts():
        for chart in charts_on(client.get(url).content.decode()):
            go.Figure(data=chart["data"], layout=chart["layout"])  # raises on an invalid spec
            assert chart["config"]["showSendToCloud"] is False
            assert chart["config"]["locale"] == ("en" if language == "en" else "zh-CN")
            drawn += 1
    # five headline cards, four doubling chains, the share bars, and one chart per figure
    assert drawn > 150


def test_an_invalid_chart_specification_is_refused_by_the_validation():
    chart = strategic_output_chart()
    chart["data"][0]["line"]["dash"] = "wiggly"
    with pytest.raises(ValueError, match="dash"):
        go.Figure(data=chart["data"], layout=chart["layout"])
