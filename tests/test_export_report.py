"""`manage.py export_report`: the year's workbook written to a file."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_it_writes_the_workbook_for_the_year(tmp_path, capsys):
    output = tmp_path / "report.xlsx"
    call_command("export_report", "--year", "2024", "--output", str(output))
    wb = load_workbook(output)
    ws = wb["汇总"]
    assert round(ws["I3"].value, 3) == 1.076
    assert "已生成" in capsys.readouterr().out


def test_it_refuses_a_year_outside_the_plans(tmp_path):
    with pytest.raises(CommandError, match="年份须在 2020 年至"):
        call_command("export_report", "--year", "1999", "--output", str(tmp_path / "r.xlsx"))
    assert not (tmp_path / "r.xlsx").exists()


def test_it_reports_an_unwritable_path(tmp_path):
    with pytest.raises(CommandError, match="无法写入"):
        call_command("export_report", "--year", "2024", "--output", str(tmp_path / "no" / "r.xlsx"))
