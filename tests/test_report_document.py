"""The evaluation report as a Word document: Olivia reads the 2024 report the district writes by hand."""

from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from docx import Document

from indicators.models import Actual, Target
from indicators.reporting import document, report
from tests.helpers import FOURTEENTH, approved, libreoffice_convert, needs_libreoffice, plan

pytestmark = pytest.mark.django_db


def word(year=2024, plan_=None):
    rep = report.build(year)
    return Document(BytesIO(document.to_bytes(document.build(rep, plan_)))), rep


def text_of(doc):
    return "\n".join(p.text for p in doc.paragraphs)


def test_it_opens_with_the_districts_2024_figures():
    doc, _ = word()
    assert (
        "2024年，全区规模以上工业总产值1389.9亿元，制造业增加值303.9亿元，制造业增加值占GDP比重39.8%。"
        in text_of(doc)
    )


def test_each_14th_plan_indicator_has_its_completion_and_status_in_a_sentence():
    doc, _ = word()
    text = text_of(doc)
    assert (
        "2024年，制造业增加值占GDP比重为39.8%，2020年基数为36.6%，2025年目标为37.0%，"
        "完成目标的107.6%，超目标2.8个百分点，状态为“提前达到”，已提前达到2025年目标。"
    ) in text
    assert "2023年，战略性新兴产业增加值占比为49.8%（2024年数据尚未公布，采用2023年数据）" in text
    assert (
        "完成目标的90.5%，距目标还差5.2个百分点，状态为“需加快”，实现目标尚需年均提高2.60个百分点。"
        in text
    )
    for rate in ("107.6%", "90.5%", "110.0%", "155.0%", "113.8%"):
        assert f"完成目标的{rate}" in text


def test_the_summary_table_reproduces_the_reports_completion_column():
    doc, _ = word(plan_=plan(FOURTEENTH))
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "指标类别",
        "关键指标",
        "2020年基数",
        "2025年目标",
        "2024年实际",
        "完成度",
        "状态",
        "尚需年均增速",
    ]
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[5] for r in body] == ["107.6%", "90.5%", "110.0%", "155.0%", "113.8%"]
    assert body[1][4] == "49.8%（2023）"
    assert body[2][2:5] == ["442家", "650家", "715家"]


def test_a_figure_without_published_data_gets_a_sentence_saying_so():
    figure = Actual.objects.get(subject__slug="beichen", metric__slug="hightech-firms", year=2024)
    figure.state = Actual.State.SUBMITTED
    figure.save()
    doc, _ = word(plan_=plan(FOURTEENTH))
    text = text_of(doc)
    assert (
        "国家级高新技术企业数量：截至2024年尚无已公布的实际值，暂无法评估完成情况（2025年目标为650家）。"
        in text
    )
    assert "715家" not in text


def test_it_has_chains_quality_findings_and_sources():
    doc, rep = word()
    text = text_of(doc)
    assert "新能源产业链。" in text
    assert "数据质量核查" in text and "数据来源" in text
    assert "《北辰区工业经济“十四五”规划后评估报告》" in text
    assert len(rep.sheet("数据质量").rows) == 0 or "核查共发现" in text


def test_the_command_writes_the_word_report(tmp_path, capsys):
    output = tmp_path / "report.docx"
    call_command("export_report", "--year", "2024", "--format", "docx", "--output", str(output))
    assert "完成目标的113.8%" in text_of(Document(output))
    assert "已生成" in capsys.readouterr().out


def test_the_overview_offers_the_word_report(client):
    response = client.get("/report/document/?year=2024")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="beichen-evaluation-2024.docx"'
    assert "完成目标的107.6%" in text_of(Document(BytesIO(response.content)))
    assert 'href="/report/document/?year=' in client.get("/").content.decode()


def test_an_unknown_plan_or_year_is_refused_in_chinese(client):
    response = client.get("/report/document/?year=2024&plan=no-such-plan")
    assert response.status_code == 400
    assert "没有代码为“no-such-plan”的规划" in response.content.decode()
    assert client.get("/report/document/?year=abc").status_code == 400


@needs_libreoffice
def test_libreoffice_converts_it_to_pdf(tmp_path):
    from pypdf import PdfReader

    source = tmp_path / "report.docx"
    source.write_bytes(document.to_bytes(document.build(report.build(2024))))
    libreoffice_convert(source, "pdf")
    reader = PdfReader(tmp_path / "report.pdf")
    assert len(reader.pages) >= 2
    assert "107.6%" in "".join(page.extract_text() for page in reader.pages)


def table_rows(doc):
    return [" | ".join(c.text for c in row.cells) for t in doc.tables for row in t.rows]


@pytest.mark.usefixtures("november_2026")
def test_once_a_plan_has_ended_the_report_gives_its_final_assessment():
    """Olivia closes the 2021–2025 plan: with 2025's 715 high-tech firms in, the report says
    未达成 against the action plan's 800 (89.4%) and 达成 against the 14th plan's 650 (110.0%);
    a figure without its 2025 year stays 待补数 beside its latest whole year."""
    approved("beichen", "hightech-firms", 2025, 715)
    doc, _ = word(2025)
    text, rows_ = text_of(doc), table_rows(doc)
    assert "《北辰区制造业强区高质量倍增行动方案（2021-2025年）》终期评估" in text
    assert "北辰区 | 国家级高新技术企业数量 | 400家 | 800家 | 715家 | 89.4% | 未达成 | —" in rows_
    assert "北辰区 | 国家级高新技术企业数量 | 442家 | 650家 | 715家 | 110.0% | 达成 | —" in rows_
    assert (
        "北辰区 | 制造业增加值占GDP比重 | 36.6% | 37.0% | — | — | 待补数 | 39.8%（2024年）" in rows_
    )
    doubling = Target.objects.filter(plan__slug="doubling-2021-2025").count()
    assert f"终期评估（2025年）：达成 0 项，未达成 1 项，待补数 {doubling - 1} 项。" in text
    assert "表中列出其最近全年实际值供参考" in text


@pytest.mark.usefixtures("november_2026")
def test_a_report_limited_to_one_plan_assesses_only_that_plan():
    doc, _ = word(2025, plan("industry-14th-fyp"))
    text = text_of(doc)
    assert "终期评估" in text and "倍增行动方案（2021-2025年）》终期评估" not in text


def test_before_a_plan_ends_the_report_has_no_final_assessment():
    with time_machine.travel("2025-06-01 10:00 +0800", tick=False):
        doc, _ = word(2024)
    assert "终期评估" not in text_of(doc)
