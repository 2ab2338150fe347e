"""No request of any size or shape makes a page answer 500 with the page cache and the values
kept per data version on: odd pages, sorts, plans and years on the lists and the overview,
odd Accept-Encoding and If-None-Match headers, in both languages, for a visitor and for staff
previewing drafts. Bad input is ignored sensibly: the page shown is the one the plain address
shows, or the one the document's order gives."""

import re

import pytest
from django.conf import settings
from django.test import Client

from indicators.models import Actual
from indicators.web import page_cache
from tests.helpers import ACTION_PLAN, FOURTEENTH, more_parks
from tests.test_page_cache import unpacked

pytestmark = pytest.mark.django_db

LISTS = ["/status/", "/parks/", "/chains/", "/towns/"]
PAGES = ["/", *LISTS, f"/indicators/{ACTION_PLAN}/beichen/strategic-output/", "/chains/new-energy/"]
LONG = "x" * 100_000
ODD_VALUES = [
    "0",
    "-1",
    "99999999999999999999",
    "abc",
    "",
    "1e309",
    "２０２４",
    "²⁰²⁴",
    "2024.5",
    "<script>alert(1)</script>",
    "%",
    LONG,
    "北辰",
]


def client_for(language, user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def body(response):
    return unpacked(response).decode()


def table_rows(html):
    """The body rows of the page's first table, as their texts."""
    tbody = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", tbody.group(1), re.S) if tbody else []
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def sort_names(html):
    """Every column the page's table sorts by, as its header links name them."""
    return sorted(set(re.findall(r"[?&;]sort=(-?[\w-]+)", html)))


@pytest.fixture(params=["zh-hans", "en"])
def language(request):
    return request.param


@pytest.fixture(params=["visitor", "staff"])
def who(request, rita):
    return None if request.param == "visitor" else rita


def ask(client, url, **params):
    response = client.get(url, params, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200, (url, {k: str(v)[:40] for k, v in params.items()})
    return body(response)


@pytest.mark.parametrize("url", PAGES)
def test_odd_values_of_every_parameter_a_page_reads(kept_and_cached, language, who, url):
    client = client_for(language, who)
    if who is not None:
        ask(client, url, preview="1")
    plain = ask(client, url)
    for name in ("page", "sort", "plan", "year", "metric", "kind", "status", "figures-page"):
        for value in ODD_VALUES:
            ask(client, url, **{name: value})
        ask(client, url, **{name: ["1", "2", "abc"]})  # repeated
    # A second visit of the plain page shows what the first did.
    assert table_rows(ask(client, url)) == table_rows(plain)


@pytest.mark.parametrize("url", LISTS)
def test_every_sort_either_way_on_every_page_of_a_long_list(kept_and_cached, language, who, url):
    more_parks(150)  # /parks/ has two pages
    client = client_for(language, who)
    if who is not None:
        ask(client, url, preview="1")
    names = sort_names(ask(client, url))
    assert names, url
    columns = {name.lstrip("-") for name in names}
    for column in sorted(columns):
        for order in (column, f"-{column}"):
            for page in ("1", "2", "0", "-1", "99999999999999999999", "abc"):
                ask(client, url, sort=order, page=page)
                ask(client, url, sort=order, page=page, plan=FOURTEENTH)
    ask(client, url, sort="no-such-column")
    ask(client, url, sort="-no-such-column")


def test_a_page_out_of_range_shows_the_last_page_of_the_parks(kept_and_cached):
    more_parks(150)
    client = client_for("zh-hans")
    last = table_rows(ask(client, "/parks/", page="2"))
    assert len(last) == 21 + 150 - 100
    for page in ("0", "-1", "3", "99999999999999999999"):
        assert table_rows(ask(client, "/parks/", page=page)) == last, page
    first = table_rows(ask(client, "/parks/"))
    assert len(first) == 100 and first[0].startswith("1 测试园区149")
    assert table_rows(ask(client, "/parks/", page="abc")) == first


def test_an_unknown_plan_or_year_shows_the_plain_page(kept_and_cached, language):
    client = client_for(language)
    for url in ("/", "/chains/", "/towns/", "/parks/"):
        plain = table_rows(ask(client, url))
        for params in (
            {"plan": "no-such-plan"},
            {"year": "abc"},
            {"year": "99999"},
            {"year": "-1"},
        ):
            assert table_rows(ask(client, url, **params)) == plain, (url, params)


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "br;q=0, gzip;q=0",
        "*;q=0",
        "*",
        "gzip;q=abc",
        "gzip;q=nan, br;q=inf",
        ";;;,,,==",
        "\u00e9t\u00e9",
        "gzip;" * 2000,
        "x" * 10_000,
    ],
)
def test_odd_accept_encodings_get_a_page_they_can_read(kept_and_cached, accept):
    plain = Client().get("/chains/")
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    for _ in range(2):  # the miss and the hit
        response = Client().get("/chains/", headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.get("Content-Encoding") in (None, "gzip", "br")
        assert unpacked(response) == plain.content


def test_a_refused_coding_is_never_sent():
    assert page_cache.accepted_encodings("br;q=0, gzip;q=0") == frozenset()
    assert page_cache.accepted_encodings("*;q=0") == frozenset()
    assert page_cache.accepted_encodings("br;q=0, *") == frozenset({"*", "gzip"})
    assert page_cache.accepted_encodings("gzip;q=abc, br;q=0.001") == frozenset({"br"})


@pytest.mark.parametrize(
    "etag", ['"', "garbage", "*" * 5, 'W/"x"', '"a", "b", ' * 1000, "\u00e9", "x" * 10_000, ""]
)
def test_odd_if_none_match_gets_the_page(kept_and_cached, etag):
    plain = Client().get("/status/")
    for _ in range(2):
        response = Client().get("/status/", headers={"If-None-Match": etag})
        assert response.status_code in (200, 304)
        if response.status_code == 200:
            assert response.content == plain.content


def test_odd_if_modified_since_gets_the_page(kept_and_cached):
    plain = Client().get("/status/")
    for since in ("garbage", "Mon, 99 Foo 9999 99:99:99 GMT", "x" * 10_000, "-1"):
        response = Client().get("/status/", headers={"If-Modified-Since": since})
        assert response.status_code == 200 and response.content == plain.content


@pytest.mark.parametrize("url", ["/", *LISTS])
def test_a_nul_byte_is_refused_with_a_message_in_chinese(kept_and_cached, url):
    response = Client().get(url, {"page": "1\x00"})
    assert response.status_code == 400
    assert "请求中含有空字符（NUL），无法处理：参数“page”。请检查地址后重试。" in (
        response.content.decode()
    )


@pytest.mark.parametrize("url", ["/report/workbook/", "/report/document/", "/report/print/"])
def test_a_report_year_past_reading_is_named_by_its_start_only(client, url):
    """A 100 KB ?year= is refused with the message naming its first 40 characters, as an
    unknown ?plan= is, not echoed whole."""
    low, high = Actual.year_bounds()
    response = client.get(url, {"year": "x" * 100_000})
    assert response.status_code == 400
    assert (
        response.content.decode() == f"年份须在 {low} 年至 {high} 年之间（填写的是“{'x' * 40}”）。"
    )
    response = client.get(url, {"year": "abc"})
    assert response.content.decode() == f"年份须在 {low} 年至 {high} 年之间（填写的是“abc”）。"
