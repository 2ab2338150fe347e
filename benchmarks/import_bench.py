"""Spreadsheet import of a few thousand rows: the dry run and the all-or-nothing apply."""

import time
from io import BytesIO

from django.contrib.auth import get_user_model
from openpyxl import Workbook

from indicators.models import Actual
from indicators.spreadsheets import importing
from parks.models import Park

YEARS = range(2021, 2026)
METRICS = ("park-output", "park-firms")
MAX_MS = 10_000  # "a file of a few thousand rows imports in seconds"


def workbook_bytes(parks):
    wb = Workbook()
    ws = wb.active
    ws.title = importing.SHEET_NAME
    ws.append(importing.HEADERS)
    for park in parks:
        for metric in METRICS:
            for year in YEARS:
                value = 10 + year - 2020 if metric == "park-output" else 3
                row = {"对象代码": park.slug, "指标代码": metric, "年份": year, "数值": value}
                ws.append([row.get(header, "") for header in importing.HEADERS])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def run(measure):
    user = get_user_model().objects.create_superuser("bench-importer", "", None)
    parks = list(Park.objects.filter(slug__startswith="bench-park-"))
    data = workbook_bytes(parks)
    rows = len(parks) * len(METRICS) * len(YEARS)

    def dry_run():
        preview = importing.check(data, "bench.xlsx", user)
        assert not preview.errors and not preview.file_error, preview.errors[:3]

    seconds, mib = measure(dry_run, repeat=3)
    start = time.perf_counter()
    importing.apply(data, "bench.xlsx", user)
    applied = time.perf_counter() - start
    assert Actual.objects.filter(subject__slug__startswith="bench-park-").count() == rows
    return [
        (f"import dry run, {rows} rows", seconds * 1000, MAX_MS, mib, None, None),
        (f"import apply, {rows} rows (with history)", applied * 1000, MAX_MS, None, None, None),
    ]
