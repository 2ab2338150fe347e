"""The roles as groups: created by `setup_roles`, idempotent, each with exactly its permissions."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from indicators.domain.roles import (
    ADMINISTRATORS,
    CLERKS,
    OFFICIALS,
    REVIEWERS,
    ROLES,
    grant,
    setup_roles,
)

pytestmark = pytest.mark.django_db


def perms(name):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


def test_the_four_roles_exist_with_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        OFFICIALS,
        CLERKS,
        REVIEWERS,
        ADMINISTRATORS,
    }
    assert perms(OFFICIALS) == set()
    assert {"indicators.change_actual", "indicators.submit_actual"} <= perms(CLERKS)
    assert "indicators.review_actual" not in perms(CLERKS)
    assert "indicators.change_target" not in perms(CLERKS)
    assert "indicators.review_actual" in perms(REVIEWERS)
    assert "indicators.change_actual" not in perms(REVIEWERS)
    assert {
        "indicators.change_plan",
        "indicators.change_target",
        "auth.change_user",
        "indicators.add_assignment",
        "indicators.enter_any_subject",
    } <= perms(ADMINISTRATORS)


def test_running_it_again_changes_nothing():
    report = setup_roles()
    assert (report.created, report.updated) == ([], [])
    assert sorted(report.unchanged) == sorted(ROLES)


def test_it_restores_a_role_whose_permissions_were_tampered_with():
    group = Group.objects.get(name=CLERKS)
    group.permissions.clear()
    report = setup_roles()
    assert report.updated == [CLERKS]
    assert perms(CLERKS) == set(ROLES[CLERKS])


def test_the_command_prints_each_role(capsys):
    Group.objects.filter(name=REVIEWERS).delete()
    call_command("setup_roles")
    out = capsys.readouterr().out
    assert "新建：审核人员 — 审核、退回（须写明原因）或重新打开（须写明原因）年度实际值。" in out
    assert "未变：填报人员 — 在“填报范围”内录入、修改并提交本单位的年度实际值。" in out


def test_a_staff_role_gives_admin_access_and_the_official_role_does_not(django_user_model):
    clerk = django_user_model.objects.create_user("clerk")
    official = django_user_model.objects.create_user("official")
    grant(clerk, CLERKS)
    grant(official, OFFICIALS)
    assert (clerk.is_staff, official.is_staff) == (True, False)
