"""无数据 never stands unexplained beside a completion: 84 of the action plan's 100 technology
centres (measure 4) has a completion of 84% but no baseline, so no progress status."""

import csv
import io
from io import BytesIO

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

NO_BASELINE = "文件未列基数，只计算完成度，不判定进度状态"


def status_rows(client, **params):
    response = client.get("/status/", {"_export": "csv", "plan": "", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_status_export_says_why_the_tech_centres_have_no_status(client):
    rows = status_rows(client, status="no_data")
    [centres] = [r for r in rows if r["指标"] == "国家级和市级企业技术中心数量"]
    assert centres["完成度"] == "84.0"
    assert centres["状态"] == "无数据"
    assert centres["无数据原因"] == NO_BASELINE


def test_every_no_data_row_with_a_completion_has_a_reason(client):
    rows = status_rows(client)
    for row in rows:
        if row["状态"] == "无数据" and row["完成度"]:
            assert row["无数据原因"], row
        if row["状态"] != "无数据":
            assert row["无数据原因"] == "", row


def test_the_status_page_shows_the_reason_beside_the_completion(client):
    html = client.get("/status/", {"status": "no_data", "plan": ""}).content.decode()
    assert "无数据原因" in html
    assert NO_BASELINE in html


def test_the_english_status_page_gives_the_reason_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/status/", {"status": "no_data", "plan": ""}).content.decode()
    assert "The document gives no baseline: completion only, no progress status" in html


IT_REVENUE = "尚无在链企业营业收入实际值；2024年在链企业产值7亿元口径不同，不据以评估"


def test_the_print_report_and_workbook_give_the_reason_in_the_note(client):
    # The IT chain's revenue target (40 → 80 亿元) has only a 产值 figure (7 亿元) beside it.
    text = client.get("/report/print/?year=2024").content.decode()
    assert f"无数据原因：{IT_REVENUE}。" in text
    wb = load_workbook(BytesIO(client.get("/report/workbook/?year=2024").content))
    notes = [c.value for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert f"无数据原因：{IT_REVENUE}。" in notes


def test_the_word_report_gives_the_reason_beside_no_data(client):
    doc = WordDocument(BytesIO(client.get("/report/document/?year=2024").content))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert f"无数据（{IT_REVENUE}）" in cells


def test_the_towns_ranking_says_why_a_locality_has_no_status(client):
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/towns/", {"_export": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert rows and "无数据原因" in rows[0]
    for row in rows:
        assert bool(row["无数据原因"]) == (row["状态"] == "无数据"), row


def test_the_english_print_report_gives_the_reason_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/report/print/?year=2024").content.decode()
    assert "Why no status: " in text
    assert "无数据原因" not in text
