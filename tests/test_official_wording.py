"""Words and numbers as officials read them, on the pages, the printable report, the workbook
and the Word report: rounded half up, counts whole with their unit, shares in percentage points,
"提前达到" (before the target year) kept apart from the target-year verdict "达成"."""

import re
from io import BytesIO

import pytest
from django.utils.html import strip_tags
from docx import Document as WordDocument
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

LIGHT_FIRMS = "/indicators/doubling-2021-2025/light-industry/chain-firms/"
HIGHTECH_FIRMS = "/indicators/doubling-2021-2025/beichen/hightech-firms/"
MFG_SHARE = "/indicators/industry-14th-fyp/beichen/mfg-va-gdp-share/"


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def workbook_texts(client, year=2024):
    wb = load_workbook(BytesIO(client.get(f"/report/workbook/?year={year}").content))
    return wb


def test_101_light_industry_firms_against_80_is_126_3_per_cent_everywhere(client):
    # Annex 3: 轻工 80 在链企业 by 2025; the report: 101 in 2024. 101 ÷ 80 = 126.25% → 126.3%.
    assert "126.3%" in html_of(client, LIGHT_FIRMS)
    assert "126.2%" not in html_of(client, LIGHT_FIRMS)
    printed = html_of(client, "/report/print/?year=2024")
    assert "126.3%" in printed and "126.2%" not in printed
    doc = WordDocument(BytesIO(client.get("/report/document/?year=2024").content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "126.3%" in cells and "126.2%" not in cells


def test_a_figure_reached_before_the_target_year_is_not_called_achieved(client):
    # 制造业增加值占GDP比重 39.8% in 2024 against 37% for 2025: reached a year early.
    html = html_of(client, MFG_SHARE)
    assert "提前达到" in html
    assert "已达成" not in html
    printed = html_of(client, "/report/print/?year=2024")
    assert "提前达到" in printed and "已达成" not in printed


def test_english_pages_say_reached_early(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = html_of(client, MFG_SHARE)
    assert "Reached early" in html
    assert "2.8 pp above target" in html


def test_a_shares_progress_is_in_percentage_points_as_the_report_words_it(client):
    # The report: 39.8%, "较“十四五”目标（37%）超额2.8个百分点"; never (39.8 − 36.6) ÷ 0.4 = 800%.
    html = html_of(client, MFG_SHARE)
    assert "超目标2.8个百分点" in html
    assert "39.8 − 37：超目标2.8个百分点" in html
    assert "800.0%" not in html
    printed = html_of(client, "/report/print/?year=2024")
    assert "超目标2.8个百分点" in printed and "800.0%" not in printed
    summary = workbook_texts(client)["汇总"]
    texts = {c.value for row in summary.iter_rows() for c in row}
    assert "超目标2.8个百分点" in texts


def test_a_share_short_of_its_target_says_how_many_points(client):
    # 战略性新兴产业增加值占比 49.8% (2023) against 55%: 5.2 points to go.
    printed = html_of(client, "/report/print/?year=2024")
    assert "距目标还差5.2个百分点" in printed


def test_counts_per_year_print_whole_with_their_unit(client):
    # 国家级高新技术企业 715 (2024) → 800 (2025): 85 more firms, in one year.
    printed = html_of(client, "/report/print/?year=2024")
    assert "85家/年" in printed
    assert "85.0/年" not in printed and "85.0家" not in printed
    ws = workbook_texts(client)["五项倍增指标"]
    formats = {c.value: c.number_format for row in ws.iter_rows() for c in row if c.value == 85}
    assert formats == {85: '#,##0"家/年"'}


def test_table_1s_400_is_labelled_a_five_year_increase_not_a_yearly_rate(client):
    printed = html_of(client, "/report/print/?year=2024")
    assert "五年增加400家" in printed and "五年增加40家" in printed
    assert "五年增加1.20个百分点" in printed
    ws = workbook_texts(client)["五项倍增指标"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == 400 and c.column == 6]
    assert cells and cells[0].number_format == '"五年增加"#,##0"家"'
    html = html_of(client, HIGHTECH_FIRMS)
    assert "文件所列五年增加量：400" in html
    assert "年均增速：400" not in html


def test_the_word_report_says_how_many_firms_a_year_are_still_needed(client):
    doc = WordDocument(BytesIO(client.get("/report/document/?year=2024").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "实现目标尚需年均增加85家。" in text
    assert "85.0家" not in text and "家家" not in text


# A count with decimals ("48.0 家", "85.0/年"); "0.24 个百分点" is a share's points, not a count.
COUNT_WITH_DECIMAL = re.compile(
    r"\d\.\d+ ?(?:家|个(?!百分点)|名|条|项)(?!/年)|\d\.0 ?(?:家|个|名)?/年"
)

PAGES = [
    "/",
    "/chains/",
    "/chains/new-energy/",
    "/towns/",
    "/towns/kaifaqu/",
    "/parks/",
    "/status/?plan=",
    "/final/",
    "/measures/",
    "/report/print/?year=2024",
    HIGHTECH_FIRMS,
    LIGHT_FIRMS,
]


@pytest.mark.parametrize("url", PAGES)
def test_no_count_prints_with_a_decimal(client, url):
    text = " ".join(strip_tags(html_of(client, url)).split())
    assert COUNT_WITH_DECIMAL.findall(text) == []
