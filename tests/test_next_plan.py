"""The next plan needs no code: a 2026–2030 plan loaded as data drives every page, every table
export, the printable report and the workbook, which all name its years.

The plan is synthetic test data (tests/data/plan_2026_2030.yaml), loaded the way a real one
would be: catalog entries and a fixture file beside the shipped ones.
"""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from openpyxl import load_workbook

from indicators.documents.loading import CATALOG, FIXTURES_DIR, load_documents
from indicators.domain import data_version
from indicators.models import Plan, Target

pytestmark = pytest.mark.django_db

NEXT = "doubling-2026-2030"
DATA = Path(__file__).parent / "data" / "plan_2026_2030.yaml"


@pytest.fixture
def next_plan(tmp_path):
    """The shipped documents plus the synthetic 2026–2030 plan, loaded through load_documents."""
    synthetic = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for source in FIXTURES_DIR.glob("*.yaml"):
        shutil.copy(source, tmp_path / source.name)
    catalog = yaml.safe_load((FIXTURES_DIR / CATALOG).read_text(encoding="utf-8"))
    catalog["documents"].extend(synthetic["catalog"]["documents"])
    catalog["plans"].extend(synthetic["catalog"]["plans"])
    catalog["files"].append(synthetic["file"])
    (tmp_path / CATALOG).write_text(yaml.safe_dump(catalog, allow_unicode=True), "utf-8")
    (tmp_path / synthetic["file"]).write_text(
        yaml.safe_dump(synthetic["document"], allow_unicode=True), "utf-8"
    )
    load_documents(directory=tmp_path)
    return Plan.objects.get(slug=NEXT)


def html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def csv_rows(client, url, **params):
    response = client.get(url, {**params, "_export": "csv"})
    assert response.status_code == 200, url
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_next_plan_is_followed_by_default_once_its_first_year_has_figures(client, next_plan):
    # 2026, the latest year with figures, lies only in the 2026–2030 plan's period.
    page = html(client, "/")
    assert "《北辰区制造业高质量发展行动方案（2026-2030年）》" in page
    assert "共跟踪 6 项指标" in page
    assert "2030年目标" in page
    assert '<option value="doubling-2026-2030" selected>' in page
    # An earlier year follows the plan whose period holds it, the action plan.
    page = html(client, "/", year=2024)
    assert "共跟踪 106 项指标" in page
    assert '<option value="doubling-2021-2025" selected>' in page


def test_an_unknown_plan_falls_back_to_the_default_instead_of_failing(client, next_plan):
    page = html(client, "/", plan="no-such-plan")
    assert '<option value="doubling-2026-2030" selected>' in page
    assert csv_rows(client, "/chains/", plan="'; drop table") == csv_rows(client, "/chains/")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/status/",
        "/compare/",
        "/measures/",
        "/quality/",
        "/chains/",
        "/chains/new-energy/",
        "/towns/",
        "/towns/shuangjie/",
        "/parks/",
        "/parks/shuangjie-park/",
        f"/indicators/{NEXT}/beichen/hightech-firms/",
    ],
)
def test_every_page_answers_for_the_next_plan(client, next_plan, url):
    page = html(client, url, plan=NEXT)
    assert "2030" in page


def test_list_headers_take_their_years_from_the_plan(client, next_plan):
    [header, *rows] = csv_rows(client, "/chains/", plan=NEXT)
    assert "2025年产值" in header and "2030年目标" in header
    assert "2020年产值" not in header and "2025年目标" not in header
    new_energy = rows[[r[1] for r in rows].index("新能源产业链")]
    assert float(new_energy[header.index("2025年产值")]) == 200
    assert float(new_energy[header.index("2030年目标")]) == 400

    [header, *rows] = csv_rows(client, "/towns/", plan=NEXT, metric="strategic-output")
    shuangjie = rows[[r[1] for r in rows].index("双街镇")]
    assert float(shuangjie[header.index("基数")]) == 60
    assert float(shuangjie[header.index("目标")]) == 100
    assert float(shuangjie[header.index("最新实际值")]) == 66
    page = html(client, "/towns/", plan=NEXT)
    assert "2026-2030行动方案" in page and "目标2030年" in page


def test_every_table_export_follows_the_selected_plan(client, next_plan):
    for fmt in ("csv", "xlsx", "json"):
        for url in ("/status/", "/chains/", "/towns/", "/parks/", "/compare/", "/measures/"):
            response = client.get(url, {"plan": NEXT, "_export": fmt})
            assert response.status_code == 200, (url, fmt)
    status = json.loads(client.get("/status/", {"plan": NEXT, "_export": "json"}).content)
    assert {row["规划"] for row in status} == {"2026-2030行动方案"}
    assert len(status) == Target.objects.filter(plan=next_plan).count() == 6
    # Subject pages: the figures of the plan, with its base and target years.
    [header, *rows] = csv_rows(client, "/chains/new-energy/", plan=NEXT)
    assert [(r[header.index("基数")], r[header.index("目标")]) for r in rows] == [
        ("200.0", "400.0")
    ]
    [header, *rows] = csv_rows(client, "/towns/shuangjie/", plan=NEXT)
    assert len(rows) == 2
    response = client.get("/towns/shuangjie/", {"plan": NEXT, "_export_parks": "csv"})
    assert response.status_code == 200
    [header, *rows] = csv_rows(client, "/parks/shuangjie-park/", plan=NEXT)
    assert [float(r[header.index("最新实际值")]) for r in rows] == [58]
    # The indicator page's own table runs from the plan's base year to its target year.
    [header, *rows] = csv_rows(client, f"/indicators/{NEXT}/beichen/hightech-firms/")
    assert [r[0] for r in rows] == ["2025", "2026", "2027", "2028", "2029", "2030"]


def test_the_printable_report_follows_the_next_plan(client, next_plan):
    page = html(client, "/report/print/")
    assert "北辰区制造业指标报告（2026年）" in page
    assert "2026-2030年" in page
    assert "2025年基数" in page and "2030年目标" in page and "2026年实际" in page
    assert "2020年基数" not in page


def workbook_headers(data):
    book = load_workbook(io.BytesIO(data))
    return book, {ws.title: [c.value for c in ws[2]] for ws in book.worksheets}


def test_the_workbook_follows_the_next_plan(client, next_plan):
    response = client.get("/report/workbook/", {"plan": NEXT})
    assert response.status_code == 200
    book, headers = workbook_headers(response.content)
    assert "2026年" in book["汇总"]["A1"].value and "2026-2030" in book["汇总"]["A1"].value
    for sheet in ("汇总", "五项倍增指标", "产业链", "属地", "园区"):
        assert "2025年基数" in headers[sheet] and "2030年目标" in headers[sheet], sheet
    assert "2026年实际" in headers["五项倍增指标"]
    assert "2025年亩均产出（2025年产值 ÷ 占地毛面积，万元/亩）" in headers["园区"]
    ws = book["五项倍增指标"]
    actual = headers["五项倍增指标"].index("2026年实际") + 1
    assert sorted(ws.cell(r, actual).value for r in range(3, ws.max_row + 1)) == [880, 1010]
    assert book["产业链"].max_row == 3  # the title, the headers, new-energy's one figure


def test_the_export_command_writes_the_next_plans_workbook(tmp_path, next_plan, monkeypatch):
    monkeypatch.setattr("indicators.models.current_year", lambda: 2030)
    output = tmp_path / "report.xlsx"
    call_command("export_report", "--year", "2026", "--output", str(output), "--plan", NEXT)
    _, headers = workbook_headers(output.read_bytes())
    assert "2030年目标" in headers["五项倍增指标"] and "2026年实际" in headers["五项倍增指标"]
    # Without --plan, 2026 is in the next plan's period; 2024 in the action plan's.
    call_command("export_report", "--year", "2026", "--output", str(output))
    assert "2030年目标" in workbook_headers(output.read_bytes())[1]["汇总"]
    call_command("export_report", "--year", "2024", "--output", str(output))
    assert "2025年目标" in workbook_headers(output.read_bytes())[1]["汇总"]


def test_an_unknown_plan_for_the_export_command_is_refused_with_the_choices(tmp_path, next_plan):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有代码为“nope”的规划；可选：.*doubling-2026-2030"):
        call_command(
            "export_report",
            "--year",
            "2024",
            "--output",
            str(tmp_path / "r.xlsx"),
            "--plan",
            "nope",
        )


def test_the_word_report_follows_the_next_plan(client, next_plan):
    from docx import Document

    response = client.get("/report/document/", {"plan": NEXT})
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "2026-2030" in text
    assert "2025年基数为900.0亿元" in text and "2030年目标为1500.0亿元" in text


def completeness_groups(page):
    table = page[page.index('<table class="table completeness">') :]
    table = table[: table.index("</table>")]
    return re.findall(r"<tr>\s*<td>([^<]*)</td>", table)


def test_the_quality_page_lists_the_missing_figures_of_the_selected_plan(client, next_plan):
    page = html(client, "/quality/")
    assert '<option value="doubling-2026-2030" selected>' in page
    # 2026: the figures the 2026–2030 plan sets targets for; 双街镇 lacks its 专精特新 count.
    assert completeness_groups(page) == ["北辰区", "新能源产业链", "双街镇"]
    assert "“专精特新”企业和小巨人数量" in page[page.index("双街镇</td>") :]
    # The action plan sets nothing for 2026; for 2024 it lists every group of its own.
    page = html(client, "/quality/", plan="doubling-2021-2025")
    assert '<option value="doubling-2021-2025" selected>' in page
    assert "该年没有需要填报的指标。" in page
    assert '<input type="hidden" name="plan" value="doubling-2021-2025">' in page
    page = html(client, "/quality/", plan="doubling-2021-2025", year=2024)
    assert len(completeness_groups(page)) == 1 + 9 + 10  # the district, 9 chains, 10 localities


def test_the_towns_tabs_keep_the_selected_plan_and_year(client, next_plan):
    page = html(client, "/towns/", plan=NEXT, year=2026, metric="strategic-output")
    assert f'href="?metric=srdi-firms&amp;plan={NEXT}&amp;year=2026"' in page
    page = html(client, "/towns/", year=2024)
    assert 'href="?metric=srdi-firms&amp;year=2024"' in page
    assert 'href="?metric=srdi-firms"' in html(client, "/towns/")


def test_the_plans_kept_per_data_version_follow_a_change_on_the_next_request(
    client, next_plan, settings
):
    """The plans with targets, the latest year and each year's plan are kept per data version:
    once the next plan's targets are gone, the lists follow the action plan again."""
    settings.BEICHEN_DERIVED_CACHE = True
    data_version.forget_kept()
    for _ in range(2):  # the second time from what was kept
        page = html(client, "/chains/")
        assert '<option value="doubling-2026-2030" selected>' in page
        assert "2030年目标" in page
    Target.objects.filter(plan=next_plan).delete()
    page = html(client, "/chains/")
    assert "doubling-2026-2030" not in page
    assert "2025年目标" in page
    data_version.forget_kept()
