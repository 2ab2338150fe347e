"""The report's download and printable page, for officials browsing the dashboard."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_an_official_downloads_the_2024_workbook(client):
    response = client.get("/report/workbook/?year=2024")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="beichen-report-2024.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames[0] == "汇总"
    assert "2024年" in wb["汇总"]["A1"].value


def test_the_workbook_defaults_to_the_latest_year_with_approved_figures(client):
    response = client.get("/report/workbook/")
    assert response.status_code == 200
    assert 'filename="beichen-report-2024.xlsx"' in response["Content-Disposition"]


@pytest.mark.parametrize("year", ["abc", "1990", "2200"])
def test_a_year_outside_the_plans_is_refused_with_a_message(client, year):
    response = client.get(f"/report/workbook/?year={year}")
    assert response.status_code == 400
    assert "年份须在 2020 年至" in response.content.decode()
    assert f"填写的是“{year}”" in response.content.decode()


def test_the_printable_report_shows_the_same_rows(client):
    response = client.get("/report/print/?year=2024")
    assert response.status_code == 200
    html = response.content.decode()
    for completion in ["107.6%", "90.5%", "110.0%", "155.0%", "113.8%"]:
        assert completion in html
    assert "五项倍增指标" in html and "工作举措" in html
    assert "css/print.css" in html
    assert "/report/workbook/?year=2024" in html


def test_the_printable_report_refuses_a_bad_year(client):
    assert client.get("/report/print/?year=x").status_code == 400


def test_the_workbook_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # Document titles, chains, localities and parks are read once, not once per row; each
    # list's 合计 rows (with their kind's targets) and the sheet of other figures add a fixed
    # handful; each sheet's targets read their plans, subjects, metrics and documents once,
    # in four small queries, and their whole years before the base year in one more where a
    # figure lacks the two just before it (the documents' figures mostly start later);
    # each final assessment reads its targets, metrics, documents, whole years and part years
    # in five (six with part years to compare), the other figures sheet its figures' whole
    # years and part years in two.
    with django_assert_max_num_queries(89):
        assert client.get("/report/workbook/?year=2024").status_code == 200
