"""口径 and bases: a status is computed only between values of the same metric on the same base.

An official reading the IT chain, the high-tech firms and the 亩均 figures must see what each
number measures, and the dashboard must never assess a value against a target it does not
measure (the report's 产值 7 亿元 against the plan's 营业收入 40 → 80 亿元).
"""

import re

import pytest

from indicators.domain import quality, tracking
from indicators.engine import progress
from indicators.models import Metric, Target
from tests.helpers import read_page

pytestmark = pytest.mark.django_db

IT_REVENUE = "/indicators/doubling-2021-2025/it-innovation/chain-revenue/"
HIGHTECH_FIRMS = "/indicators/doubling-2021-2025/beichen/hightech-firms/"


# -- the IT chain: 营业收入 target, 产值 series -------------------------------------------------


def test_the_it_chain_is_not_assessed_against_its_revenue_target_with_its_output(client):
    [tracked] = tracking.track(
        Target.objects.filter(subject__slug="it-innovation", metric__slug="chain-revenue")
    )
    assert tracked.status is progress.Status.NO_DATA
    assert not progress.computable(tracked.completion)
    assert [(a.year, float(a.value)) for a in tracked.other_basis] == [(2024, 7.0)]
    assert (
        tracked.status_reason
        == "尚无在链企业营业收入实际值；2024年在链企业产值7亿元口径不同，不据以评估"
    )


@pytest.mark.parametrize("url", ["/", "/chains/", "/chains/it-innovation/", IT_REVENUE, "/status/"])
def test_no_page_shows_the_it_chain_as_regressing_or_8_8_percent(client, url):
    # The method's own wording ("R < 0 倒退") is not a status.
    text = read_page(client, url).replace("R < 0 倒退", "")
    parts = text.split("信息技术应用创新产业链")[1:]
    assert parts
    for part in parts:
        about_it = part[:400].split("产业链")[0]  # up to the next chain's name
        assert "倒退" not in about_it
        assert "8.8%" not in about_it
    assert "1,042.9%" not in text


def test_the_overview_shows_the_it_chains_output_as_its_own_series_with_its_growth(client):
    text = read_page(client, "/")
    assert "另一口径：2024年在链企业产值 7.0 亿元，同比 27.8%（单独列示，不据以评估）" in text
    assert "无数据：尚无在链企业营业收入实际值" in text


def test_the_it_revenue_page_names_both_measures(client):
    text = read_page(client, IT_REVENUE)
    assert "另一口径：在链企业产值（单独列示，不据以评估）" in text
    assert "2024年 7.0 亿元" in text
    assert "正文二写明为营业收入" in text


# -- high-tech firms: two bases -----------------------------------------------------------------


def test_the_high_tech_firms_page_assesses_the_figure_on_both_bases(client):
    text = read_page(client, HIGHTECH_FIRMS)
    assert "按不同基数的评估" in text
    assert "状态随基数而异" in text
    assert re.search(r"400 家 本规划基数 .*?0\.98 正常推进", text)
    assert re.search(r"442 家 《工业“十四五”规划》.*?0\.85 需加快", text)


def test_the_overview_marks_the_high_tech_status_as_base_dependent(client):
    text = read_page(client, "/")
    assert "随基数而异" in text
    assert "基数 400 家：正常推进（R = 0.98）" in text
    assert "基数 442 家：需加快（R = 0.85）" in text


def test_rebasing_keeps_the_plans_pace():
    plan = progress.Figure(2020, 400, 2025, 800, kind=progress.Kind.COUNT)
    on_442 = progress.rebased(plan, 442)
    assert (on_442.baseline_value, on_442.target_value) == (442, 842)
    assert progress.progress_ratio(on_442, progress.Point(2024, 715)) == pytest.approx(273 / 320)
    amounts = progress.rebased(progress.Figure(2020, 330, 2025, 700), 300)
    assert amounts.target_value == pytest.approx(300 * 700 / 330)


# -- the data-quality page lists every case ---------------------------------------------------


def basis_messages():
    return [f.message for f in quality.findings(rules={"basis"})]


def test_the_quality_page_lists_each_comparability_case(client):
    messages = basis_messages()
    assert any("40 → 80 亿元是在链企业营业收入" in m and "产值 7 亿元" in m for m in messages)
    assert any("R = 0.98，正常推进" in m and "R = 0.85，需加快" in m for m in messages)
    assert any("2.3%" in m and "49.8%" in m for m in messages)
    assert any("208 家" in m and "715 − 442" in m and "= 273 家" in m for m in messages)
    assert any("亩均产值 354 万元/亩" in m and "毛面积" in m for m in messages)
    text = read_page(client, "/quality/")
    assert "口径与基数" in text and "= 273 家" in text


def test_targets_and_plans_are_not_reported_as_off_scale_text():
    # 正文二's 2025 figures are targets, not the report's 2024 actuals restated.
    assert not [m for m in basis_messages() if "中医药" in m or "新能源" in m]


# -- 指标说明 -------------------------------------------------------------------------------------


def test_every_metric_carries_its_metadata():
    for metric in Metric.objects.all():
        assert metric.agency and metric.frequency and metric.assessment_method, metric.slug
    revenue = Metric.objects.get(slug="chain-revenue")
    assert "营业收入口径" in revenue.scope
    assert Metric.objects.get(slug="hightech-firms-new").increment_of.slug == "hightech-firms"


def test_each_figure_page_shows_its_metadata(client):
    text = read_page(client, HIGHTECH_FIRMS)
    assert "指标说明" in text
    assert "统计口径 倍增行动方案以2020年400家为基数" in text
    assert "统计频率 年度（年末累计）" in text
    assert "状态判定方法 完成度 = 最新全年实际值 ÷ 目标值" in text


def test_an_administrator_edits_the_metadata_and_the_page_shows_it(client, admin_client):
    metric = Metric.objects.get(slug="hightech-firms")
    response = admin_client.get(f"/admin/indicators/metric/{metric.pk}/change/")
    assert "统计口径" in response.content.decode()
    metric.scope = "按科技部门认定的有效期内企业计。"
    metric.save()
    assert "按科技部门认定的有效期内企业计。" in read_page(client, HIGHTECH_FIRMS)


def test_a_routine_reload_keeps_an_edited_metadata_text():
    from indicators.documents.loading import load_documents

    Metric.objects.filter(slug="rd-share").update(scope="已修改")
    load_documents()
    assert Metric.objects.get(slug="rd-share").scope == "已修改"
    load_documents(reset=True)
    assert Metric.objects.get(slug="rd-share").scope.startswith("规模以上工业企业R&D经费投入")


def test_the_growth_column_says_what_it_is(client):
    assert "文件所列五年增加量：400" in read_page(client, HIGHTECH_FIRMS)
    assert "文件所列年均增速：16%" in read_page(
        client, "/indicators/doubling-2021-2025/beichen/strategic-output/"
    )
