"""The command that loads both documents: complete, repeatable, recorded in history."""

import pytest
from django.core.management import call_command

from indicators.loading import load_documents
from indicators.models import Actual, Target

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Target.objects.order_by("pk").values_list("pk", "baseline_value", "target_value")),
        list(Actual.objects.order_by("pk").values_list("pk", "value", "state")),
        Target.history.count(),
        Actual.history.count(),
    )


def test_loading_twice_changes_nothing(capsys):
    before = snapshot()
    call_command("load_documents")
    assert snapshot() == before
    assert "数据已是最新，未作改动。" in capsys.readouterr().out


def test_every_loaded_figure_has_its_initial_history_record():
    assert Target.history.filter(history_type="+").count() == Target.objects.count()
    assert Actual.history.filter(history_type="+").count() == Actual.objects.count()
    assert set(Target.history.values_list("history_change_reason", flat=True)) == {"载入来源文件"}


def test_a_routine_reload_keeps_a_corrected_figure_and_reset_restores_the_document():
    t = Target.objects.get(
        plan__slug="doubling-2021-2025", subject__slug="tianmu", metric__slug="hightech-firms"
    )
    t.target_value = 12
    t.save()
    load_documents()
    t.refresh_from_db()
    assert t.target_value == 12
    report = load_documents(reset=True)
    t.refresh_from_db()
    assert t.target_value == 10
    assert report.updated == {"基数与目标": 1}


def test_loading_into_an_empty_database_creates_everything():
    Actual.objects.all().delete()
    Target.objects.all().delete()
    report = load_documents()
    assert report.created == {"基数与目标": 111, "年度实际值": 95}
