"""The page cache: published pages come from the cache until the data changes, and never after.

Run on both backends the dashboard uses: local memory, and Redis at 127.0.0.1:6379 (a key
prefix of this run's own, so two runs at once, or anything else on that Redis, never see or
remove each other's keys).
"""

import gzip
import os
import threading
import uuid
from decimal import Decimal

import brotli
import pytest
import redis
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory

from indicators.domain import data_version, workflow
from indicators.models import Actual, Target
from indicators.web import page_cache as page_cache_module
from tests.helpers import asked_twice_at_once

pytestmark = pytest.mark.django_db

CHAIN_PAGE = "/chains/new-energy/"
REDIS = {
    "BACKEND": "beichen.redis_cache.RedisCache",  # Django's RedisCache, one client per pool
    "LOCATION": "redis://127.0.0.1:6379/15",
    "KEY_PREFIX": f"beichen-cache-test-{os.getpid()}-{uuid.uuid4().hex[:8]}",
}
LOCAL = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "beichen-speed-test",
}


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The page cache switched on, on an empty cache of the given backend."""
    settings.CACHES = {"default": REDIS if request.param == "redis" else LOCAL}
    settings.BEICHEN_PAGE_CACHE = True
    empty(cache)
    yield request.param
    empty(cache)


def empty(cache):
    """Remove this run's keys only: `cache.clear()` on Redis empties the whole database."""
    page_cache_module.forget_local_copies()
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{REDIS['KEY_PREFIX']}:*"))
        if keys:
            client.delete(*keys)
        # The data version's token went with them: say so, as a change does, or this process
        # would go on with the token an earlier test left it for up to a second
        # (data_version.RECHECK_SECONDS) and then drop what it kept under it.
        data_version.announce()
    else:
        cache.clear()


def chain_output_2024():
    return Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2024)


def get(client, url=CHAIN_PAGE, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), url
    return response


def test_a_published_page_is_served_from_the_cache_the_second_time(client, page_cache):
    first, second = get(client), get(client)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "130.6" in second.content.decode()


def test_a_corrected_and_approved_figure_shows_on_the_next_request(client, page_cache, carol, rita):
    """Rita reopens the new-energy chain's 2024 output, Carol corrects it to 141.2 and
    submits it, Rita approves it: the next visitor sees 141.2, through the cache."""
    assert "130.6" in get(client).content.decode()
    assert get(client)["X-Page-Cache"] == "hit"

    actual = chain_output_2024()
    workflow.reopen(actual, rita, "统计局年报更正")
    after_reopen = get(client)
    assert after_reopen["X-Page-Cache"] == "miss"
    assert "130.6" not in after_reopen.content.decode()  # no longer published

    actual.refresh_from_db()
    actual.value, actual.entered_by = "141.2", carol
    actual.save()
    workflow.submit(actual, carol)
    assert "141.2" not in get(client).content.decode()  # submitted, not yet approved
    workflow.approve(actual, rita)

    page = get(client)
    assert page["X-Page-Cache"] == "miss"
    assert "141.2" in page.content.decode() and "130.6" not in page.content.decode()
    assert get(client)["X-Page-Cache"] == "hit"
    assert chain_output_2024().value == Decimal("141.2")


def test_a_changed_target_shows_on_the_next_request(client, page_cache):
    target = Target.objects.get(
        plan__slug="doubling-2021-2025", subject__slug="new-energy", metric__slug="chain-output"
    )
    before = get(client).content.decode()
    assert f"{target.target_value:g}" in before
    Target.objects.filter(pk=target.pk).update(target_value=987.6)  # no signal: not seen yet
    assert "987.6" not in get(client).content.decode()
    target.refresh_from_db()
    target.save()  # a save through the admin or the ORM bumps the version
    assert "987.6" in get(client).content.decode()


def test_reloading_the_documents_bumps_the_version(client, page_cache):
    get(client)
    version = data_version.current()
    call_command("load_documents", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert data_version.current() != version
    assert get(client)["X-Page-Cache"] == "miss"


def test_the_browser_revalidates_and_gets_a_304(client, page_cache):
    page = get(client)
    assert page["Cache-Control"] == "no-cache" and page["ETag"] and page["Last-Modified"]
    again = get(client, **{"If-None-Match": page["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = get(client, **{"If-Modified-Since": page["Last-Modified"]})
    assert since.status_code == 304
    chain_output_2024().save()
    assert get(client, **{"If-None-Match": page["ETag"]}).status_code == 200


def test_each_language_year_and_export_is_cached_apart(client, page_cache):
    chinese = get(client, "/", **{})
    client.cookies["django_language"] = "en"
    english = get(client, "/")
    assert english["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="zh-hans">' in chinese.content.decode()
    older = get(client, "/?year=2023")
    assert older["X-Page-Cache"] == "miss"
    export = get(client, "/chains/?_export=csv")
    assert export["X-Page-Cache"] == "miss" and export["Content-Type"].startswith("text/csv")
    again = get(client, "/chains/?_export=csv")
    assert again["X-Page-Cache"] == "hit" and again["Content-Disposition"]
    assert again.content == export.content


def test_staff_previewing_drafts_never_get_a_cached_page(client, page_cache, carol, rita):
    get(client), get(client)  # the published page is cached
    actual = chain_output_2024()
    workflow.reopen(actual, rita, "更正")
    actual.refresh_from_db()
    actual.value, actual.entered_by = "150.5", carol
    actual.save()
    client.force_login(rita)
    preview = client.get(CHAIN_PAGE, {"preview": "1"})
    assert "X-Page-Cache" not in preview
    assert "150.5" in preview.content.decode()
    assert "X-Page-Cache" not in client.get(CHAIN_PAGE)  # logged in: never from the cache


def test_the_workbook_is_cached_and_follows_the_data(client, page_cache, carol, rita):
    first = get(client, "/report/workbook/?year=2024")
    assert first["Content-Type"].startswith("application/vnd.openxmlformats")
    assert get(client, "/report/workbook/?year=2024")["X-Page-Cache"] == "hit"
    workflow.reopen(chain_output_2024(), rita, "更正")
    assert get(client, "/report/workbook/?year=2024")["X-Page-Cache"] == "miss"


def test_the_admin_and_the_language_switch_are_never_cached(client, page_cache):
    assert "X-Page-Cache" not in client.get("/admin/login/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and "X-Page-Cache" not in response


def test_published_pages_hold_no_csrf_token_and_set_no_cookie(client, page_cache):
    page = get(client, "/")
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert not page.cookies


def test_the_redis_backend_reuses_one_client_for_every_operation(settings):
    settings.CACHES = {"default": REDIS}
    cache.set("client-check", 1)
    first = cache._cache.get_client(write=True)
    assert cache.get("client-check") == 1
    assert cache._cache.get_client(write=True) is first
    cache.delete("client-check")


def test_a_hit_with_redis_reads_the_page_from_the_worker_and_only_the_version_from_redis(
    client, settings
):
    settings.CACHES = {"default": REDIS}
    settings.BEICHEN_PAGE_CACHE = True
    empty(cache)
    try:
        first = get(client)
        cache.delete(page_cache_module.page_key(client.get(CHAIN_PAGE).wsgi_request))
        again = get(client)  # gone from Redis, still this worker's: the version decides
        assert again["X-Page-Cache"] == "hit" and again.content == first.content
        chain_output_2024().save()  # a change: the worker's copy is no longer served
        assert get(client)["X-Page-Cache"] == "miss"
    finally:
        empty(cache)


@pytest.fixture
def redis_pages(settings):
    settings.CACHES = {"default": REDIS}
    settings.BEICHEN_PAGE_CACHE = True
    empty(cache)
    yield
    empty(cache)


def another_worker_sets_the_token(token, announced):
    """What a change made by another worker does to Redis: a new token, then (normally) its
    announcement; through a client of its own, so nothing in this process hears of it."""
    other = redis.Redis.from_url(REDIS["LOCATION"])
    cache.set(data_version.CACHE_KEY, token, None)
    if announced:
        other.publish(data_version._channel(), "changed")
    other.close()


def test_a_change_announced_by_another_worker_is_seen_on_the_next_request(client, redis_pages):
    first = get(client)
    assert get(client)["X-Page-Cache"] == "hit"
    another_worker_sets_the_token("7.1800000000.000000", announced=True)
    after = get(client)
    assert after["X-Page-Cache"] == "miss"
    assert after.content == first.content  # rendered afresh (the data here did not change)


def test_a_hit_asks_redis_nothing_once_the_worker_knows_the_token(client, redis_pages, monkeypatch):
    # no recheck falls due during the test, however slow the machine
    monkeypatch.setattr(data_version, "RECHECK_SECONDS", 3600.0)
    get(client), get(client)
    asked = []
    monkeypatch.setattr(cache, "get", lambda *a, **k: asked.append(a) or None)
    monkeypatch.setattr(cache, "get_many", lambda *a, **k: asked.append(a) or {})
    assert get(client)["X-Page-Cache"] == "hit"
    assert get(client)["X-Page-Cache"] == "hit"
    assert asked == []


def test_an_unannounced_change_is_seen_once_the_worker_asks_again(client, redis_pages, monkeypatch):
    """A lost announcement (a dropped connection) delays a change by RECHECK_SECONDS at most:
    the worker asks Redis for the token again after that long whatever it heard."""
    get(client), get(client)
    another_worker_sets_the_token("8.1800000000.000000", announced=False)
    monkeypatch.setattr(data_version, "RECHECK_SECONDS", 0.0)
    assert get(client)["X-Page-Cache"] == "miss"


def test_a_change_announced_while_a_page_renders_is_not_mistaken_for_the_pages_reading(
    client, redis_pages
):
    """A page reads the version once (`pinned`); an announcement heard meanwhile makes the
    worker ask Redis, and it keeps Redis's token, not the page's older one."""
    get(client), get(client)
    with data_version.pinned():
        pinned = data_version.current()
        another_worker_sets_the_token("10.1800000000.000000", announced=True)
        assert data_version.watched() == "10.1800000000.000000"
        assert data_version.current() == pinned
    assert data_version.watched() == "10.1800000000.000000"
    assert get(client)["X-Page-Cache"] == "miss"


def test_a_broken_subscription_falls_back_to_asking_redis(client, redis_pages, monkeypatch):
    get(client), get(client)

    def broken(self):
        raise redis.ConnectionError("lost")

    monkeypatch.setattr(data_version._Watch, "current", broken)
    another_worker_sets_the_token("9.1800000000.000000", announced=False)
    assert get(client)["X-Page-Cache"] == "miss"  # asked Redis itself: the new token
    assert get(client)["X-Page-Cache"] == "hit"


def test_a_hit_carries_the_security_headers_of_the_page(client, page_cache):
    first, second = get(client), get(client)
    assert second["X-Page-Cache"] == "hit"
    for header in ("X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
        assert second[header] == first[header], header


def test_a_page_cached_on_new_years_eve_is_not_served_on_new_years_day(client, page_cache):
    """The overview's plan line at 23:30 on 31 December 2025 has both plans running; half an
    hour later both have ended (their target year is 2025): the next request renders afresh
    and links each plan's 终期评估."""
    with time_machine.travel("2025-12-31 23:30 +0800", tick=False):
        chain_output_2024().save()  # the data last changed now, on 31 December
        before = get(client, "/")
        assert get(client, "/")["X-Page-Cache"] == "hit"
        assert "已结束" not in before.content.decode()
    with time_machine.travel("2026-01-01 00:30 +0800", tick=False):
        after = get(client, "/")
        assert after["X-Page-Cache"] == "miss"
        assert "已结束" in after.content.decode()
        assert "/plans/doubling-2021-2025/final/" in after.content.decode()
        # A browser revalidating yesterday's copy gets today's page, not a 304.
        since = get(client, "/", **{"If-Modified-Since": before["Last-Modified"]})
        assert since.status_code == 200 and "已结束" in since.content.decode()
        assert get(client, "/")["X-Page-Cache"] == "hit"


def page_of(size):
    return {"content": b"x" * size}


BROWSER = "gzip, deflate, br"


def unpacked(response):
    """The page a browser reads from a response, whatever its Content-Encoding."""
    encoding = response.get("Content-Encoding")
    if encoding == "gzip":
        return gzip.decompress(response.content)
    if encoding == "br":
        return brotli.decompress(response.content)
    assert encoding is None, encoding
    return response.content


@pytest.fixture
def compressed(monkeypatch):
    """The encodings the page cache compresses a page in, one entry per compression."""
    made = []

    def counted(name, compress):
        def compress_and_count(content):
            made.append(name)
            return compress(content)

        return compress_and_count

    for name, compress in list(page_cache_module.ENCODINGS.items()):
        monkeypatch.setitem(page_cache_module.ENCODINGS, name, counted(name, compress))
    return made


def test_a_browser_gets_the_page_compressed_and_it_is_compressed_once(
    client, page_cache, compressed
):
    first = get(client, **{"Accept-Encoding": "gzip"})
    assert first["X-Page-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    again = get(client, **{"Accept-Encoding": "gzip"})
    plain = get(client)
    brotli_page = get(client, **{"Accept-Encoding": BROWSER})
    assert {page["X-Page-Cache"] for page in (again, plain, brotli_page)} == {"hit"}
    assert sorted(compressed) == ["br", "gzip"]  # once each, never per request

    assert "Content-Encoding" not in plain and "130.6" in plain.content.decode()
    assert gzip.decompress(first.content) == gzip.decompress(again.content) == plain.content
    assert brotli_page["Content-Encoding"] == "br"  # preferred when both are accepted
    assert brotli.decompress(brotli_page.content) == plain.content
    assert len(again.content) < len(plain.content) / 4
    for response in (first, again, plain, brotli_page):
        assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
        assert response["Content-Length"] == str(len(response.content))
    etags = {first["ETag"], plain["ETag"], brotli_page["ETag"]}
    assert len(etags) == 3 and again["ETag"] == first["ETag"]
    assert first["ETag"] == plain["ETag"][:-1] + '-gzip"'


def test_a_copy_is_made_when_first_asked_for_and_then_served_by_every_worker(
    client, page_cache, compressed
):
    plain = get(client)
    assert plain["X-Page-Cache"] == "miss" and "Accept-Encoding" in plain["Vary"]
    assert compressed == []  # a client that accepts no encoding costs no compression
    assert get(client, **{"Accept-Encoding": "gzip"})["Content-Encoding"] == "gzip"
    assert compressed == ["gzip"]
    page_cache_module.forget_local_copies()  # another worker: the copy is in the shared cache
    again = get(client, **{"Accept-Encoding": "gzip"})
    assert again["X-Page-Cache"] == "hit" and gzip.decompress(again.content) == plain.content
    assert compressed == ["gzip"]
    assert brotli.decompress(get(client, **{"Accept-Encoding": BROWSER}).content) == plain.content
    assert compressed == ["gzip", "br"]
    get(client, **{"Accept-Encoding": BROWSER})
    get(client, **{"Accept-Encoding": "gzip"})
    assert compressed == ["gzip", "br"]


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("", None),
        ("identity", None),
        ("gzip;q=0, br;q=0", None),
        ("*;q=0", None),
        ("GZIP", "gzip"),
        ("deflate, gzip;q=0.5", "gzip"),
        ("br;q=0, *", "gzip"),
        ("gzip, br;q=0.1", "br"),
    ],
)
def test_the_encoding_follows_what_the_browser_accepts(client, page_cache, accept, encoding):
    plain = get(client)
    page = get(client, **({"Accept-Encoding": accept} if accept else {}))
    assert page["X-Page-Cache"] == "hit"
    assert page.get("Content-Encoding") == encoding
    assert unpacked(page) == plain.content


def test_each_encoding_is_revalidated_with_its_own_etag(client, page_cache):
    for accept in ("", "gzip", BROWSER):
        headers = {"Accept-Encoding": accept} if accept else {}
        page = get(client, **headers)
        again = get(client, **headers, **{"If-None-Match": page["ETag"]})
        assert again.status_code == 304 and again.content == b"", accept
        assert again["ETag"] == page["ETag"] and "Accept-Encoding" in again["Vary"]
        since = get(client, **headers, **{"If-Modified-Since": page["Last-Modified"]})
        assert since.status_code == 304, accept
    plain_etag = get(client)["ETag"]
    # The plain page's ETag does not stand for the compressed copy, nor the reverse.
    compressed = get(client, **{"Accept-Encoding": "gzip", "If-None-Match": plain_etag})
    assert compressed.status_code == 200 and compressed["Content-Encoding"] == "gzip"
    gzip_etag = compressed["ETag"]
    assert get(client, **{"If-None-Match": gzip_etag}).status_code == 200


def test_an_approved_figure_shows_on_the_next_request_in_every_encoding(
    client, page_cache, carol, rita
):
    for accept in ("", "gzip", BROWSER):
        headers = {"Accept-Encoding": accept} if accept else {}
        assert "130.6" in unpacked(get(client, **headers)).decode()
        assert get(client, **headers)["X-Page-Cache"] == "hit"
    actual = chain_output_2024()
    workflow.reopen(actual, rita, "统计局年报更正")
    actual.refresh_from_db()
    actual.value, actual.entered_by = "141.2", carol
    actual.save()
    workflow.submit(actual, carol)
    workflow.approve(actual, rita)
    for accept in ("gzip", "", BROWSER):
        headers = {"Accept-Encoding": accept} if accept else {}
        page = unpacked(get(client, **headers)).decode()
        assert "141.2" in page and "130.6" not in page, accept
        again = get(client, **headers)
        assert again["X-Page-Cache"] == "hit" and "141.2" in unpacked(again).decode()


def test_a_downloaded_workbook_is_sent_as_it_is(client, page_cache):
    for _ in range(2):  # the miss, then the hit
        workbook = get(client, "/report/workbook/?year=2024", **{"Accept-Encoding": BROWSER})
        assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "Content-Encoding" not in workbook
        assert "Accept-Encoding" not in workbook.get("Vary", "")
        assert workbook.content[:2] == b"PK"  # the zip the xlsx format is
        assert workbook["Content-Length"] == str(len(workbook.content))
    assert workbook["X-Page-Cache"] == "hit"


def test_an_export_in_csv_is_compressed_like_a_page(client, page_cache):
    plain = get(client, "/chains/?_export=csv")
    assert len(plain.content) >= page_cache_module.COMPRESS_MIN_BYTES
    packed = get(client, "/chains/?_export=csv", **{"Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and packed["Content-Disposition"]
    assert gzip.decompress(packed.content) == plain.content


def test_a_response_compressed_on_its_way_is_passed_on_and_not_stored(client, page_cache, settings):
    """Were GZipMiddleware added after the cache's, what it compresses for one request is
    not stored as the plain page; the cache compresses the page itself."""
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "django.middleware.gzip.GZipMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    packed = get(client, **{"Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and "X-Page-Cache" not in packed
    plain = get(client)
    assert plain["X-Page-Cache"] == "miss" and "Content-Encoding" not in plain
    assert gzip.decompress(packed.content) == plain.content
    hit = get(client, **{"Accept-Encoding": "gzip"})
    assert hit["X-Page-Cache"] == "hit" and gzip.decompress(hit.content) == plain.content


def test_a_worker_drops_the_page_it_served_longest_ago_when_its_memory_is_full():
    copies = page_cache_module.LocalCopies(limit=300)
    copies.keep("overview", page_of(100))
    copies.keep("parks", page_of(100))
    copies.keep("status", page_of(100))
    assert copies.get("overview") is not None  # served again: now the most recent
    copies.keep("chain", page_of(100))
    assert copies.get("parks") is None
    assert [copies.get(k) is not None for k in ("overview", "status", "chain")] == [True] * 3
    assert copies.size == 300


def test_a_page_too_large_for_a_worker_stays_in_redis_only():
    copies = page_cache_module.LocalCopies(limit=page_cache_module.LOCAL_BYTES)
    copies.keep("overview", page_of(100))
    copies.keep("print", page_of(page_cache_module.LOCAL_LARGEST + 1))
    assert copies.get("print") is None and copies.get("overview") is not None


def test_a_worker_counts_the_compressed_copies_of_a_page_in_its_memory():
    copies = page_cache_module.LocalCopies(limit=300)
    copies.keep("parks", {"content": b"x" * 100, "encoded": {"gzip": (b"z" * 30, '"e-gzip"')}})
    copies.keep("status", {"content": b"x" * 100, "encoded": {"br": (b"b" * 20, '"e-br"')}})
    assert copies.size == 250
    copies.keep("chain", page_of(100))
    assert copies.get("parks") is None and copies.size == 220


def test_a_worker_counts_a_copy_made_after_the_page_was_kept():
    copies = page_cache_module.LocalCopies(limit=300)
    page = {"content": b"x" * 100, "encoded": {}}
    copies.keep("status", page)
    page["encoded"]["br"] = (b"b" * 20, '"e-br"')  # the first request accepting brotli
    copies.keep("status", page)
    assert copies.size == 120
    page["encoded"]["gzip"] = None  # no smaller than the page: nothing more held
    copies.keep("status", page)
    assert copies.size == 120


def test_requests_for_a_page_being_rendered_wait_for_it_and_get_it_from_the_cache(
    page_cache, monkeypatch
):
    """Two officials download the workbook at once after a change: a worker builds it once,
    and the second request is answered from the cache when the first has stored it."""
    monkeypatch.setattr(data_version, "current", lambda: "version-1")
    monkeypatch.setattr(data_version, "watched", lambda: "version-1")
    started, release, rendered = threading.Event(), threading.Event(), []

    def view(request):
        rendered.append(request.path)
        started.set()
        release.wait(5)
        return HttpResponse("报告" * 1000)

    middleware = page_cache_module.PublishedPageCacheMiddleware(view)
    answers = []

    def ask():
        answers.append(middleware(RequestFactory().get("/report/workbook/", {"year": 2024})))

    asked_twice_at_once(ask, started, release)
    assert rendered == ["/report/workbook/"]
    assert sorted(a["X-Page-Cache"] for a in answers) == ["hit", "miss"]
    assert answers[0].content == answers[1].content == ("报告" * 1000).encode()
