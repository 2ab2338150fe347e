"""The command that loads both documents: complete, repeatable, recorded in history."""

import pytest
from django.core.management import call_command

from indicators.documents.loading import FIXTURES_DIR, load_documents
from indicators.models import Actual, Metric, Target

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


def test_the_next_plan_is_data_only(tmp_path, client):
    """A 2026–2030 plan arrives as a catalog entry and a fixture file; no code changes."""
    import shutil

    import yaml

    from indicators.domain.tracking import track

    for source in FIXTURES_DIR.glob("*.yaml"):
        shutil.copy(source, tmp_path / source.name)
    catalog = yaml.safe_load((FIXTURES_DIR / "catalog.yaml").read_text(encoding="utf-8"))
    catalog["files"].append("doubling_2026_2030.yaml")
    catalog["plans"].append(
        {
            "slug": "doubling-2026-2030",
            "name": "北辰区制造业高质量发展行动方案（2026-2030年）",
            "short_name": "2026-2030行动方案",
            "number": "",
            "issuer": "",
            "base_year": 2025,
            "target_year": 2030,
            "document": "action-plan",
        }
    )
    (tmp_path / "catalog.yaml").write_text(yaml.safe_dump(catalog, allow_unicode=True), "utf-8")
    (tmp_path / "doubling_2026_2030.yaml").write_text(
        yaml.safe_dump(
            {
                "document": "action-plan",
                "plan": "doubling-2026-2030",
                "target_tables": [
                    {
                        "source": "表1",
                        "rows": [
                            {
                                "subject": "beichen",
                                "metric": "hightech-firms",
                                "baseline": 800,
                                "target": 1200,
                            }
                        ],
                    }
                ],
                "actuals": [
                    {
                        "subject": "beichen",
                        "metric": "hightech-firms",
                        "year": 2026,
                        "value": 880,
                        "source": "测试",
                    }
                ],
            },
            allow_unicode=True,
        ),
        "utf-8",
    )
    report = load_documents(directory=tmp_path)
    assert report.created == {"规划": 1, "基数与目标": 1, "年度实际值": 1}
    [row] = track(Target.objects.filter(plan__slug="doubling-2026-2030"))
    assert (row.target.baseline_year, row.target.target_year, row.latest.value) == (2025, 2030, 880)
    assert round(row.completion * 100, 1) == 73.3  # 880 ÷ 1200
    assert row.assessment.ratio == 1.0  # +80 a year, exactly the planned pace
    assert "2026-2030行动方案" in client.get("/compare/").content.decode()


def test_a_first_load_reports_each_row_once_as_new(capsys):
    """On an empty database every row is 新增: a metric given its English name and 指标说明
    in the same load is not also counted as 更新 (twice), which read as if data had changed."""
    call_command("flush", "--noinput")
    report = load_documents()
    assert report.updated == {}
    assert report.created["指标"] == Metric.objects.count() == 74
    assert report.created["基数与目标"] == Target.objects.count() == 111
    call_command("load_documents")
    assert "数据已是最新，未作改动。" in capsys.readouterr().out
