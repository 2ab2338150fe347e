"""Four eyes for real: nobody who entered, changed or submitted a figure approves it (read
from the figure's history), and only a superuser changes what a group may do."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from indicators.domain import workflow
from indicators.domain.roles import ADMINISTRATORS, CLERKS, REVIEWERS
from indicators.models import Actual, Metric, Subject
from tests.conftest import person

pytestmark = pytest.mark.django_db

NEW_ENERGY_OUTPUT = {"subject": "new-energy", "metric": "chain-output", "year": 2025}


@pytest.fixture
def victor(db):
    """Victor, a reviewer who is also a clerk of the new-energy chain."""
    user = person("victor", REVIEWERS, ["new-energy"])
    user.groups.add(Group.objects.get(name=CLERKS))
    return user


def entry_form(actual, value):
    return {
        "subject": actual.subject_id,
        "metric": actual.metric_id,
        "year": actual.year,
        "value": value,
        "period": "",
        "note": "核对快报后更正",
        "source": "",
    }


def transition(client, actual, name, reason=""):
    url = reverse("admin:indicators_actual_transition", args=[actual.pk])
    return client.post(url, {"transition": name, "reason": reason}, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def submitted_by_carol(client, carol):
    client.force_login(carol)
    client.post(
        reverse("admin:indicators_actual_add"),
        {**entry_form_for_new(), "value": "4"},
    )
    actual = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2025)
    transition(client, actual, "submit")
    actual.refresh_from_db()
    assert (actual.value, actual.state, actual.entered_by) == (4, "submitted", carol)
    return actual


def entry_form_for_new():
    return {
        "subject": Subject.objects.get(slug="new-energy").pk,
        "metric": Metric.objects.get(slug="chain-output").pk,
        "year": 2025,
        "period": "",
        "note": "统计局快报",
        "source": "",
    }


def test_a_reviewer_who_changed_and_submitted_a_figure_cannot_approve_it(
    client, carol, victor, rita
):
    actual = submitted_by_carol(client, carol)
    client.force_login(victor)
    change = reverse("admin:indicators_actual_change", args=[actual.pk])
    assert client.post(change, entry_form(actual, "7")).status_code == 302
    transition(client, actual, "submit")
    actual.refresh_from_db()
    assert (actual.value, actual.state, actual.entered_by) == (7, "submitted", carol)

    page = client.get(change).content.decode()
    assert 'value="approve"' not in page
    response = transition(client, actual, "approve")
    assert "不能审核自己填报、修改或提交过的数值，请由其他审核人员审核。" in messages_of(response)
    assert Actual.objects.get(pk=actual.pk).state == "submitted"

    # Another reviewer, who had no hand in it, approves.
    client.force_login(rita)
    transition(client, actual, "approve")
    assert Actual.objects.get(pk=actual.pk).state == "approved"


def test_the_list_action_refuses_the_same_reviewer(client, carol, victor):
    actual = submitted_by_carol(client, carol)
    client.force_login(victor)
    client.post(
        reverse("admin:indicators_actual_change", args=[actual.pk]), entry_form(actual, "7")
    )
    transition(client, actual, "submit")
    response = client.post(
        reverse("admin:indicators_actual_changelist"),
        {"action": "workflow_approve", "_selected_action": [actual.pk], "reason": ""},
        follow=True,
    )
    assert "不能审核自己填报、修改或提交过的数值，请由其他审核人员审核。" in messages_of(response)
    assert Actual.objects.get(pk=actual.pk).state == "submitted"


def test_whoever_only_submitted_a_figure_cannot_approve_it(carol, victor):
    actual = Actual.objects.create(
        subject=Subject.objects.get(slug="new-energy"),
        metric=Metric.objects.get(slug="chain-output"),
        year=2025,
        value=140,
        entered_by=carol,
    )
    workflow.submit(actual, victor)
    assert workflow.contributors(actual) == {carol.pk, victor.pk}
    assert [n for n, *_ in workflow.available(actual, victor)] == ["send_back"]
    with pytest.raises(Exception) as error:
        workflow.approve(actual, victor)
    assert error.value.messages == ["不能审核自己填报、修改或提交过的数值，请由其他审核人员审核。"]


def test_a_reviewer_who_only_returned_a_figure_may_approve_it_after_correction(client, carol, rita):
    actual = submitted_by_carol(client, carol)
    workflow.send_back(actual, rita, "与快报不一致")
    client.force_login(carol)
    client.post(
        reverse("admin:indicators_actual_change", args=[actual.pk]), entry_form(actual, "5")
    )
    actual.refresh_from_db()
    workflow.submit(actual, carol)
    assert rita.pk not in workflow.contributors(actual)
    workflow.approve(actual, rita)
    assert Actual.objects.get(pk=actual.pk).state == "approved"


# -- group permissions -------------------------------------------------------------------------


def group_form(group, extra_permissions):
    return {
        "name": group.name,
        "permissions": [p.pk for p in group.permissions.all()] + [p.pk for p in extra_permissions],
    }


def test_an_administrator_cannot_widen_the_administrators_group(client, adam):
    group = Group.objects.get(name=ADMINISTRATORS)
    before = set(group.permissions.values_list("codename", flat=True))
    extra = Permission.objects.filter(
        codename__in=["delete_logentry", "change_permission", "delete_historicalactual"]
    )
    assert extra.count() == 3
    client.force_login(adam)
    url = reverse("admin:auth_group_change", args=[group.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="permissions"' not in page.content.decode()
    client.post(url, group_form(group, extra))
    assert set(group.permissions.values_list("codename", flat=True)) == before


def test_an_administrator_cannot_create_a_group_with_permissions(client, adam):
    client.force_login(adam)
    extra = Permission.objects.filter(codename="delete_logentry")
    client.post(
        reverse("admin:auth_group_add"), {"name": "后门", "permissions": [p.pk for p in extra]}
    )
    group = Group.objects.filter(name="后门").first()
    assert group is None or not group.permissions.exists()


def test_a_superuser_changes_a_groups_permissions(client, alice):
    group = Group.objects.get(name=REVIEWERS)
    extra = Permission.objects.filter(codename="view_logentry")
    client.force_login(alice)
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]), group_form(group, extra)
    )
    assert response.status_code == 302
    assert group.permissions.filter(codename="view_logentry").exists()
