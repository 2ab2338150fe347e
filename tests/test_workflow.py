"""Submitting and reviewing figures: every transition, legal and illegal, and its history."""

import pytest
from django.core.exceptions import ValidationError

from indicators.domain import workflow
from indicators.models import Actual
from tests.helpers import make_actual as make

pytestmark = pytest.mark.django_db


def refused(call, *args):
    with pytest.raises(ValidationError) as error:
        call(*args)
    return error.value.messages[0]


def state_of(actual):
    return Actual.objects.get(pk=actual.pk).state


def test_a_clerk_submits_a_draft_and_the_history_says_who_and_why(carol):
    actual = make()
    workflow.submit(actual, carol)
    assert state_of(actual) == "submitted"
    latest = actual.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (carol, "提交审核")


def test_a_reviewer_approves_a_submitted_figure_which_is_then_published(carol, rita):
    actual = make()
    workflow.submit(actual, carol)
    workflow.approve(actual, rita, "与统计局快报一致")
    actual.refresh_from_db()
    assert (actual.state, actual.is_locked, actual.review_comment) == (
        "approved",
        True,
        "与统计局快报一致",
    )
    assert Actual.objects.published().filter(pk=actual.pk).exists()
    latest = actual.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        rita,
        "审核通过：与统计局快报一致",
    )


def test_a_reviewer_returns_with_a_reason_and_the_clerk_resubmits(carol, rita):
    actual = make()
    workflow.submit(actual, carol)
    workflow.send_back(actual, rita, "请核对12月快报")
    actual.refresh_from_db()
    assert (actual.state, actual.review_comment) == ("returned", "请核对12月快报")
    actual.value = 150
    actual.save()
    workflow.resubmit(actual, carol)
    assert state_of(actual) == "submitted"
    reasons = [h.history_change_reason for h in actual.history.order_by("history_date")]
    assert reasons == [None, "提交审核", "退回：请核对12月快报", None, "重新提交"]


def test_a_reviewer_reopens_an_approved_figure_with_a_reason(carol, rita):
    actual = make()
    workflow.submit(actual, carol)
    workflow.approve(actual, rita)
    workflow.reopen(actual, rita, "统计局修订了年报")
    actual.refresh_from_db()
    assert (actual.state, actual.is_locked, actual.review_comment) == (
        "returned",
        False,
        "统计局修订了年报",
    )
    assert actual.history.latest().history_change_reason == "重新打开：统计局修订了年报"


def test_a_clerk_cannot_approve(carol):
    actual = make()
    workflow.submit(actual, carol)
    assert refused(workflow.approve, actual, carol) == "只有审核人员可以审核数值。"
    assert state_of(actual) == "submitted"


def test_a_draft_cannot_be_approved(rita):
    actual = make()
    message = refused(workflow.approve, actual, rita)
    assert message == (
        "新能源产业链 · 在链企业产值 · 2025年当前为“草稿”，只有“已提交”的数值才能审核通过。"
    )
    assert state_of(actual) == "draft"


def test_returning_needs_a_reason(carol, rita):
    actual = make()
    workflow.submit(actual, carol)
    assert refused(workflow.send_back, actual, rita, "  ") == "退回须写明原因。"
    assert state_of(actual) == "submitted"


def test_reopening_needs_a_reason(carol, rita):
    actual = make()
    workflow.submit(actual, carol)
    workflow.approve(actual, rita)
    assert refused(workflow.reopen, actual, rita, "") == "重新打开须写明原因。"
    assert state_of(actual) == "approved"


def test_a_clerk_cannot_return_or_reopen(carol, rita):
    actual = make()
    workflow.submit(actual, carol)
    assert refused(workflow.send_back, actual, carol, "x") == "只有审核人员可以退回数值。"
    workflow.approve(actual, rita)
    assert refused(workflow.reopen, actual, carol, "x") == "只有审核人员可以重新打开已审核的数值。"
    assert state_of(actual) == "approved"


def test_a_clerk_cannot_submit_another_subjects_figure(bob):
    actual = make()
    assert refused(workflow.submit, actual, bob) == "您没有提交新能源产业链数值的权限。"
    assert state_of(actual) == "draft"


def test_a_reviewer_cannot_submit(rita):
    actual = make()
    assert refused(workflow.submit, actual, rita) == "您没有提交新能源产业链数值的权限。"


@pytest.mark.parametrize(
    "state, call",
    [
        ("submitted", "submit"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("returned", "approve"),
        ("draft", "send_back"),
        ("approved", "send_back"),
        ("draft", "reopen"),
        ("submitted", "reopen"),
    ],
)
def test_transitions_from_the_wrong_state_are_refused(adam, state, call):
    actual = make(state=state)
    function, _ = workflow.TRANSITIONS[call]
    args = (actual, adam) if call == "submit" else (actual, adam, "理由")
    message = refused(function, *args)
    assert message.startswith(
        f"新能源产业链 · 在链企业产值 · 2025年当前为“{Actual.State(state).label}”"
    )
    assert state_of(actual) == state


def test_an_approved_figure_is_locked_for_editing(carol):
    actual = make(state="approved")
    message = refused(workflow.check_editable, actual, carol)
    assert message == (
        "新能源产业链 · 在链企业产值 · 2025年已审核，已锁定，不能修改或删除；"
        "如需更正，请审核人员重新打开。"
    )


def test_a_jump_beyond_fifty_percent_needs_a_note_before_submitting(carol):
    # 2024: 130.6 亿元 (report); 2025 entered as 200 is +53.1%.
    actual = make(year=2025, value="200")
    assert refused(workflow.submit, actual, carol) == (
        "新能源产业链2025年在链企业产值 200 亿元，上年（2024年）为 130.6 亿元，变动 +53.1%，"
        "超过 ±50%；提交前须在“备注”中说明原因。"
    )
    assert state_of(actual) == "draft"
    actual.note = "新投产光伏组件项目两个"
    actual.save()
    workflow.submit(actual, carol)
    assert state_of(actual) == "submitted"


def test_a_change_within_fifty_percent_needs_no_note(carol):
    actual = make(year=2025, value="190")  # +45.5% on 130.6
    workflow.submit(actual, carol)
    assert state_of(actual) == "submitted"


def test_a_fall_beyond_fifty_percent_also_needs_a_note(carol):
    actual = make(year=2025, value="60")  # −54.1% on 130.6
    assert "变动 -54.1%" in refused(workflow.submit, actual, carol)


def test_figures_loaded_from_the_documents_are_approved():
    assert set(Actual.objects.values_list("state", flat=True)) == {"approved"}


def test_the_available_transitions_follow_role_and_state(carol, rita):
    actual = make()
    assert workflow.available(actual, carol) == [("submit", "提交审核", False)]
    assert workflow.available(actual, rita) == []
    workflow.submit(actual, carol)
    assert [n for n, *_ in workflow.available(actual, rita)] == ["approve", "send_back"]
    workflow.approve(actual, rita)
    assert [n for n, *_ in workflow.available(actual, rita)] == ["reopen"]
    assert workflow.available(actual, carol) == []


def test_nobody_approves_a_figure_they_entered_themselves(adam, rita):
    actual = make(entered_by=adam)
    workflow.submit(actual, adam)
    assert (
        refused(workflow.approve, actual, adam)
        == "不能审核自己填报、修改或提交过的数值，请由其他审核人员审核。"
    )
    assert [n for n, *_ in workflow.available(actual, adam)] == ["send_back"]
    workflow.approve(actual, rita)
    assert state_of(actual) == "approved"
