"""Towns: the list of localities and a page per locality with its annex-1 figures and parks."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Actual, Metric
from parks.models import Locality
from tests.helpers import approved

pytestmark = pytest.mark.django_db


def test_the_list_shows_every_locality_of_annex_1(client):
    html = client.get("/towns/").content.decode()
    for locality in Locality.objects.all():
        assert f'<a href="/towns/{locality.slug}/">{locality.name}</a>' in html


def test_the_list_exports_targets_as_numbers(client):
    response = client.get("/towns/", {"metric": "hightech-firms", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    tianmu = dict(zip(rows[0], next(r for r in rows if r[1] == "天穆镇"), strict=True))
    assert (float(tianmu["基数"]), float(tianmu["目标"])) == (10, 10)


def test_towns_rank_by_completion_with_baseline_latest_and_status(client):
    # Annex 1 high-tech firms: 双街镇 35 → 50, 小淀镇 35 → 50.
    approved("shuangjie", "hightech-firms", 2024, 40)  # 80.0%
    approved("xiaodian", "hightech-firms", 2024, 45)  # 90.0%
    response = client.get("/towns/", {"metric": "hightech-firms"})
    rows = response.context["table"].rows
    ranked = [(r.get_cell("rank"), r.get_cell("name")) for r in rows][:3]
    assert [name for _, name in ranked] == [
        '<a href="/towns/xiaodian/">小淀镇</a>',
        '<a href="/towns/shuangjie/">双街镇</a>',
        rows[2].get_cell("name"),
    ]
    html = " ".join(response.content.decode().split())
    assert '<td class="num">35 家</td> <td class="num">40 家</td>' in html
    assert "35.0" not in html and "40.0" not in html  # counts print whole, with their unit
    saved = Actual.objects.get(subject__slug="xiaodian", metric__slug="hightech-firms", year=2024)
    assert saved.value == 45
    first = rows[0]
    assert (first.get_cell("rank"), first.get_cell("completion")) == (1, "90.0%")
    assert rows[2].get_cell("rank") == "—"  # no actual yet: not ranked


def test_town_names_do_not_wrap(client):
    html = client.get("/towns/").content.decode()
    assert '<td class="nowrap"><a href="/towns/shuangjie/">双街镇</a></td>' in html


def test_a_town_page_shows_its_annex_1_figures_and_its_parks(client):
    html = client.get("/towns/shuangjie/").content.decode()
    assert "附件1分解指标" in html
    for park in ["双街工业区", "双源工业区", "汉沟工业区", "双街镇未列名园区"]:
        assert park in html


def test_a_target_equal_to_its_baseline_says_why_progress_is_not_computable(client):
    # 天穆镇 keeps its 10 high-tech firms from 2020 to 2025 (annex 1).
    Actual.objects.create(
        subject=Locality.objects.get(slug="tianmu"),
        metric=Metric.objects.get(slug="hightech-firms"),
        year=2023,
        value=10,
        state=Actual.State.APPROVED,
    )
    html = client.get("/indicators/doubling-2021-2025/tianmu/hightech-firms/").content.decode()
    assert "目标与基数相同，无法计算较基数的进度" in html
    assert "100.0%" in html  # completion 10 ÷ 10


def test_the_parks_of_a_town_export_separately(client):
    response = client.get("/towns/shuangjie/", {"_export_parks": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][:2] == ["排名", "园区"]
    assert len(rows) == 5  # header + four parks


def test_the_list_query_count_does_not_grow_with_towns(client, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as before:
        client.get("/towns/")
    for n in range(3):
        Locality.objects.create(
            name=f"测试镇{n}", slug=f"test-town-{n}", number=50 + n, type="town"
        )
    with django_assert_max_num_queries(len(before)):
        assert "测试镇2" in client.get("/towns/").content.decode()


def test_dazhangzhuang_page_carries_the_annex_1_note(client):
    html = client.get("/towns/dazhangzhuang/").content.decode()
    assert "注：大张庄镇2025年战略性新兴产业工业产值增长支撑因素为江铜华北拉动。" in html
