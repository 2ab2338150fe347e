"""Backups that restore: `backup` then `restore` into an emptied database brings back every
figure, target, user, 填报范围 and history record (pg_dump/pg_restore on PostgreSQL,
dumpdata/loaddata on SQLite)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from indicators.domain import workflow
from indicators.models import Actual, Assignment, Metric, Subject, Target

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    """Everything a restore must bring back, as comparable values."""
    User = get_user_model()
    return {
        "actuals": sorted(
            Actual.objects.values_list(
                "subject__slug", "metric__slug", "year", "value", "state", "note", "version"
            )
        ),
        "targets": sorted(
            Target.objects.values_list(
                "plan__slug", "subject__slug", "metric__slug", "baseline_value", "target_value"
            )
        ),
        "users": sorted(User.objects.values_list("username", "password", "is_staff")),
        "groups": sorted(
            (g.name, sorted(g.permissions.values_list("codename", flat=True)))
            for g in Group.objects.all()
        ),
        "memberships": sorted(
            User.groups.through.objects.values_list("user__username", "group__name")
        ),
        "assignments": sorted(Assignment.objects.values_list("user__username", "subject__slug")),
        "history": sorted(
            Actual.history.values_list(
                "id",
                "value",
                "state",
                "history_type",
                "history_user__username",
                "history_change_reason",
            )
        ),
    }


def test_a_backup_restores_into_an_empty_database(reload_documents, carol, rita, tmp_path):
    from django.db import connection

    actual = Actual.objects.create(
        subject=Subject.objects.get(slug="new-energy"),
        metric=Metric.objects.get(slug="chain-output"),
        year=2025,
        value="140.5",
        note="快报",
        entered_by=carol,
    )
    workflow.submit(actual, carol)
    workflow.approve(actual, rita, "已核对")
    before = snapshot()
    assert len(before["actuals"]) > 90 and len(before["targets"]) > 100
    assert ("carol", "new-energy") in before["assignments"]
    assert len(before["history"]) >= 3

    backup = tmp_path / ("beichen.dump" if connection.vendor == "postgresql" else "beichen.json")
    call_command("backup", output=str(backup))
    call_command("flush", interactive=False, verbosity=0)
    assert not Actual.objects.exists() and not Actual.history.exists()
    assert not get_user_model().objects.exists()

    call_command("restore", str(backup), replace=True)
    assert snapshot() == before
    restored = Actual.objects.get(pk=actual.pk)
    assert (restored.value, restored.state, restored.entered_by.username) == (
        140.5,
        "approved",
        "carol",
    )


def test_restore_refuses_without_replace(reload_documents, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("restore", str(tmp_path / "x.json"))
    assert str(error.value) == "恢复会替换数据库中的全部数据；确认无误请加 --replace。"
