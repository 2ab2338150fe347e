"""Drafts never leak, whatever is kept: a public visitor never sees a figure not yet approved,
through the page cache or any value a worker keeps per data version (a list's rows, the
overview's cards, the plans and years), and staff previewing drafts see them on every page,
never a published copy that hides them. Run with both caches on, on both backends, in both
orders (the public page first, then the preview, and the other way round)."""

import pytest
from django.test import Client

from indicators.domain import workflow
from indicators.models import Actual
from tests.helpers import ACTION_PLAN, make_actual, text_of

pytestmark = pytest.mark.django_db

CHAIN_OUTPUT = f"/indicators/{ACTION_PLAN}/new-energy/chain-output/"
# Each page, and the draft figure it shows in preview: new-energy's 2025 output (the chain list,
# its page, its figure, the status list of chains, the overview's doubling cards), 双街镇's
# 2025 strategic output (the town list) and 双源工业区's 2025 output (the park list); every
# download of those pages' tables.
PAGES = {
    "/": "777.7",
    "/status/?kind=chain": "777.7",
    "/chains/": "777.7",
    "/chains/new-energy/": "777.7",
    CHAIN_OUTPUT: "777.7",
    "/towns/?metric=strategic-output": "93.7",
    "/parks/": "61.3",
    "/towns/shuangjie/": "93.7",
    "/parks/shuangyuan/": "61.3",
    "/chains/?_export=csv": "777.7",
    "/status/?kind=chain&_export=csv": "777.7",
    "/towns/?metric=strategic-output&_export=csv": "93.7",
    "/parks/?_export=csv": "61.3",
    "/chains/new-energy/?_export=csv": "777.7",
    "/towns/shuangjie/?_export=csv": "93.7",
    "/towns/shuangjie/?_export_parks=csv": "61.3",
    "/parks/shuangyuan/?_export=csv": "61.3",
    # The final assessment (终期评估) of the action plan and the data-quality page.
    "/final/": "777.7",
    f"/plans/{ACTION_PLAN}/final/": "61.3",
    "/quality/": "777.7",
}


@pytest.fixture
def drafts(carol, bob):
    """Three figures entered and not approved: one a chain's, one a town's, one a park's."""
    return [
        make_actual("new-energy", "chain-output", 2025, "777.7", entered_by=carol, note="年报更正"),
        make_actual("shuangjie", "strategic-output", 2025, "93.7", entered_by=bob, note="年报更正"),
        make_actual("shuangyuan", "park-output", 2025, "61.3", entered_by=bob, note="年报更正"),
    ]


def public(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return text_of(response) if "_export" not in url else response.content.decode()


def preview(client, url):
    joined = f"{url}{'&' if '?' in url else '?'}preview=1"
    response = client.get(joined)
    assert response.status_code == 200, url
    assert "X-Page-Cache" not in response, url
    return text_of(response) if "_export" not in url else response.content.decode()


@pytest.fixture
def staff(client, rita):
    """Rita, a reviewer, logged in with preview on."""
    client.force_login(rita)
    return client


def test_the_drafts_are_drafts_and_absent_before_any_page(drafts):
    assert {a.state for a in drafts} == {Actual.State.DRAFT}


@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_first_then_the_preview(kept_and_cached, drafts, staff, url):
    value = PAGES[url]
    assert value not in public(url)
    assert value not in public(url)  # the cached copy
    assert value in preview(staff, url)
    assert value not in public(url)


@pytest.mark.parametrize("url", PAGES)
def test_the_preview_first_then_a_public_page(kept_and_cached, drafts, staff, url):
    value = PAGES[url]
    assert value in preview(staff, url)
    assert value in preview(staff, url)  # kept rows and cards reused
    assert value not in public(url)
    assert value in preview(staff, url)


def test_every_page_in_turn_for_each_audience(kept_and_cached, drafts, staff, olivia):
    """Pages walked in turn by each persona, so each page's kept values are made by the
    previous persona's visits to the other pages: staff preview, then a logged-in official,
    then an anonymous visitor, then staff again."""
    official = Client()
    official.force_login(olivia)
    for url, value in PAGES.items():
        assert value in preview(staff, url), url
    for url, value in PAGES.items():
        response = official.get(url)
        assert response.status_code == 200 and "X-Page-Cache" not in response
        assert value not in response.content.decode(), url
        assert value not in public(url), url
    for url, value in PAGES.items():
        assert value in preview(staff, url), url


def test_staff_with_preview_off_see_the_published_page(kept_and_cached, drafts, staff):
    for url, value in PAGES.items():
        assert value in preview(staff, url), url
    for url, value in PAGES.items():
        if url == "/quality/":
            continue  # the data-quality page shows staff every figure entered, preview or not
        response = staff.get(f"{url}{'&' if '?' in url else '?'}preview=0")
        assert response.status_code == 200
        assert value not in response.content.decode(), url


def test_an_approved_draft_shows_publicly_on_the_next_request(kept_and_cached, drafts, rita):
    for url, value in PAGES.items():
        assert value not in public(url), url
    for draft in drafts:
        workflow.submit(draft, draft.entered_by)
        workflow.approve(draft, rita)
    for url, value in PAGES.items():
        assert value in public(url), url


def test_the_overview_year_of_a_draft_year_is_not_offered_publicly(kept_and_cached, drafts, staff):
    """The draft is 2025's only whole-year figure of the chain: staff previewing are offered
    2025, the public is not, whoever came first."""
    assert '<option value="2025"' in staff.get("/?preview=1").content.decode()
    assert '<option value="2025"' not in Client().get("/").content.decode()
    assert '<option value="2025"' in staff.get("/").content.decode()


def test_a_stated_total_of_actuals_sums_only_the_figures_its_reader_may_see(
    kept_and_cached, drafts, staff
):
    """A 合计 of the parks' 2025 output entered in the admin (role actual): the park list's
    分项相加 adds 双源工业区's draft 61.3 in preview only; a visitor's sum leaves it out, whoever
    came first."""
    from tests.helpers import approved, stated_parks_output_2025

    approved("hangou", "park-output", 2025, "10.2")
    stated_parks_output_2025()

    def totals(text):
        return text[text.index("合计 出处") :]

    assert "基数 71.5" in totals(preview(staff, "/parks/"))
    assert "基数 10.2" in totals(public("/parks/"))
    assert "71.5" not in public("/parks/")
    assert "基数 71.5" in totals(preview(staff, "/parks/"))
