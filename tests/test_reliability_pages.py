"""Smaller promises of the reliability work: the overview offers only published years, a value
nothing will assess is said so on save, and junk parameters named in the report are 400/404."""

import pytest
from django.urls import reverse

from indicators.models import Actual, Metric, Subject, Target

pytestmark = pytest.mark.django_db


def test_the_public_overview_does_not_offer_a_year_that_only_has_drafts(client, alice):
    Actual.objects.create(
        subject=Subject.objects.get(slug="beichen"),
        metric=Metric.objects.get(slug="strategic-output"),
        year=2025,
        value=700,
        state=Actual.State.DRAFT,
    )
    html = client.get("/").content.decode()
    assert 'value="2024"' in html
    assert 'value="2025"' not in html


def test_a_value_no_plan_assesses_is_saved_with_a_warning(client, alice):
    subject, metric = Subject.objects.get(slug="tianmu"), Metric.objects.get(slug="chain-output")
    assert not Target.objects.filter(subject=subject, metric=metric).exists()
    client.force_login(alice)
    response = client.post(
        reverse("admin:indicators_actual_add"),
        {
            "subject": subject.pk,
            "metric": metric.pk,
            "year": 2025,
            "value": "12",
            "period": "",
            "note": "",
            "source": "",
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "天穆镇的“在链企业产值”在任何规划中都没有目标，这个数值已保存，但不会参与任何进度评估。"
        "请确认对象和指标是否选对。"
    ) in messages
    assert Actual.objects.filter(subject=subject, metric=metric, year=2025).exists()


def test_a_value_with_a_target_gets_no_such_warning(client, alice):
    client.force_login(alice)
    subject, metric = Subject.objects.get(slug="beichen"), Metric.objects.get(slug="rd-share")
    response = client.post(
        reverse("admin:indicators_actual_add"),
        {"subject": subject.pk, "metric": metric.pk, "year": 2025, "value": "2.6"}
        | {"period": "", "note": "", "source": ""},
        follow=True,
    )
    assert not any("没有目标" in str(m) for m in response.context["messages"])


ACTUALS = "/admin/indicators/actual/"


@pytest.mark.parametrize(
    "url",
    [
        "/quality/?year=²⁰²⁴",
        f"{ACTUALS}?plan=abc",
        f"{ACTUALS}?plan=99999999999999999999",
        f"{ACTUALS}?chain=abc",
        f"{ACTUALS}?chain=99999999999999999999",
        f"{ACTUALS}?locality=abc",
        f"{ACTUALS}abc/change/",
        f"{ACTUALS}abc/history/",
        f"{ACTUALS}reference/?metric=abc",
        f"{ACTUALS}reference/?subject=99999999999999999999&metric=1",
        # Found by the URL walker (tests/test_no_server_error.py):
        "/admin/chains/chain/99999999999999999999/change/",
        "/admin/parks/park/99999999999999999999/history/",
        "/admin/parks/locality/99999999999999999999/delete/",
        "/admin/auth/user/99999999999999999999/password/",
        f"{ACTUALS}add/?subject=abc&metric=99999999999999999999",
        "/admin/indicators/target/add/?metric=abc",
        f"{ACTUALS}export/?format=abc",
        "/admin/indicators/target/export/?resource=abc",
    ],
)
def test_each_reported_junk_parameter_is_answered_without_a_server_error(client, alice, url):
    client.force_login(alice)
    assert client.get(url).status_code in (200, 302, 400, 404)


def test_a_transition_on_a_junk_id_is_not_found(client, alice):
    client.force_login(alice)
    response = client.post(f"{ACTUALS}abc/transition/", {"transition": "approve"})
    assert response.status_code == 404


def test_a_list_action_on_a_junk_selection_is_refused_with_a_message(client, rita):
    client.force_login(rita)
    response = client.post(
        ACTUALS, {"action": "workflow_approve", "_selected_action": "abc"}, follow=True
    )
    assert response.status_code == 200
    assert "所选记录无效，请重新勾选后再操作。" in [str(m) for m in response.context["messages"]]


def test_a_nul_character_in_a_query_is_refused_with_the_parameter_named(client):
    response = client.get("/status/", {"plan": "doubling\x002021"})
    assert response.status_code == 400
    assert "请求中含有空字符（NUL），无法处理：参数“plan”。请检查地址后重试。" in (
        response.content.decode()
    )


def test_a_nul_character_in_the_path_is_refused_before_the_page_looks_it_up(client):
    response = client.get("/chains/new%00energy/")
    assert response.status_code == 400
    assert "无法处理：地址路径。" in response.content.decode()


def test_a_nul_character_in_a_posted_form_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("admin:indicators_actual_add"), {"subject": "1", "note": "a\x00b"}
    )
    assert response.status_code == 400
    assert "参数“note”" in response.content.decode()
    assert not Actual.objects.filter(note__contains="a").exclude(note="").exists()


def test_the_nul_message_is_english_on_english_pages(client):
    client.cookies["django_language"] = "en"
    response = client.get("/", {"year": "20\x0024"})
    assert response.status_code == 400
    assert "The request contains a NUL character and cannot be handled: parameter “year”." in (
        response.content.decode()
    )


def test_the_api_refuses_a_nul_character_in_json(client):
    response = client.get("/api/plans/", {"slug": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "请求中含有空字符（NUL），无法处理：参数“slug”。请检查地址后重试。"
    }
