"""One page per indicator: chart, every year, the calculation by hand, the town breakdown."""

import csv
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from indicators.models import Actual, Metric, Subject

pytestmark = pytest.mark.django_db

STRATEGIC = "/indicators/doubling-2021-2025/beichen/strategic-output/"
HIGHTECH_FIRMS = "/indicators/doubling-2021-2025/beichen/hightech-firms/"
NEW_ENERGY = "/indicators/doubling-2021-2025/new-energy/chain-output/"


def html_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def chart_of(html, chart_id="indicator-chart"):
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1))


def test_it_spells_out_the_planned_growth_with_its_inputs(client):
    html = html_of(client, STRATEGIC)
    assert "(700 ÷ 330)^(1/5) − 1 = 16.2%" in html
    assert "文件所列年均增速" in html and "16%" in html


def test_it_shows_what_the_new_energy_chain_still_needs(client):
    html = html_of(client, NEW_ENERGY)
    assert "(300 ÷ 130.6)^(1/1) − 1 = 129.7%" in html
    assert "+129.7%/年" in html
    assert "130.6 亿元" in html


def test_the_chart_has_baseline_path_actuals_target_and_projection(client):
    chart = chart_of(html_of(client, HIGHTECH_FIRMS))
    names = [t["name"] for t in chart["data"]]
    assert names == ["规划路径", "目标（2025）", "基数", "实际值", "按现有速度预计"]
    actual = chart["data"][3]
    assert actual["x"] == [2024] and actual["y"] == [715.0]
    assert chart["layout"]["xaxis"]["dtick"] == 1
    assert chart["config"]["locale"] == "zh-CN"
    assert chart["config"]["showSendToCloud"] is False


def test_the_chart_is_paired_with_its_data_table(client):
    html = html_of(client, HIGHTECH_FIRMS)
    assert 'id="indicator-chart-table"' in html
    assert '<th scope="row">2024</th>' in html


def test_the_year_table_lists_every_year_from_baseline_to_target(client):
    html = html_of(client, HIGHTECH_FIRMS)
    for year in range(2020, 2026):
        assert f"<td >{year}年</td>" in html or f">{year}年<" in html
    assert "89.4%" in html  # 715 ÷ 800


def test_a_district_figure_lists_each_towns_own_target(client):
    html = html_of(client, HIGHTECH_FIRMS)
    assert "分属地目标与进度" in html
    for town in ["开发区", "双街镇", "天穆镇", "青光镇"]:
        assert town in html


def test_it_links_to_the_other_plans_target_for_the_same_quantity(client):
    html = html_of(client, HIGHTECH_FIRMS)
    assert "/indicators/industry-14th-fyp/beichen/hightech-firms/" in html
    assert "442 家" in html and "650 家" in html


def test_a_zero_baseline_says_why_growth_is_not_computable(client):
    html = html_of(client, "/indicators/doubling-2021-2025/it-innovation/strategic-output/")
    assert "基数为零" in html


def test_an_unknown_indicator_is_not_found(client):
    assert client.get("/indicators/doubling-2021-2025/beichen/no-such-metric/").status_code == 404


def test_the_year_table_exports_numbers_as_numbers(client):
    response = client.get(HIGHTECH_FIRMS, {"_export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("年份", "规划路径值", "实际值")
    row_2024 = next(r for r in rows if r[0] == 2024)
    assert row_2024[2] == 715
    assert row_2024[3] == pytest.approx(89.38)


def test_a_note_that_looks_like_a_formula_is_exported_as_text(client):
    Actual.objects.filter(subject__slug="beichen", metric__slug="hightech-firms", year=2024).update(
        source="", note='=HYPERLINK("http://evil.example","点击")'
    )
    response = client.get(HIGHTECH_FIRMS, {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    row_2024 = next(r for r in rows if r[0] == "2024")
    assert row_2024[-1] == '\'=HYPERLINK("http://evil.example","点击")'


@pytest.fixture
def carol(db):
    """Carol, a reviewer on the district staff, who may preview figures not yet approved."""
    return get_user_model().objects.create_user("carol", password="carol-pass-2024!", is_staff=True)


def submit_2025_high_tech_firms():
    Actual.objects.create(
        subject=Subject.objects.get(slug="beichen"),
        metric=Metric.objects.get(slug="hightech-firms"),
        year=2025,
        value=790,
        state=Actual.State.SUBMITTED,
    )


def test_staff_preview_marks_a_submitted_figure_as_not_yet_approved(client, carol):
    submit_2025_high_tech_firms()
    client.force_login(carol)
    html = html_of(client, HIGHTECH_FIRMS, preview=1)
    assert "790 家" in html
    assert '<span class="unapproved">790 家 <span class="flag">未审核</span></span>' in html
    assert "预览模式" in html


def test_without_preview_the_submitted_figure_stays_off_the_page(client, carol):
    submit_2025_high_tech_firms()
    client.force_login(carol)
    assert "790 家" not in html_of(client, HIGHTECH_FIRMS)
    client.logout()
    assert "790 家" not in html_of(client, HIGHTECH_FIRMS, preview=1)


def test_english_pages_show_the_calculation_in_english_with_the_same_numbers(client):
    client.cookies["django_language"] = "en"
    html = html_of(client, STRATEGIC)
    assert "Compound annual growth rate" in html
    assert "(700 ÷ 330)^(1/5) − 1 = 16.2%" in html
    assert "Zero baseline" not in html
    assert "700.0 100M yuan" in html
