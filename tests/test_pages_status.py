"""The status summary of every tracked figure, filterable by status, plan and kind of subject."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from indicators.models import Actual, Metric, Subject

pytestmark = pytest.mark.django_db


def rows(client, **params):
    response = client.get("/status/", {**params, "_export": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_it_lists_the_figures_of_the_plan_the_pages_follow_or_of_every_plan(client):
    assert len(rows(client)) == 106
    assert {r["规划"] for r in rows(client)} == {"倍增行动方案"}
    assert len(rows(client, plan="")) == 111


def test_it_filters_by_plan(client):
    fourteenth = rows(client, plan="industry-14th-fyp")
    assert len(fourteenth) == 5
    assert {r["规划"] for r in fourteenth} == {"工业“十四五”规划"}


def test_it_filters_by_kind_of_subject(client):
    parks = rows(client, kind="park")
    assert len(parks) == 20
    assert all(r["指标"] == "园区产值" for r in parks)


def test_it_filters_by_status(client):
    reached = rows(client, status="reached")
    assert reached and all(r["状态"] == "提前达到" for r in reached)
    subjects = {(r["对象"], r["指标"]) for r in reached}
    assert ("北辰区", "R&D经费投入占营业收入比重") in subjects  # 2.5% against 2.4%


def test_the_report_completion_column_appears_in_the_summary(client):
    fourteenth = rows(client, plan="industry-14th-fyp")
    completions = sorted(round(r["完成度"], 1) for r in fourteenth)
    assert completions == sorted([107.6, 90.5, 110.0, 155.0, 113.8])


def test_an_unknown_status_shows_the_form_error(client):
    response = client.get("/status/", {"status": "bogus"})
    assert response.status_code == 200
    assert "bogus" in response.content.decode()


def test_the_page_shows_the_filter_form_and_counts(client):
    html = client.get("/status/").content.decode()
    assert 'name="status"' in html and 'name="plan"' in html and 'name="kind"' in html
    assert "/status/?status=no_data" in html or "?status=no_data" in html


def test_the_summary_query_count_does_not_grow_with_more_years(
    client, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as before:
        client.get("/status/")
    district = Subject.objects.get(slug="beichen")
    for slug in ("hightech-firms", "rd-share"):
        metric = Metric.objects.get(slug=slug)
        for year in (2021, 2022, 2023):
            Actual.objects.create(
                subject=district, metric=metric, year=year, value=1, state=Actual.State.APPROVED
            )
    with django_assert_max_num_queries(len(before)):
        assert client.get("/status/").status_code == 200


def table_headers(html):
    """The column headers of the page's first table, as a reader sees them."""
    head = html[html.index("<thead") : html.index("</thead>")]
    return [" ".join(strip_tags("<th" + h).split()) for h in head.split("<th ")[1:]]


def test_olivia_sees_the_chosen_plan_once_and_its_download_still_names_it(client, olivia):
    """Olivia, an official, looks at the action plan's figures: its name is in the filter,
    not in a column of 106 rows; the file she downloads still says which plan each row is."""
    client.force_login(olivia)
    headers = table_headers(client.get("/status/").content.decode())
    assert "规划" not in headers and headers[:2] == ["对象", "指标"]
    every_plan = table_headers(client.get("/status/", {"plan": ""}).content.decode())
    assert every_plan[:3] == ["规划", "对象", "指标"]
    assert {r["规划"] for r in rows(client)} == {"倍增行动方案"}


def test_a_chain_page_names_its_chain_and_plan_once_and_its_download_in_every_row(client):
    headers = table_headers(client.get("/chains/new-energy/").content.decode())
    assert "规划" not in headers and "对象" not in headers and headers[0] == "指标"
    download = json.loads(client.get("/chains/new-energy/", {"_export": "json"}).content)
    assert {(r["规划"], r["对象"]) for r in download} == {("倍增行动方案", "新能源产业链")}


FILTER_QUERIES = [
    {},
    {"plan": ""},
    {"plan": "industry-14th-fyp", "kind": "park"},
    {"status": "reached"},
    {"status": "bogus"},
    {"plan": "no-such-plan", "kind": "zzz"},
]


def test_a_kept_filter_widget_is_the_one_the_form_draws(kept):
    """The filter's widgets kept per data version, language and value (pages.field_widget)
    are drawn as the form draws them, the first time and when read back."""
    from django.utils import translation

    from indicators.web.filters import FigureFilter
    from indicators.web.pages import field_widget

    for _ in range(2):
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for query in FILTER_QUERIES:
                    form = FigureFilter({"plan": "doubling-2021-2025", **query}).form
                    form.is_valid()
                    for field in form:
                        assert field_widget(field) == str(field), (language, query, field.name)


def test_the_kept_list_of_figures_shows_what_the_query_lists(client, kept, settings):
    """The figures' keys kept per data version, audience, plan and kind (figure_keys) give
    the pages the query gives, the first time and when read back, in any order of visits."""
    queries = [
        {"kind": "park"},
        {},
        {"plan": "", "sort": "-completion"},
        {"plan": "industry-14th-fyp"},
        {"plan": "", "kind": "park", "status": "reached"},
        {"kind": "zzz"},
        {"plan": "", "sort": "subject", "page": "2"},
    ]
    settings.BEICHEN_DERIVED_CACHE = False
    plain = [client.get("/status/", query).content for query in queries]
    settings.BEICHEN_DERIVED_CACHE = True
    for _ in range(2):
        assert [client.get("/status/", query).content for query in queries] == plain


@pytest.mark.parametrize(
    "slug",
    ["doubling-2021-2025", "industry-14th-fyp", "", "no-such-plan", "Industry-14th-FYP", "a\0b"],
)
def test_the_kept_plans_give_the_plan_or_error_the_query_gives(kept, slug):
    """The filter finds its plan among the plans kept per data version (filters.PlanField),
    as the queryset's own lookup does: the same plan, or the same error."""
    from django import forms

    from indicators.models import Plan
    from indicators.web.filters import FigureFilter

    plain = forms.ModelChoiceField(Plan.objects.all(), to_field_name="slug", required=False)
    for _ in range(2):
        form = FigureFilter({"plan": slug}).form
        form.is_valid()
        try:
            expected = plain.clean(slug)
        except forms.ValidationError as error:
            assert form.errors["plan"] == error.messages
        else:
            assert "plan" not in form.errors and form.cleaned_data["plan"] == expected


def test_the_kept_keys_share_one_sort_value_per_plan_subject_and_metric(client, kept):
    """The summary keeps a key for every figure (ten thousand at scale, for each audience): a
    plan's, a subject's or a metric's sort values are one object for all of its figures, not
    a copy read for each."""
    from indicators.domain import data_version

    assert client.get("/status/", {"plan": ""}).status_code == 200
    made, _, _ = data_version.kept("status-keys", lambda: pytest.fail("not kept"), True)
    keys = list(made.values())
    assert len(keys) == 111
    for name in ("plan", "subject", "metric"):
        objects = {}
        for key in keys:
            objects.setdefault(key[name], set()).add(id(key[name]))
        assert len(objects) < len(keys), name  # values that repeat …
        assert all(len(ids) == 1 for ids in objects.values()), name  # … held once
