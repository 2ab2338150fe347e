"""In-process timings and query counts of the served benchmark's pages (no page cache).

Run by benchmarks/served.py against the benchmark database, with the same settings as the
served app; prints one JSON object: {url: {"ms": median ms, "queries": n, "bytes": n}}.
Each page is timed up to `repeat` times, fewer when it takes longer than BUDGET_SECONDS.
"""

import json
import os
import statistics
import sys
import time

os.environ["BEICHEN_PAGE_CACHE"] = "false"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beichen.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BUDGET_SECONDS = 20


def main(urls, repeat):
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    for url in urls:
        response = client.get(url)  # warm imports and template caches
        assert response.status_code == 200, (url, response.status_code)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries)  # read now: the next request empties the query log
        times = []
        budget = time.perf_counter() + BUDGET_SECONDS
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            if time.perf_counter() > budget:  # bounded: slow pages are timed fewer times
                break
        results[url] = {
            "ms": statistics.median(times),
            "queries": count,
            "bytes": len(response.content),
        }
    print(json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[2:], int(sys.argv[1]))
