"""Submitting, approving, returning and reopening figures from the admin."""

import pytest
from django.urls import reverse

from indicators.models import Actual
from tests.helpers import make_actual as make

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:indicators_actual_changelist")


def transition(client, actual, name, reason=""):
    url = reverse("admin:indicators_actual_transition", args=[actual.pk])
    return client.post(url, {"transition": name, "reason": reason}, follow=True)


def act(client, actuals, action, reason=""):
    data = {"action": action, "_selected_action": [a.pk for a in actuals], "reason": reason}
    return client.post(LIST_URL, data, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def state(actual):
    return Actual.objects.get(pk=actual.pk).state


def test_the_clerk_submits_from_the_figures_page(client, carol):
    actual = make()
    client.force_login(carol)
    page = client.get(reverse("admin:indicators_actual_change", args=[actual.pk]))
    assert 'value="submit"' in page.content.decode()
    response = transition(client, actual, "submit")
    assert state(actual) == "submitted"
    assert "已提交审核 1 条数值。" in messages_of(response)


def test_the_reviewer_approves_from_the_list_with_a_comment(client, rita):
    one, two = make(state="submitted"), make(subject="tcm", state="submitted")
    client.force_login(rita)
    response = act(client, [one, two], "workflow_approve", "已核对")
    assert (state(one), state(two)) == ("approved", "approved")
    assert "已审核通过 2 条数值。" in messages_of(response)
    assert one.history.latest().history_change_reason == "审核通过：已核对"
    assert one.history.latest().history_user == rita


def test_returning_without_a_reason_is_refused_with_a_message(client, rita):
    actual = make(state="submitted")
    client.force_login(rita)
    response = act(client, [actual], "workflow_send_back", "")
    assert "退回须写明原因。" in messages_of(response)
    assert state(actual) == "submitted"


def test_returning_with_a_reason_shows_it_to_the_clerk(client, rita, carol):
    actual = make(state="submitted")
    client.force_login(rita)
    transition(client, actual, "send_back", "与快报不符，请核对")
    client.force_login(carol)
    page = client.get(reverse("admin:indicators_actual_change", args=[actual.pk]))
    assert "审核意见：与快报不符，请核对" in page.content.decode()


def test_a_clerk_approving_from_the_list_is_refused(client, carol):
    actual = make(state="submitted")
    client.force_login(carol)
    response = act(client, [actual], "workflow_approve")
    assert "只有审核人员可以审核数值。" in messages_of(response)
    assert state(actual) == "submitted"


def test_approving_a_draft_is_refused(client, rita):
    actual = make()
    client.force_login(rita)
    response = transition(client, actual, "approve")
    assert messages_of(response) == [
        "新能源产业链 · 在链企业产值 · 2025年当前为“草稿”，只有“已提交”的数值才能审核通过。"
    ]
    assert state(actual) == "draft"


def test_the_reviewer_reopens_an_approved_figure_with_a_reason(client, rita):
    actual = make(state="approved")
    client.force_login(rita)
    transition(client, actual, "reopen", "统计局修订")
    actual.refresh_from_db()
    assert (actual.state, actual.review_comment) == ("returned", "统计局修订")


def test_a_clerk_cannot_move_another_subjects_figure_by_url(client, bob):
    actual = make(state="draft")
    client.force_login(bob)
    response = transition(client, actual, "submit")
    assert response.status_code == 404
    assert state(actual) == "draft"


def test_the_transition_url_answers_only_posts(client, carol):
    actual = make()
    client.force_login(carol)
    url = reverse("admin:indicators_actual_transition", args=[actual.pk])
    assert client.get(url).status_code == 405


def test_editing_a_submitted_figure_withdraws_it_to_draft(client, carol):
    actual = make(state="submitted")
    client.force_login(carol)
    data = {
        "subject": actual.subject_id,
        "metric": actual.metric_id,
        "year": 2025,
        "value": "141",
        "period": "",
        "note": "",
        "source": "",
    }
    response = client.post(
        reverse("admin:indicators_actual_change", args=[actual.pk]), data, follow=True
    )
    actual.refresh_from_db()
    assert (actual.value, actual.state) == (141, "draft")
    assert (
        "新能源产业链 · 在链企业产值 · 2025年提交后又作了修改，已撤回为草稿；请核对后重新提交。"
        in messages_of(response)
    )
    assert actual.history.latest().history_change_reason == "提交后修改，已撤回为草稿"
