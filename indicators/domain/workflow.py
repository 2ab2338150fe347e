"""Submission and review of entered figures: 草稿 → 已提交 → 已审核, or 退回 and resubmitted.

Each transition checks who is asking and the figure's state, refuses with a Chinese
message (a `ValidationError`) when it is not allowed, and is saved with its reason
into the figure's history (simple-history: who, when, why). Only approved figures are
published; an approved figure is locked until a reviewer reopens it with a reason.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.domain import permissions, quality
from indicators.models import Actual

State = Actual.State


def refuse(message):
    raise ValidationError(message)


def check_state(actual, allowed, action):
    if actual.state not in allowed:
        wanted = "或".join(str(State(s).label) for s in allowed)
        refuse(f"{actual}当前为“{actual.get_state_display()}”，只有“{wanted}”的数值才能{action}。")


def required_reason(reason, action):
    reason = (reason or "").strip()
    if not reason:
        refuse(f"{action}须写明原因。")
    return reason


@transaction.atomic
def record(actual, user, state, reason, comment=None):
    actual.state = state
    if comment is not None:
        actual.review_comment = comment
    actual._change_reason = reason
    actual._history_user = user
    actual.save(update_fields=["state", "review_comment", "updated"])
    # The reason belongs to this transition only, not to the next edit of the same object.
    del actual._change_reason, actual._history_user
    return actual


# What a review does to a figure; any other difference between two history records is a
# change of the figure itself (its value, note, period, source, subject …).
REVIEW_FIELDS = {"id", "state", "review_comment", "updated", "version"}


def contributors(actual):
    """Ids of everyone who entered, changed or submitted this figure, read from its history.

    One field (`entered_by`) is not enough: an edit or a submission by someone else does not
    change it, so the history of every save is read instead.
    """
    content = [f.attname for f in Actual._meta.concrete_fields if f.attname not in REVIEW_FIELDS]
    people = {actual.entered_by_id} - {None}
    previous = None
    for record in actual.history.order_by("history_date", "history_id"):
        contributed = (
            previous is None
            or record.history_type == "+"
            or (record.state == State.SUBMITTED and previous.state != State.SUBMITTED)
            or any(getattr(record, f) != getattr(previous, f) for f in content)
        )
        if contributed and record.history_user_id is not None:
            people.add(record.history_user_id)
        previous = record
    return people


def submit(actual, user):
    """A clerk sends a draft, or a returned figure after correcting it, for review."""
    if not permissions.can_submit(user, actual.subject):
        refuse(f"您没有提交{actual.subject}数值的权限。")
    check_state(actual, [State.DRAFT, State.RETURNED], "提交")
    jump = quality.year_on_year(actual, quality.previous_actual(actual))
    if jump is not None and not actual.note.strip():
        refuse(jump.message)
    reason = "重新提交" if actual.state == State.RETURNED else "提交审核"
    return record(actual, user, State.SUBMITTED, reason)


resubmit = submit


def approve(actual, user, comment=""):
    """A reviewer approves a submitted figure; it is published and locked."""
    if not permissions.can_review(user):
        refuse("只有审核人员可以审核数值。")
    check_state(actual, [State.SUBMITTED], "审核通过")
    if user.pk in contributors(actual):
        # Who typed, changed or submitted a figure and who checks it are two people.
        refuse("不能审核自己填报、修改或提交过的数值，请由其他审核人员审核。")
    comment = (comment or "").strip()
    reason = f"审核通过：{comment}" if comment else "审核通过"
    return record(actual, user, State.APPROVED, reason, comment)


def send_back(actual, user, reason):
    """A reviewer returns a submitted figure to its clerk, saying why."""
    if not permissions.can_review(user):
        refuse("只有审核人员可以退回数值。")
    check_state(actual, [State.SUBMITTED], "退回")
    reason = required_reason(reason, "退回")
    return record(actual, user, State.RETURNED, f"退回：{reason}", reason)


def reopen(actual, user, reason):
    """A reviewer unlocks an approved figure so it can be corrected, saying why."""
    if not permissions.can_review(user):
        refuse("只有审核人员可以重新打开已审核的数值。")
    check_state(actual, [State.APPROVED], "重新打开")
    reason = required_reason(reason, "重新打开")
    return record(actual, user, State.RETURNED, f"重新打开：{reason}", reason)


def check_editable(actual, user):
    """Refuse a change to a figure this user may not change (scope, or locked)."""
    if not permissions.can_edit(user, actual.subject):
        refuse(f"您没有填报{actual.subject}数值的权限。")
    if actual.pk and actual.is_locked:
        refuse(f"{actual}已审核，已锁定，不能修改或删除；如需更正，请审核人员重新打开。")


def available(actual, user):
    """(name, label, needs a reason) of the transitions this user may make now."""
    options = []
    if actual.state in (State.DRAFT, State.RETURNED) and permissions.can_submit(
        user, actual.subject
    ):
        options.append(("submit", "提交审核", False))
    if permissions.can_review(user):
        if actual.state == State.SUBMITTED:
            if user.pk not in contributors(actual):
                options.append(("approve", "审核通过", False))
            options.append(("send_back", "退回", True))
        if actual.state == State.APPROVED:
            options.append(("reopen", "重新打开", True))
    return options


TRANSITIONS = {
    "submit": (submit, "提交审核"),
    "approve": (approve, "审核通过"),
    "send_back": (send_back, "退回"),
    "reopen": (reopen, "重新打开"),
}
return_ = send_back
