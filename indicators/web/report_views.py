"""The year's report as a workbook download and as a printable page."""

from dataclasses import replace

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation

from indicators.models import Actual
from indicators.reporting import report
from indicators.spreadsheets import archive
from indicators.web import pages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def requested_year(request):
    """The `?year=` asked for (default: the latest year with approved figures), or None."""
    raw = request.GET.get("year")
    return report.default_year() if raw in (None, "") else report.valid_year(raw)


def bad_year(request):
    low, high = Actual.year_bounds()
    raw = request.GET.get("year")
    return HttpResponseBadRequest(
        f"年份须在 {low} 年至 {high} 年之间（填写的是“{raw[:40]}”）。",
        content_type="text/plain; charset=utf-8",
    )


def requested_plan(request, year):
    """?plan=<slug> when it names a plan with targets, else the plan whose period holds `year`."""
    return pages.selected_plan(request, published=True, year=year)


def report_workbook(request):
    # openpyxl (with lxml, some 20 MB; not numpy) is loaded by the first workbook download.
    from indicators.spreadsheets import workbook

    year = requested_year(request)
    if year is None:
        return bad_year(request)
    rep = report.build(year, requested_plan(request, year), streamed=True)
    response = HttpResponse(workbook.to_bytes(workbook.build(rep)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{workbook.filename(rep)}"'
    return response


# Rows a sheet of the printable report prints: the documents' longest sheets (the final
# assessment's 106 figures, the data-quality findings) print whole; with thousands of
# localities, parks and figures a sheet prints its first rows and says where the rest are.
PRINTED_ROWS = 120


def printed_rows(sheet, limit):
    """The rows the page prints of a sheet: every row, or, past `limit`, its first `limit` and
    then its 合计 rows (the documents' stated totals end the sheet, as in the workbook)."""
    if len(sheet.rows) <= limit:
        return sheet.rows
    body = len(sheet.rows) - sheet.totals
    return sheet.rows[: min(limit, body)] + sheet.rows[body:]


def printed_sheets(sheets, limit):
    """Each sheet with the rows the page prints (its first `limit`, in the report's order, and
    its 合计 rows) and how many it has in all; the sheet keeps only those rows, so a streamed
    report's other rows go as soon as its next sheet is built."""
    printed = []
    for s in sheets:
        rows = printed_rows(s, limit)
        printed.append({"sheet": replace(s, rows=rows), "rows": rows, "count": len(s.rows)})
    return printed


def report_print(request):
    year = requested_year(request)
    if year is None:
        return bad_year(request)
    rep = report.build(year, requested_plan(request, year), streamed=True)
    context = {
        "report": rep,
        "sheets": printed_sheets(rep.sheets, PRINTED_ROWS),
        "limit": PRINTED_ROWS,
    }
    return render(request, "indicators/report_print.html", context)


def report_document(request):
    """The evaluation report as a Word document, for a year and (optionally) one plan."""
    # python-docx (some 18 MB) is loaded by the first Word download, not by every worker.
    from indicators.reporting import document

    year = requested_year(request)
    if year is None:
        return bad_year(request)
    slug = request.GET.get("plan", "")
    plan = document.plan_for(slug)
    if slug and plan is None:
        return HttpResponseBadRequest(
            f"没有代码为“{slug[:40]}”的规划。", content_type="text/plain; charset=utf-8"
        )
    # The evaluation report is a Chinese document, whatever the page language.
    with translation.override(settings.LANGUAGE_CODE):
        rep = report.build(year, plan)
        content = document.to_bytes(document.build(rep, plan))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{document.filename(rep, plan)}"'
    return response


def archive_download(request):
    """Every published value, its wide tables and metadata in one zip (public data only)."""
    response = HttpResponse(archive.build(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive.filename()}"'
    return response
