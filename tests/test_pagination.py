"""Lists of everything show one page at a time with a page selector; their exports hold
every row. The documents' 106 figures of the action plan: 100 on the first page of the
status summary, 6 on the second, all 106 in the CSV."""

import csv
import io
import re

import pytest

from indicators.models import Actual, Subject
from indicators.web.pages import LIST_PAGE_SIZE
from indicators.web.tables import RECORDED_PAGE_SIZE

pytestmark = pytest.mark.django_db


def rows(html):
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return body.count("<tr")


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_summary_shows_a_hundred_figures_a_page_with_a_page_selector(client):
    first = get(client, "/status/")
    assert LIST_PAGE_SIZE == 100 and rows(first) == 100
    assert 'class="pagination' in first and "?page=2" in first
    second = get(client, "/status/", page=2)
    assert rows(second) == 6
    assert "共跟踪" not in second  # the overview's words, not this page's
    export = get(client, "/status/", _export="csv")
    assert len(list(csv.reader(io.StringIO(export)))) == 1 + 106


def test_the_status_filter_keeps_its_query_on_the_next_page(client):
    first = get(client, "/status/", plan="")  # every plan: 111 figures
    assert rows(first) == 100
    assert re.search(r'href="\?[^"]*plan=&amp;page=2|href="\?[^"]*page=2[^"]*plan=', first)
    assert rows(get(client, "/status/", plan="", page=2)) == 11


def test_short_lists_show_no_page_selector(client):
    for url in ("/parks/", "/towns/", "/chains/"):
        assert 'class="pagination' not in get(client, url), url


def test_the_figures_of_a_subject_show_a_hundred_a_page(client):
    """The district's figures with 110 more cumulative months recorded (2010–2019, January to months 1–11, as
    stated counts of firms): the first page of 全区数据一览 (/figures/) shows 100, the rest
    follow on the next pages, in order of year and period."""
    district = Subject.objects.get(slug="beichen")
    metric = Actual.objects.filter(subject=district).first().metric
    before = Actual.objects.filter(subject=district, state=Actual.State.APPROVED).count()
    Actual.objects.bulk_create(
        Actual(
            subject=district,
            metric=metric,
            year=year,
            period=Actual.Period.MONTHS,
            month=month,
            value=month,
            state=Actual.State.APPROVED,
        )
        for year in range(2010, 2020)
        for month in range(1, 12)
    )
    total = before + 110
    first = get(client, "/figures/")
    section = first[first.index('id="all-figures"') :]
    assert RECORDED_PAGE_SIZE == 100 and rows(section) == 100
    assert "?figures-page=2" in section
    pages = -(-total // 100)
    last = get(client, "/figures/", **{"figures-page": pages})
    assert rows(last[last.index('id="all-figures"') :]) == total - 100 * (pages - 1)
    assert (
        section.index("2010年1—2月") < section.index("2010年1—3月") < section.index("2011年1—2月")
    )


def test_a_page_number_out_of_range_or_a_page_size_in_the_query_changes_nothing(client):
    assert rows(get(client, "/status/", page=-1)) == 6  # out of range: the last page
    assert rows(get(client, "/status/", page=99)) == 6  # past the end: the last page
    assert rows(get(client, "/status/", per_page=-1)) == 100
    assert rows(get(client, "/status/", per_page=1000)) == 100
    html = get(client, "/figures/", **{"figures-page": 0, "figures-per_page": 5})
    assert 'id="all-figures"' in html
