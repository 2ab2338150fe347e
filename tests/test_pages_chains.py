"""The chain list (sortable, exportable) and one page per chain."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chains.models import Chain
from indicators.models import Actual, Metric
from tests.helpers import plan_target

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_all_nine_chains_with_their_output(client):
    html = get(client, "/chains/")
    for name in ["新材料产业链", "轻工产业链", "新能源产业链", "信息技术应用创新产业链"]:
        assert name in html
    assert "425.1 亿元" in html and "130.6 亿元" in html


def test_the_list_sorts_by_completion(client):
    rows = json.loads(get(client, "/chains/", sort="-completion", _export="json"))
    completions = [r["完成度"] for r in rows if r["完成度"] is not None]
    assert completions == sorted(completions, reverse=True)


def test_the_list_exports_the_same_columns_as_shown_with_numbers(client):
    response = client.get("/chains/", {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][:3] == ["序号", "产业链", "类别"]
    new_energy = next(r for r in rows if r[1] == "新能源产业链")
    assert float(new_energy[rows[0].index("最新产值")]) == 130.6


def test_a_chain_page_shows_its_profile_figures_and_other_statements(client):
    chain = Chain.objects.get(slug="new-energy")
    html = get(client, "/chains/new-energy/")
    assert chain.get_group_display() in html
    if chain.leader:
        assert chain.leader in html
    assert chain.responsible_unit in html
    assert "在链企业产值" in html and "+129.7%/年" in html
    assert "文件中的其他表述" in html
    assert 'data-chart="chain-chart-chain-output"' in html


def test_a_chain_page_exports_its_figures(client):
    rows = json.loads(get(client, "/chains/new-energy/", _export="json"))
    output = next(r for r in rows if r["指标"] == "在链企业产值")
    assert output["最新实际值"] == 130.6
    assert output["状态"] in {"需加快", "进展有限", "正常推进", "倒退"}


def test_the_list_query_count_does_not_grow_with_chains_or_years(
    client, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as before:
        get(client, "/chains/")
    output = Metric.objects.get(slug="chain-output")
    for n in range(4):
        chain = Chain.objects.create(
            name=f"测试产业链{n}", slug=f"test-{n}", number=80 + n, group="traditional"
        )
        plan_target(chain, output, 5, 10)
        for year in range(2021, 2025):
            Actual.objects.create(
                subject=chain, metric=output, year=year, value=6, state=Actual.State.APPROVED
            )
    with django_assert_max_num_queries(len(before)):
        assert "测试产业链3" in get(client, "/chains/")


def test_the_it_chain_page_says_the_text_measures_it_by_revenue(client):
    html = client.get("/chains/it-innovation/").content.decode()
    assert "正文以“营业收入”表述本链规模" in html
    # The annex's second row of leading firms is listed firm by firm.
    for firm in ("水泥院", "天工院", "朝亚", "江天"):
        assert f'<span class="tag">{firm}</span>' in html
