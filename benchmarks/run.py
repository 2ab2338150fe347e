"""Speed and memory benchmark: `make bench`.

Builds a throwaway SQLite database with the documents' figures plus a district's worth of
synthetic history (every tracked figure with actuals for each year, and many more parks),
then times what officials and staff do most and checks each against its target.
Exits non-zero when a target is missed.
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

DB_FILE = Path(tempfile.mkdtemp(prefix="beichen-bench-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
os.environ.setdefault("DEBUG", "true")
# Pages are rendered on every request here: the page cache would time a cache read instead.
os.environ["BEICHEN_PAGE_CACHE"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beichen.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

EXTRA_PARKS = 300
YEARS = range(2021, 2025)


def measure(fn, repeat=5):
    """Median seconds of `repeat` runs and the peak memory (MiB) of one run."""
    fn()  # warm caches and imports
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def build_database():
    from indicators.documents.loading import load_documents
    from indicators.models import Actual, Target
    from parks.models import Locality, Park

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    load_documents()
    load_seconds = time.perf_counter() - start

    town = Locality.objects.get(slug="shuangjie")
    for i in range(EXTRA_PARKS):
        Park.objects.create(
            slug=f"bench-park-{i}",
            name=f"测试园区{i}",
            managed_by=town,
            order=100 + i,
            level=Park.Level.DISTRICT,
            area_ha=50 + i,
            firm_count=i % 40,
        )
    existing = set(Actual.objects.values_list("subject_id", "metric_id", "year"))
    rows = [
        Actual(
            subject_id=t.subject_id,
            metric_id=t.metric_id,
            year=year,
            value=(t.baseline_value or 1) * Decimal(10 + year - 2020) / 10,
            state=Actual.State.APPROVED,
            source="基准测试",
        )
        for t in Target.objects.exclude(baseline_value=None)
        for year in YEARS
        if (t.subject_id, t.metric_id, year) not in existing
    ]
    Actual.objects.bulk_create(rows, ignore_conflicts=True)
    return load_seconds


def page_check(client, name, args=(), max_ms=500, max_queries=30):
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return None

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    reset_queries()  # the query log is capped; start each page from an empty one
    with CaptureQueriesContext(connection) as queries:
        get()
    seconds, mib = measure(get)
    return (f"page {url}", seconds * 1000, max_ms, mib, len(queries), max_queries)


def import_check():
    try:
        from benchmarks import import_bench
    except ImportError:
        return None
    return import_bench.run(measure)


def main():
    load_seconds = build_database()
    from indicators.domain.tracking import track
    from indicators.models import Target

    results = [("load_documents (both documents)", load_seconds * 1000, 5000, None, None, None)]
    seconds, mib = measure(lambda: track(Target.objects.all()))
    results.append(("track() every target", seconds * 1000, 300, mib, None, None))

    from indicators.reporting import report
    from indicators.spreadsheets import workbook

    seconds, mib = measure(lambda: workbook.to_bytes(workbook.build(report.build(2024))), repeat=3)
    results.append(("report workbook 2024 (all sheets)", seconds * 1000, 3000, mib, None, None))

    client = Client()
    reset_queries()
    for name, args in [
        ("indicators:home", ()),
        ("indicators:status", ()),
        ("chains:list", ()),
        ("parks:parks", ()),
        ("parks:localities", ()),
        ("indicators:comparison", ()),
        ("indicators:quality", ()),
    ]:
        row = page_check(client, name, args)
        if row:
            results.append(row)
    row = import_check()
    if row:
        results.extend(row)

    failed = False
    print(f"{'benchmark':48} {'median ms':>10} {'target':>8} {'peak MiB':>9} {'queries':>8}")
    for label, ms, target_ms, mib, queries, max_queries in results:
        ok = ms <= target_ms and (max_queries is None or queries <= max_queries)
        failed |= not ok
        print(
            f"{label:48} {ms:10.1f} {target_ms:8} "
            f"{'' if mib is None else f'{mib:9.1f}':>9} {'' if queries is None else queries:>8}"
            f"  {'ok' if ok else 'MISSED'}"
        )
    print(
        f"data: {EXTRA_PARKS} extra parks, actuals for every target in {YEARS.start}–{YEARS.stop - 1}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
