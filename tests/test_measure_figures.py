"""Each measure points at the figures it moves, and each of those figures' pages back at the
measure: 4 ↔ 企业技术中心 (“国家级和市级企业技术中心达到100家”), 8 ↔ 绿色工厂 (“创建一批国家级
绿色工厂”), 9 ↔ the chain fund (“设立规模在10亿元以上的…产业链发展基金”)."""

import json
import re

import pytest
from django.utils.html import strip_tags

from indicators.models import Measure, Metric
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

TECH_CENTRES = "/indicators/doubling-2021-2025/beichen/tech-centers/"
FUND = "/indicators/doubling-2021-2025/beichen/chain-fund-size/"
GREEN = "/indicators/industry-14th-fyp/beichen/green-factories/"


def linked(number):
    return set(Measure.objects.get(number=number).metrics.values_list("slug", flat=True))


def measure_item(html, number):
    return re.search(rf'<li value="{number}" id="measure-{number}">(.*?)</li>', html, re.S).group(1)


def test_the_fixtures_link_the_measures_their_texts_name():
    assert linked(4) == {"tech-centers", "tech-centers-new"}
    assert linked(8) == {"green-factories", "green-factories-national"}
    assert linked(9) == {"chain-fund-size"}
    assert linked(7) == {"output-per-mu", "tax-per-mu"}
    assert linked(2) == set()  # 招商和服务: no figure of its own


def test_the_measures_page_links_each_measure_to_its_figures(client):
    html = client.get("/measures/").content.decode()
    assert f'<a href="{TECH_CENTRES}">国家级和市级企业技术中心数量</a>' in measure_item(html, 4)
    assert f'<a href="{FUND}">产业链发展基金规模</a>' in measure_item(html, 9)
    assert f'<a href="{GREEN}">国家级/市级绿色工厂数量</a>' in measure_item(html, 8)
    # A figure no plan sets a target for is named, without a page to link to.
    assert "国家级绿色工厂数量" in strip_tags(measure_item(html, 8))


def test_the_measures_export_names_the_figures(client):
    rows = json.loads(client.get("/measures/", {"_export": "json"}).content)
    by_number = {r["序号"]: r for r in rows}
    assert (
        by_number[4]["推动的指标"]
        == "国家级和市级企业技术中心数量、新增国家级和市级企业技术中心数量"
    )
    assert by_number[9]["推动的指标"] == "产业链发展基金规模"


@pytest.mark.parametrize(
    ("url", "number", "title"),
    [
        (TECH_CENTRES, 4, "打造高质量产业发展体系"),
        (FUND, 9, "开展产业基金支撑行动"),
        (GREEN, 8, "高标准谋划落实“双碳”工作"),
    ],
)
def test_each_linked_figures_page_names_the_measure(client, url, number, title):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/measures/?plan=doubling-2021-2025#measure-{number}" in html
    assert f"推动该指标的工作举措 {number}. {title}" in text_of(response)


def test_a_figure_no_measure_names_has_no_measures_section(client):
    text = text_of(client.get("/indicators/doubling-2021-2025/beichen/strategic-output/"))
    assert "推动该指标的工作举措" not in text


def test_an_administrator_links_another_figure_and_both_pages_show_it(client):
    measure = Measure.objects.get(number=2)
    measure.metrics.add(Metric.objects.get(slug="strategic-output"))
    html = client.get("/measures/").content.decode()
    assert "工业战略性新兴产业产值" in measure_item(html, 2)
    text = text_of(client.get("/indicators/doubling-2021-2025/beichen/strategic-output/"))
    assert "推动该指标的工作举措 2. 深入推进招商和服务工作" in text
