"""A table's header and body written in one pass (indicators/web/table_rows.py) are, byte for
byte, what django-tables2's templates draw cell by cell: on every page with a table, in both languages,
for staff previewing drafts, with names that need escaping, and for tables of any kind."""

import re
from decimal import Decimal
from unittest import mock

import django_tables2 as tables
import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.safestring import mark_safe

from indicators.models import Actual, Metric
from indicators.web import table_rows
from parks.models import Locality, Park
from tests.helpers import approved, make_actual, plan_target

pytestmark = pytest.mark.django_db

PAGES = [
    "/status/",
    "/status/?plan=&page=2",
    "/status/?plan=&sort=-completion",
    "/status/?status=no_data&plan=",
    "/parks/",
    "/parks/?sort=name",
    "/towns/",
    "/chains/",
    "/measures/",
    "/compare/",
    "/final/",
    "/quality/",
    "/chains/new-energy/",
    "/towns/shuangjie/",
    "/parks/beichen-etdz/",
    "/indicators/doubling-2021-2025/beichen/strategic-output/",
]


def drawn(client, url, one_pass):
    """The page, its tables' headers and bodies written by the tags (`one_pass`) or by
    django-tables2's template (the tags leaving every table to it), and how many they wrote."""
    written = []
    write_body, write_head = table_rows.body, table_rows.head

    def body(table, context):
        found = write_body(table, context) if one_pass else None
        written.append(found is not None)
        return found

    def head(table, context, template):
        found = write_head(table, context, template) if one_pass else None
        written.append(found is not None)
        return found

    with (
        mock.patch("indicators.templatetags.dashboard.table_rows.body", body),
        mock.patch("indicators.templatetags.dashboard.table_rows.head", head),
    ):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), sum(written)


def assert_same_as_django_tables2(client, url):
    html, written = drawn(client, url, one_pass=True)
    expected, _ = drawn(client, url, one_pass=False)
    assert written, f"{url}: no table body written in one pass"
    assert html == expected, url
    return html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_with_a_table_draws_the_same_rows_as_django_tables2(client, url, language):
    client.cookies["django_language"] = language
    html = assert_same_as_django_tables2(client, url)
    assert '<tr class="even">' in html


def test_the_status_rows_are_in_english_on_english_pages(client):
    client.cookies["django_language"] = "en"
    html = assert_same_as_django_tables2(client, "/status/")
    assert '<span class="badge on_track">On track</span>' in html
    assert "正常推进" not in html


def test_names_that_need_escaping_are_escaped_as_django_tables2_escapes_them(client):
    park = Park.objects.create(
        name='<script>alert("园")</script>',
        slug="script-park",
        managed_by=Locality.objects.get(slug="tianmu"),
        area_ha=10,
        order=0,
        industry="<b>装备</b>",
    )
    plan_target(park, Metric.objects.get(slug="park-output"), 1, 2)
    approved(park.slug, "park-output", 2023, Decimal("900"))  # the highest output per mu
    for url in ("/parks/", "/status/?kind=park", "/towns/tianmu/"):
        html = assert_same_as_django_tables2(client, url)
        assert "&lt;script&gt;alert(&quot;园&quot;)&lt;/script&gt;" in html, url
        assert "<script>alert" not in html, url
    assert "&lt;b&gt;装备&lt;/b&gt;" in assert_same_as_django_tables2(client, "/parks/")


def test_staff_previewing_drafts_see_them_marked_as_django_tables2_marks_them(client, alice):
    make_actual("new-energy", "chain-output", 2025, "140", note="<script>n</script>")
    client.force_login(alice)
    client.get("/?preview=1")
    for url in ("/status/?kind=chain", "/chains/", "/chains/new-energy/"):
        html = assert_same_as_django_tables2(client, url)
        assert '<span class="flag">未审核</span>' in html, url


# --- tables of every kind, drawn both ways ----------------------------------------------------


class Odd(tables.Table):
    """What no dashboard table has yet: a render_<name> method, a render method asking for
    what no cell has, callable attributes, a default, a model-like record, safe text, ints."""

    name = tables.Column(attrs={"td": {"data-value": lambda value: f"<{value}>"}})
    count = tables.Column(default="none")
    where = tables.Column(accessor="place__town")
    shown = tables.Column(empty_values=())
    asks = tables.Column()

    class Meta:
        template_name = "includes/table.html"
        row_attrs = {"data-name": lambda record: getattr(record, "name", None) or record["name"]}

    def render_shown(self, value, record, bound_row):
        return mark_safe(f"<em>{bound_row.row_counter}</em>") if value else "<i>no</i>"


Odd.base_columns["asks"].render = lambda value, nothing_given: "never drawn"

RECORDS = [
    {"name": "<b>甲</b>", "count": 1234, "place": {"town": "天穆镇"}, "shown": True, "asks": 1},
    {"name": "乙", "count": None, "place": {"town": None}, "shown": "", "asks": None},
    {"name": "丙 & 丁", "count": 0, "place": {}, "shown": False, "asks": "x"},
]


def both_ways(make_table, package_template, query=""):
    """The table drawn by its template with the tags, and by django-tables2's own template."""
    request = RequestFactory().get("/" + query)
    one_pass = make_table()
    cell_by_cell = make_table()
    cell_by_cell.template_name = package_template
    page = Template("{% load django_tables2 %}{% render_table table %}")
    return (
        page.render(Context({"table": one_pass, "request": request})),
        page.render(Context({"table": cell_by_cell, "request": request})),
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_table_of_every_kind_of_cell_is_drawn_the_same(language):
    with translation.override(language):
        html, expected = both_ways(lambda: Odd(RECORDS), "django_tables2/table.html")
    assert html == expected
    assert '<a href="?sort=name">Name</a>' in html
    assert 'data-value="&lt;&lt;b&gt;甲&lt;/b&gt;&gt;"' in html
    assert "<td >1234</td>" in html and "<td >none</td>" in html
    assert "<em>0</em>" in html and "&lt;i&gt;no&lt;/i&gt;" in html
    assert "never drawn" not in html


ONE_PASS = {
    "django_tables2/table.html": "includes/table.html",
    "django_tables2/bootstrap5.html": "includes/table_bootstrap5.html",
}


@pytest.mark.parametrize("template", list(ONE_PASS))
def test_the_sort_links_keep_the_query_escaped_as_django_tables2_writes_them(template):
    def table():
        made = Odd(RECORDS, order_by="-count", template_name=ONE_PASS[template])
        made.columns["asks"].column.orderable = False
        return made

    query = '?page=2&q=<b>"x"</b>&sort=-count&q=y'
    html, expected = both_ways(table, template, query)
    assert html == expected
    assert "?page=2&amp;q=%3Cb%3E%22x%22%3C%2Fb%3E&amp;q=y&amp;sort=count" in html
    assert 'class="desc orderable"' in html


def test_objects_as_records_are_drawn_the_same():
    class Record:
        def __init__(self, name):
            self.name, self.place = name, {"town": f"<{name}>"}

    html, expected = both_ways(
        lambda: Odd([Record("甲"), Record("乙")], exclude=("count", "shown", "asks")),
        "django_tables2/table.html",
    )
    assert html == expected
    assert "&lt;甲&gt;" in html


def test_a_table_without_rows_is_left_to_django_tables2():
    class Plain(tables.Table):
        name = tables.Column()

    request = RequestFactory().get("/")
    context = Context({"request": request})
    assert table_rows.body(Plain([]), context) is None
    html, expected = both_ways(lambda: Plain([]), "django_tables2/bootstrap5.html")
    assert html == expected


# --- the status list's rows, kept per data version --------------------------------------------


def reads_actuals(queries):
    return [q["sql"] for q in queries if "indicators_actual" in q["sql"]]


def test_a_page_of_the_status_list_is_tracked_once_per_data_version(client, kept):
    """The second request draws the kept rows (no actual is read again); an approved change
    shows on the next request."""
    first = assert_same_as_django_tables2(client, "/status/?kind=chain")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/status/?kind=chain").content.decode() == first
    assert reads_actuals(queries) == []
    assert "130.6 亿元" in first and "234.5 亿元" not in first  # the chain's 2024 output
    actual = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2024)
    actual.value = Decimal("234.5")
    actual.save()
    with CaptureQueriesContext(connection) as queries:
        changed = assert_same_as_django_tables2(client, "/status/?kind=chain")
    assert reads_actuals(queries)
    assert "234.5 亿元" in changed and "130.6 亿元" not in changed


@pytest.mark.parametrize(
    "urls",
    [
        [
            "/status/?plan=&sort=subject",
            "/status/?plan=&sort=-subject",
            "/status/?plan=",
            "/status/",
        ],
        ["/status/?plan=&page=2", "/status/?plan=&sort=-metric&page=2", "/status/"],
    ],
)
def test_kept_rows_are_drawn_as_django_tables2_draws_them_in_every_order(client, kept, urls):
    for url in urls + urls:
        assert_same_as_django_tables2(client, url)


def test_kept_rows_are_kept_per_language(client, kept):
    chinese = assert_same_as_django_tables2(client, "/status/")
    client.cookies["django_language"] = "en"
    english = assert_same_as_django_tables2(client, "/status/")
    client.cookies["django_language"] = "zh-hans"
    assert assert_same_as_django_tables2(client, "/status/") == chinese
    assert "正常推进" in chinese and "正常推进" not in english and "On track" in english


def test_staff_previewing_drafts_get_rows_kept_apart_from_the_public_ones(client, kept, alice):
    make_actual("new-energy", "chain-output", 2025, "140")
    public = client.get("/status/?kind=chain").content.decode()  # kept with approved figures
    client.force_login(alice)
    client.get("/?preview=1")
    preview = assert_same_as_django_tables2(client, "/status/?kind=chain")
    assert '<span class="flag">未审核</span>' in preview and "未审核" not in public


@pytest.mark.parametrize("url", ["/chains/", "/towns/", "/towns/?metric=hightech-firms"])
def test_the_chain_and_town_lists_keep_their_rows_per_data_version(client, kept, url):
    first = assert_same_as_django_tables2(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content.decode() == first
    assert reads_actuals(queries) == []
    make_actual("new-energy", "chain-output", 2025, "1", state=Actual.State.APPROVED)
    with CaptureQueriesContext(connection) as queries:
        assert assert_same_as_django_tables2(client, url)
    assert reads_actuals(queries)  # the data changed: the rows are built again


def test_the_town_list_keeps_each_figure_and_plan_apart(client, kept):
    tabs = ["/towns/", "/towns/?metric=hightech-firms", "/towns/?plan=industry-14th-fyp"]
    pages = [assert_same_as_django_tables2(client, url) for url in tabs]
    assert [assert_same_as_django_tables2(client, url) for url in tabs] == pages
    assert len(set(pages)) == len(pages)


def test_a_chains_output_change_shows_in_the_kept_chain_list(client, kept):
    assert "130.6 亿元" in assert_same_as_django_tables2(client, "/chains/")
    actual = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2024)
    actual.value = Decimal("234.5")
    actual.save()
    page = assert_same_as_django_tables2(client, "/chains/")
    assert "234.5 亿元" in page and "130.6 亿元" not in page


def first_park(page):
    """The name of the park ranked first on a page of the park list."""
    body = page[page.index("<tbody") :]
    return re.search(r'<a href="/parks/[^"/]+/">([^<]+)</a>', body).group(1)


def test_the_park_ranking_is_kept_per_data_version_and_follows_a_change(client, kept):
    """The ranking's keys, the page's rows and the 合计 lines are kept; a park's new output
    ranks it first on the next request."""
    first = assert_same_as_django_tables2(client, "/parks/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/parks/").content.decode() == first
    assert reads_actuals(queries) == []
    park = Park.objects.order_by("-order").first()
    assert first_park(first) != park.name
    approved(park.slug, "park-output", 2030, Decimal("99999"))
    assert first_park(assert_same_as_django_tables2(client, "/parks/")) == park.name
