"""A clerk's scope in the admin: the list, the subject picker, crafted URLs, locked figures."""

import json

import pytest
from django.urls import reverse

from indicators.models import Actual, Subject
from tests.helpers import entry_form
from tests.helpers import make_actual as make

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:indicators_actual_changelist")


@pytest.fixture
def as_bob(client, bob):
    client.force_login(bob)
    return client


def listed(response):
    return {str(a) for a in response.context["cl"].result_list}


def test_a_town_clerk_lists_only_the_town_and_its_parks(as_bob):
    make("shuangjie", "hightech-firms", value="5")
    make("shuangyuan", "park-output", value="5")
    make("tianmu", "hightech-firms", value="5")
    response = as_bob.get(LIST_URL)
    assert listed(response) == {
        "双街镇 · 国家级高新技术企业数量 · 2025年",
        "双源工业区 · 园区产值 · 2025年",
    }


def test_a_reviewer_lists_every_figure(client, rita):
    client.force_login(rita)
    response = client.get(LIST_URL)
    assert response.context["cl"].result_count == Actual.objects.count()


def test_the_subject_choices_on_the_form_are_the_clerks_scope(as_bob):
    response = as_bob.get(reverse("admin:indicators_actual_add"))
    choices = response.context["adminform"].form.fields["subject"].queryset
    assert sorted(s.slug for s in choices) == sorted(
        ["shuangjie", "shuangjie-park", "shuangyuan", "hangou", "shuangjie-unnamed"]
    )


def test_the_subject_search_offers_only_the_clerks_scope(as_bob):
    response = as_bob.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "indicators",
            "model_name": "actual",
            "field_name": "subject",
            "term": "镇",
        },
    )
    names = {r["text"] for r in json.loads(response.content)["results"]}
    assert "双街镇" in names
    assert "天穆镇" not in names


def test_a_crafted_url_to_another_towns_figure_finds_nothing(as_bob):
    other = make("tianmu", "hightech-firms", value="5")
    response = as_bob.get(reverse("admin:indicators_actual_change", args=[other.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    messages = [str(m) for m in response.context["messages"]]
    assert any("不存在" in m for m in messages)


def test_a_tampered_subject_on_the_own_figure_is_refused(as_bob):
    own = make("shuangjie", "hightech-firms", value="5")
    data = entry_form(own.subject.slug, own.metric.slug, own.year, "9")
    data["subject"] = Subject.objects.get(slug="tianmu").pk
    response = as_bob.post(reverse("admin:indicators_actual_change", args=[own.pk]), data)
    assert response.context["adminform"].form.errors["subject"] == [
        "您没有填报该对象数值的权限，请选择您负责的对象。"
    ]
    own.refresh_from_db()
    assert (own.subject.slug, own.value) == ("shuangjie", 5)


def test_the_history_of_another_towns_figure_is_not_shown(as_bob):
    other = make("tianmu", "hightech-firms", value="5")
    response = as_bob.get(reverse("admin:indicators_actual_history", args=[other.pk]))
    assert response.status_code == 404


def test_an_approved_figure_opens_read_only_and_refuses_a_post(as_bob):
    locked = make("shuangjie", "hightech-firms", value="5", state="approved")
    url = reverse("admin:indicators_actual_change", args=[locked.pk])
    page = as_bob.get(url)
    assert page.status_code == 200
    assert "已锁定，如需更正请审核人员重新打开" in page.content.decode()
    assert page.context["has_change_permission"] is False
    response = as_bob.post(
        url, entry_form(locked.subject.slug, locked.metric.slug, locked.year, "99")
    )
    assert response.status_code == 403
    locked.refresh_from_db()
    assert locked.value == 5


def test_entering_the_year_of_an_approved_figure_again_is_refused(as_bob):
    locked = make("shuangjie", "hightech-firms", value="5", state="approved")
    response = as_bob.post(
        reverse("admin:indicators_actual_add"),
        entry_form(locked.subject.slug, locked.metric.slug, locked.year, "99"),
    )
    assert response.context["adminform"].form.non_field_errors() == [
        "双街镇 · 国家级高新技术企业数量 · 2025年已审核，已锁定，不能修改；如需更正，请审核人员重新打开。"
    ]
    locked.refresh_from_db()
    assert locked.value == 5


def test_an_approved_figure_cannot_be_deleted(as_bob):
    locked = make("shuangjie", "hightech-firms", value="5", state="approved")
    response = as_bob.post(
        reverse("admin:indicators_actual_delete", args=[locked.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Actual.objects.filter(pk=locked.pk).exists()


def test_there_is_no_bulk_delete(as_bob):
    response = as_bob.get(LIST_URL)
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert {"workflow_submit", "workflow_approve", "workflow_send_back", "workflow_reopen"} <= set(
        actions
    )


def test_an_approved_figure_cannot_be_reverted_from_its_history(client, rita, bob):
    locked = make("shuangjie", "hightech-firms", value="5", state="draft")
    locked.value = 6
    locked.state = "approved"
    locked.save()
    first = locked.history.earliest()
    url = reverse("admin:indicators_actual_simple_history", args=[locked.pk, first.history_id])
    for person in (bob, rita):
        client.force_login(person)
        response = client.post(
            url, entry_form(locked.subject.slug, locked.metric.slug, locked.year, "5")
        )
        assert response.status_code == 403
    locked.refresh_from_db()
    assert (locked.value, locked.state) == (6, "approved")


def test_the_entry_form_shows_its_data_quality_findings(client, dan):
    district = Actual.objects.get(subject__slug="beichen", metric__slug="chain-output", year=2024)
    client.force_login(dan)
    page = client.get(reverse("admin:indicators_actual_change", args=[district.pk]))
    assert (
        "2024年北辰区在链企业产值 1294.1 亿元，9 个产业链之和为 1294.3 亿元，相差 -0.2 亿元。"
        in (page.content.decode())
    )
