"""Long lists show a page at a time and build only the rows they show: the district figure's
breakdown by locality, the status summary and the park ranking. Sorting still runs over every
row, every row stays reachable on a later page and every export holds every row."""

import csv
import io
from collections import Counter
from dataclasses import replace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.domain import tracking
from indicators.models import Metric, Target
from indicators.reporting import report
from indicators.web.pages import LIST_PAGE_SIZE
from indicators.web.report_views import PRINTED_ROWS
from indicators.web.tables import FigureTable, figure_rows
from parks.models import Locality, Park
from parks.tables import ParkTable
from parks.views import _park_targets, park_rows
from tests.helpers import approved, more_parks, plan, plan_target

pytestmark = pytest.mark.django_db

HIGHTECH_FIRMS = "/indicators/doubling-2021-2025/beichen/hightech-firms/"


def body_rows(html, start=0):
    body = html[html.index("<tbody", start) : html.index("</tbody>", start)]
    return body.count("<tr")


def more_localities(n):
    """`n` more towns after the documents' ten, each with a target for 高新技术企业数量."""
    metric = Metric.objects.get(slug="hightech-firms")
    for i in range(n):
        town = Locality.objects.create(
            name=f"测试镇{i}", slug=f"test-town-{i}", number=1000 + i, type="town", order=1000 + i
        )
        plan_target(town, metric, 10, 20)


def test_a_district_figures_breakdown_shows_a_hundred_localities_a_page(client):
    with CaptureQueriesContext(connection) as ten:
        assert client.get(HIGHTECH_FIRMS).status_code == 200
    more_localities(LIST_PAGE_SIZE + 5)  # 115 localities in all
    approved("test-town-104", "hightech-firms", 2024, 15)  # 15 of 20: 75.0%
    first = client.get(HIGHTECH_FIRMS).content.decode()
    section = first.index('id="breakdown-heading"')
    assert body_rows(first, section) == 100
    assert "开发区" in first and "测试镇89" in first and "测试镇90" not in first
    assert 'href="?page=2"' in first[section:]
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(HIGHTECH_FIRMS, {"page": 2}).content.decode()
    section = second.index('id="breakdown-heading"')
    assert body_rows(second, section) == 15
    assert "测试镇90" in second and "测试镇104" in second and "测试镇89" not in second
    row = second[second.index("测试镇104") :]
    assert "75.0%" in row[: row.index("</tr>")]
    # The year table and the rest of the page are the same on every page of the breakdown.
    assert second.count("89.4%") == first.count("89.4%") >= 1
    # A page reads the same queries however many localities there are (the page's count added).
    assert len(second_queries) <= len(ten) + 2
    # Out of range: the last page.
    assert "测试镇104" in client.get(HIGHTECH_FIRMS, {"page": 99}).content.decode()


@pytest.mark.parametrize("year", [None, 2023, 2024])
@pytest.mark.parametrize("published", [True, False])
def test_the_latest_whole_year_value_alone_gives_every_number_a_list_shows(year, published):
    """track(latest=True) reads one actual a figure: its status, completion, latest value,
    growth rates and projection are those of all its actuals; tracking.summaries as well."""
    approved("new-energy", "chain-output", 2023, "60", period="months", month=6)
    every = tracking.track(Target.objects.all(), year, published, full_year=True)
    latest = tracking.track(Target.objects.all(), year, published, latest=True)
    summaries = tracking.summaries(Target.objects.all(), year, published)
    assert len(every) == len(latest) == len(summaries) == Target.objects.count()
    for a, b in zip(every, latest, strict=True):
        assert a.target == b.target and len(b.actuals) <= 1
        assert a.latest == b.latest and a.completion == b.completion and a.status == b.status
        assert a.other_basis[-1:] == b.other_basis
        if a.assessment is not None:
            assert replace(a.assessment, points=()) == replace(b.assessment, points=())
            for part in ("achieved_growth", "projection", "projection_gap", "ratio", "method"):
                assert getattr(a.assessment, part) == getattr(b.assessment, part), part
        row, summary = figure_rows([a])[0], summaries[a.target.pk]
        assert (
            summary.status,
            summary.latest_year,
            summary.latest,
            summary.completion,
            summary.planned_growth,
            summary.required_growth,
        ) == tuple(
            row[k]
            for k in (
                "status",
                "latest_year",
                "latest",
                "completion",
                "planned_growth",
                "required_growth",
            )
        )


def urls_of_pages(client, url, **params):
    found, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        table = response.context["table"]
        found += [row.record["url"] for row in table.page.object_list]
        if page >= table.paginator.num_pages:
            return found
        page += 1


@pytest.mark.parametrize("sort", ["-completion", "completion", "latest", "-required_growth"])
def test_the_status_summary_sorts_every_figure_before_paging(client, sort):
    """Page after page, the rows in the order the whole list sorted as one table gives."""
    rows = figure_rows(tracking.track(Target.objects.filter(plan=plan()), full_year=True))
    expected = [r.record["url"] for r in FigureTable(rows, order_by=sort).rows]
    assert len(expected) == 106
    assert urls_of_pages(client, "/status/", sort=sort) == expected


def test_the_status_summary_counts_and_filters_every_figure(client):
    rows = figure_rows(tracking.track(Target.objects.filter(plan=plan()), full_year=True))
    accelerate = [r["url"] for r in rows if r["status"] == "accelerate"]  # 需加快
    response = client.get("/status/", {"status": "accelerate"})
    counts = {status.value: n for status, n in response.context["status_counts"]}
    assert sum(counts.values()) == 106
    assert counts == dict(Counter(r["status"].value for r in rows)) | {
        s: 0 for s in counts if s not in {r["status"].value for r in rows}
    }
    assert counts["accelerate"] == len(accelerate) > 0
    assert urls_of_pages(client, "/status/", status="accelerate") == accelerate
    export = client.get("/status/", {"status": "accelerate", "_export": "csv"}).content.decode()
    assert len(list(csv.reader(io.StringIO(export)))) == 1 + len(accelerate)


@pytest.mark.parametrize("sort", [None, "-output", "output_year", "per_mu", "-firm_count"])
def test_the_park_ranking_ranks_every_park_and_pages_it(client, sort):
    more_parks(LIST_PAGE_SIZE + 5)
    parks = Park.objects.select_related("managed_by").order_by("order")
    rows = park_rows(parks, tracking.track(_park_targets(plan()), full_year=True))
    expected = ParkTable(rows, order_by=sort or "rank").rows
    params = {"sort": sort} if sort else {}
    assert urls_of_pages(client, "/parks/", **params) == [r.record["url"] for r in expected]
    first = client.get("/parks/", params).context["table"].page.object_list
    assert [r.record["rank"] for r in first] == [r.record["rank"] for r in expected[:100]]
    if sort is None:
        assert first[0].record["name"] == "测试园区104" and first[0].record["rank"] == 1
    export = client.get("/parks/", {**params, "_export": "csv"}).content.decode()
    assert len(list(csv.reader(io.StringIO(export)))) == 1 + Park.objects.count()


def test_the_lists_read_no_more_queries_with_more_parks_and_localities(client):
    urls = ["/parks/", "/status/?plan=", HIGHTECH_FIRMS]
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        before[url] = len(queries)
    more_parks(LIST_PAGE_SIZE + 5)
    more_localities(LIST_PAGE_SIZE + 5)
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # The breakdown reads its page's count once it has more than one page.
        assert len(queries) <= before[url] + (2 if url == HIGHTECH_FIRMS else 0), url


def printed_sheets(html):
    """The printable report's sheets, one string each."""
    return html.split('<section class="report-sheet">')[1:]


def test_the_printed_report_prints_every_row_of_the_documents_sheets(client):
    sheets = report.build(2024).sheets
    html = client.get("/report/print/", {"year": 2024}).content.decode()
    assert "report-cut" not in html
    printed = printed_sheets(html)
    assert [body_rows(p) for p in printed] == [len(s.rows) for s in sheets]
    assert max(len(s.rows) for s in sheets) <= PRINTED_ROWS  # the final assessment's 106


def test_a_long_sheet_prints_its_first_rows_and_says_where_the_rest_are(client):
    more_localities(LIST_PAGE_SIZE + 5)
    sheets = report.build(2024).sheets
    towns = next(i for i, s in enumerate(sheets) if s.name == "属地")
    count = len(sheets[towns].rows)
    assert count > PRINTED_ROWS
    link = '<a href="/report/workbook/?year=2024&amp;plan=doubling-2021-2025">'
    html = client.get("/report/print/", {"year": 2024}).content.decode()
    printed = printed_sheets(html)
    # The first rows, then the sheet's 合计 rows (annex 1's stated totals), as the workbook
    # ends with them.
    totals = sheets[towns].totals
    assert totals > 0
    assert body_rows(printed[towns]) == PRINTED_ROWS + totals
    assert (
        f"本表共 {count} 行，此处打印前 {PRINTED_ROWS} 行（按表中顺序）和表末 {totals} 行合计；"
        f"全部 {count} 行见 {link}Excel 报告</a>。"
    ) in printed[towns]
    last = printed[towns].split("<tr>")[-totals:]
    assert all("文件所列合计" in row or "分项相加" in row for row in last)
    # In the report's order: the first rows are the documents' ten localities'.
    assert "开发区" in printed[towns] and "测试镇104" not in printed[towns]
    # Every sheet prints at most the bound and its 合计 rows, and says so only when it has more.
    assert [body_rows(p) for p in printed] == [
        len(s.rows) if len(s.rows) <= PRINTED_ROWS else PRINTED_ROWS + s.totals for s in sheets
    ]
    assert ["report-cut" in p for p in printed] == [len(s.rows) > PRINTED_ROWS for s in sheets]
    client.cookies["django_language"] = "en"
    english = printed_sheets(client.get("/report/print/", {"year": 2024}).content.decode())
    assert (
        f"This table has {count} rows; the first {PRINTED_ROWS} (in the table's order) and the "
        f"{totals} total rows at its end are printed here. All {count} rows are in the "
        f"{link}Excel report</a>."
    ) in english[towns]
    # The workbook it names holds every row.
    response = client.get("/report/workbook/", {"year": 2024, "plan": "doubling-2021-2025"})
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    cells = {c for row in book.worksheets[towns].iter_rows(values_only=True) for c in row}
    assert {"测试镇0", "测试镇104"} <= cells
