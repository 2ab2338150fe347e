"""Parks ranked by output per mu (亩均产出), and one page per park."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Actual, Metric
from parks.models import Park, output_per_mu
from tests.helpers import more_parks

pytestmark = pytest.mark.django_db


def export_rows(client, **params):
    response = client.get("/parks/", {"_export": "csv", **params})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_output_per_mu_is_output_over_area_in_mu():
    assert output_per_mu(8, 7) == pytest.approx(761.9, abs=0.05)  # 8 亿元 ÷ (7 公顷 × 15 亩)
    assert output_per_mu(None, 40) is None
    assert output_per_mu(10, None) is None


def test_parks_are_ranked_by_output_per_mu_from_2020_output(client):
    rows = export_rows(client)
    header = rows[0]
    assert header[:2] == ["排名", "园区"]
    first = dict(zip(header, rows[1], strict=True))
    assert first["园区"] == "双街工业区"
    assert float(first["亩均产出（产值 ÷ 附件2占地毛面积，万元/亩）"]) == pytest.approx(761.9048)
    assert first["产值年份"] == "2020"


def test_the_unnamed_shuangjie_row_has_no_output_and_comes_last(client):
    rows = export_rows(client)
    last = dict(zip(rows[0], rows[-1], strict=True))
    assert last["园区"].startswith("双街镇未列名园区")
    assert last["亩均产出（产值 ÷ 附件2占地毛面积，万元/亩）"] == ""
    html = client.get("/parks/").content.decode()
    assert html.rindex("双街镇未列名园区") > html.rindex("双街工业区")


def test_a_newer_actual_replaces_the_2020_output_and_the_year_says_so(client):
    park = Park.objects.get(slug="beichen-etdz")
    Actual.objects.create(
        subject=park,
        metric=Metric.objects.get(slug="park-output"),
        year=2024,
        value=372,
        state=Actual.State.APPROVED,
    )
    rows = export_rows(client)
    header = rows[0]
    etdz = next(dict(zip(header, r, strict=True)) for r in rows if r[1] == "北辰经济技术开发区")
    assert etdz["产值年份"] == "2024"
    assert float(etdz["亩均产出（产值 ÷ 附件2占地毛面积，万元/亩）"]) == pytest.approx(
        1000.0
    )  # 372 × 10,000 ÷ 3,720 亩
    assert etdz["排名"] == "1"


def test_the_park_list_shows_per_mu_in_wan_yuan(client):
    html = client.get("/parks/").content.decode()
    assert "761.9 万元/亩" in html


def test_a_park_page_shows_its_profile_and_output_per_mu(client):
    html = client.get("/parks/shuangjie-park/").content.decode()
    assert "双街镇" in html and "761.9 万元/亩" in html and "2020年" in html


def test_the_unnamed_park_page_shows_a_dash_for_output_per_mu(client):
    response = client.get("/parks/shuangjie-unnamed/")
    assert response.status_code == 200
    assert "—" in response.content.decode()


def test_the_park_list_query_count_does_not_grow_with_parks(client, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as before:
        client.get("/parks/")
    more_parks(5)
    with django_assert_max_num_queries(len(before)):
        assert "测试园区4" in client.get("/parks/").content.decode()
