"""The read-only API: what the public sees, what staff preview, filters, ETag and errors."""

import json
import re

import pytest
from django.contrib.auth import get_user_model

from indicators.models import Actual, Metric, Subject
from tests.helpers import FOURTEENTH, num

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, (json.loads(response.content) if response.content else None)


def test_the_public_reads_the_reports_completion_of_each_14th_plan_indicator(client):
    response, data = get(client, f"/api/assessments/?plan={FOURTEENTH}&year=2024&page_size=50")
    assert response.status_code == 200
    completion = {row["metric"]: round(row["completion"], 3) for row in data["results"]}
    assert completion["mfg-va-gdp-share"] == 1.076
    assert completion["strategic-va-share"] == 0.905
    assert completion["hightech-firms"] == 1.1
    assert completion["digital-workshops"] == 1.55
    assert completion["green-factories"] == 1.138
    row = next(r for r in data["results"] if r["metric"] == "strategic-va-share")
    assert row["latest"] == {"year": 2023, "value": 49.8, "period": "", "published": True}
    assert row["status_label"] in {"需加快", "正常推进", "进展有限", "提前达到", "倒退"}


def test_the_public_sees_only_approved_figures(client):
    figure = Actual.objects.get(
        subject__slug="beichen", metric__slug="industrial-output", year=2024
    )
    figure.state = Actual.State.SUBMITTED
    figure.save()
    _, data = get(client, "/api/actuals/?subject=beichen&metric=industrial-output&year=2024")
    assert data["count"] == 0
    _, data = get(client, "/api/actuals/?subject=beichen&metric=industrial-output&preview=true")
    assert (
        data["count"]
        == Actual.objects.published()
        .filter(subject__slug="beichen", metric__slug="industrial-output")
        .count()
    )
    assert 2024 not in [row["year"] for row in data["results"]]


def test_staff_preview_shows_figures_still_in_review_marked_so(client):
    figure = Actual.objects.get(
        subject__slug="beichen", metric__slug="industrial-output", year=2024
    )
    figure.state = Actual.State.SUBMITTED
    figure.save()
    staff = get_user_model().objects.create_user("sam", "", "sam-pass-2024!", is_staff=True)
    client.force_login(staff)
    _, data = get(client, "/api/actuals/?subject=beichen&metric=industrial-output&year=2024")
    assert data["count"] == 0  # preview is asked for, never implied
    _, data = get(
        client, "/api/actuals/?subject=beichen&metric=industrial-output&year=2024&preview=true"
    )
    [row] = data["results"]
    assert row["value"] == num(figure.value) == 1389.9
    assert (row["state"], row["state_label"], row["published"]) == ("submitted", "已提交", False)


def test_filters_by_kind_of_subject_metric_and_year(client):
    _, data = get(client, "/api/actuals/?kind=chain&metric=chain-output&year=2024")
    expected = Actual.objects.published().filter(
        subject__kind=Subject.Kind.CHAIN, metric__slug="chain-output", year=2024
    )
    assert data["count"] == expected.count() > 0
    new_energy = next(r for r in data["results"] if r["subject"] == "new-energy")
    assert new_energy["value"] == 130.6 and new_energy["unit"] == "亿元"


def test_a_conditional_get_with_the_etag_is_not_modified(client):
    response, _ = get(client, "/api/metrics/")
    etag = response["ETag"]
    assert etag.startswith('"')
    again = client.get("/api/metrics/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag and again.content == b""


def test_plans_metrics_and_subjects_are_listed_with_their_codes(client):
    _, plans = get(client, "/api/plans/")
    assert {p["slug"] for p in plans["results"]} >= {"doubling-2021-2025", FOURTEENTH}
    _, metric = get(client, "/api/metrics/hightech-firms/")
    assert (metric["name"], metric["unit"], metric["kind"]) == (
        "国家级高新技术企业数量",
        "家",
        "count",
    )
    _, subject = get(client, "/api/subjects/shuangjie/")
    assert (subject["name"], subject["kind"], subject["page"]) == (
        "双街镇",
        "locality",
        "/towns/shuangjie/",
    )


@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/api/subjects/no-such-town/", 404, "未找到"),
        ("/api/targets/abc/", 404, "未找到"),
        ("/api/actuals/?year=twenty", 400, "year"),
        ("/api/actuals/?year=", 400, "参数不能为空"),
        ("/api/actuals/?kind=city", 400, "kind"),
        ("/api/actuals/?partial=maybe", 400, "partial"),
        ("/api/actuals/?page=999", 404, "页码无效"),
        ("/api/actuals/?page_size=0", 400, "每页条数"),
        ("/api/no/such/path.json", 404, "未找到"),
    ],
)
def test_bad_requests_get_a_json_error_in_chinese(client, url, status, words):
    response, data = get(client, url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert words in data["detail"]


def test_the_api_refuses_to_change_anything(client):
    response = client.post("/api/plans/", {}, content_type="application/json")
    assert response.status_code == 405
    assert (
        json.loads(response.content)["detail"] == "本接口只读，仅支持 GET、HEAD 和 OPTIONS 请求。"
    )


def test_schema_and_documentation_are_served_without_outside_requests(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {
        "/api/plans/",
        "/api/metrics/",
        "/api/subjects/",
        "/api/targets/",
        "/api/actuals/",
        "/api/assessments/",
    } <= set(paths)
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page
        # no address outside the site (a random token may spell "cdn": addresses are looked for)
        assert not re.search(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}/", page), url


def test_a_metric_carries_its_metadata(client):
    _, metric = get(client, "/api/metrics/hightech-firms/")
    stored = Metric.objects.get(slug="hightech-firms")
    assert metric["scope"] == stored.scope and "442" in metric["scope"]
    assert metric["frequency"] == "年度（年末累计）"
    assert metric["assessment_method"] == stored.assessment_method != ""
    _, new = get(client, "/api/metrics/hightech-firms-new/")
    assert new["increment_of"] == "hightech-firms"


def test_a_shares_progress_is_given_in_percentage_points_and_no_data_says_why(client):
    _, data = get(client, f"/api/assessments/?plan={FOURTEENTH}&year=2024&page_size=50")
    rows = {row["metric"]: row for row in data["results"]}
    assert rows["mfg-va-gdp-share"]["versus_target"] == "超目标2.8个百分点"
    assert rows["mfg-va-gdp-share"]["status_label"] == "提前达到"
    assert rows["strategic-va-share"]["versus_target"] == "距目标还差5.2个百分点"
    assert rows["hightech-firms"]["versus_target"] is None  # a count: its progress is a ratio
    _, doubling = get(client, "/api/assessments/?plan=doubling-2021-2025&year=2024&page_size=200")
    centres = next(
        r
        for r in doubling["results"]
        if r["metric"] == "tech-centers" and r["subject"] == "beichen"
    )
    assert centres["status_label"] == "无数据"
    assert centres["status_reason"] == "文件未列基数，只计算完成度，不判定进度状态"
