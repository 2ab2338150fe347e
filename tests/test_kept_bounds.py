"""What a worker keeps is bounded whatever a crawler asks: walking every sort, page, plan,
year and odd value of the lists and the overview never grows a store past its limit (the
values kept per data version, each list's kept rows, each row's drawn cells, the pages a
worker holds itself, the Accept-Encoding headers read)."""

import itertools

import pytest
from django.test import Client

from indicators.domain import data_version
from indicators.web import page_cache, pages, table_rows
from tests.helpers import ACTION_PLAN, FOURTEENTH, more_parks

pytestmark = pytest.mark.django_db

VARIANTS = 8  # values kept at once, for the walk (64 in production)
ROWS = 150  # rows kept per list, audience and language (2,000 in production)
LOCAL = 400_000  # bytes of pages a worker holds (16 MB in production)


@pytest.fixture
def small_limits(monkeypatch, kept_and_cached):
    monkeypatch.setattr(data_version, "KEPT_VARIANTS", VARIANTS)
    monkeypatch.setattr(pages, "KEPT_ROWS", ROWS)
    monkeypatch.setattr(page_cache, "_local", page_cache.LocalCopies(LOCAL))
    page_cache.accepted_encodings.cache_clear()
    return kept_and_cached


def kept_values():
    return list(data_version._kept["values"].items())


def walk():
    """A crawler's requests: each list by every sort either way, page, plan and year."""
    lists = {
        "/parks/": ["rank", "name", "per_mu", "output"],
        "/status/": ["status", "completion", "subject", "latest"],
        "/chains/": ["name", "completion"],
        "/towns/": ["rank", "completion"],
    }
    for url, columns in lists.items():
        sorts = [*columns, *(f"-{c}" for c in columns), "nonsense"]
        for sort, page, plan, year in itertools.product(
            sorts, ["1", "2", "0", "999"], ["", ACTION_PLAN, FOURTEENTH, "none"], ["", "2023"]
        ):
            yield url, {"sort": sort, "page": page, "plan": plan, "year": year}
    for year in range(2015, 2030):
        yield "/", {"year": str(year)}
        yield "/", {"year": str(year), "plan": FOURTEENTH}


def test_a_crawler_never_grows_what_a_worker_keeps_past_its_limits(small_limits):
    more_parks(250)
    visitor = Client()
    largest_rows = largest_memo = asked = 0
    for n, (url, query) in enumerate(walk()):
        accept = f"gzip;q=0.{n % 10}, br;q=0.5, x-{n}"  # a different header each time
        response = visitor.get(url, query, headers={"Accept-Encoding": accept})
        assert response.status_code == 200, (url, query)
        asked += 1
        values = kept_values()
        assert len(values) <= VARIANTS
        for key, value in values:
            if key[0].endswith("-rows"):
                largest_rows = max(largest_rows, len(value))
                for row in value.values():
                    largest_memo = max(largest_memo, len(row[table_rows.MEMO]))
        assert page_cache._local.size <= LOCAL
        assert page_cache.accepted_encodings.cache_info().currsize <= 64
    assert asked > 900
    # Each limit was reached, so the walk tested it.
    assert 100 < largest_rows <= ROWS
    assert 1 <= largest_memo <= 2  # a row is drawn by one table, with or without its plan
    if small_limits == "redis":
        assert LOCAL - 200_000 < page_cache._local.size <= LOCAL
