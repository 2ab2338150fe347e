"""In-process timings and query counts of the served benchmark's pages.

Run by benchmarks/served.py against the benchmark database with the same settings as the
served app (DEBUG off, PostgreSQL, the same Redis cache). The first request for each page is a
cache miss: it is timed, its queries are counted, and it leaves the page in the cache, so the
served app's first request for it is already a hit (a slow page is rendered once, not twice).
Further timings ask for the page with an extra query parameter the page ignores, so each is a
miss too. Each page is timed up to `repeat` times, fewer once it has taken BUDGET_SECONDS.
Prints one JSON line per page: {"url", "ms" (median), "first_ms", "queries", "bytes", "runs"}.
The first request is the one right after a change of the data: nothing derived from the data
(indicators/domain/data_version.py: cached) is in the cache yet, and templates are compiled.
"""

import json
import os
import statistics
import sys
import time

os.environ["BEICHEN_PAGE_CACHE"] = "true"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beichen.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indicators.domain import data_version  # noqa: E402

BUDGET_SECONDS = 20


def timed(client, url):
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.get("X-Page-Cache") == "miss", (url, response.get("X-Page-Cache"))
    return response, (time.perf_counter() - start) * 1000


def main(urls, repeat):
    client = Client(HTTP_HOST="127.0.0.1")
    data_version.current()  # the version is in the cache before the first page
    client.get("/static/favicon.svg")  # imports and middleware set up
    for run, url in enumerate(urls):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response, first = timed(client, url)
        count = len(queries)  # read now: the next request empties the query log
        times = [first]
        budget = time.perf_counter() + BUDGET_SECONDS
        for i in range(repeat):
            if time.perf_counter() > budget:
                break
            sep = "&" if "?" in url else "?"
            times.append(timed(client, f"{url}{sep}_bench={run}-{i}")[1])
        # the first run pays for template loading and imports; leave it out when there are more
        measured = times[1:] or times
        result = {
            "url": url,
            "ms": statistics.median(measured),
            "first_ms": first,
            "queries": count,
            "bytes": len(response.content),
            "runs": len(measured),
        }
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[2:], int(sys.argv[1]))
