"""What a worker keeps per data version never depends on who came first: each page, in each
language and for each audience, reads the same whether it is the first page the worker draws
or follows every other page in the other language and for the other audience."""

import re

import pytest
from django.conf import settings
from django.test import Client

from indicators.domain import data_version
from tests.helpers import ACTION_PLAN, FOURTEENTH, make_actual

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    f"/?plan={FOURTEENTH}",
    "/?year=2023",
    "/status/",
    "/status/?kind=chain&sort=-completion",
    "/chains/",
    f"/chains/?plan={FOURTEENTH}",
    "/towns/",
    "/towns/?metric=hightech-firms&sort=-rank",
    "/parks/",
    "/parks/?sort=name",
    "/chains/new-energy/",
    f"/indicators/{ACTION_PLAN}/new-energy/chain-output/",
    "/final/",
    "/chains/?_export=csv",
    "/towns/?_export=csv",
]


def visitor(language, staff=None):
    client = Client()
    if staff is not None:
        client.force_login(staff)
        client.get("/?preview=1")
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    # A logged-in page carries its own CSRF token.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("audience", ["public", "preview"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_page_reads_the_same_whatever_was_drawn_before(
    kept_and_cached, settings, carol, rita, language, audience
):
    settings.BEICHEN_PAGE_CACHE = False  # every page drawn, from what the worker keeps
    make_actual("new-energy", "chain-output", 2025, "777.7", entered_by=carol, note="更正")
    reader = visitor(language, rita if audience == "preview" else None)
    first = {}
    for url in PAGES:
        data_version.forget_kept()
        first[url] = page(reader, url)
    data_version.forget_kept()
    others = [
        visitor(other_language, rita if other_audience == "preview" else None)
        for other_language in ("zh-hans", "en")
        for other_audience in ("public", "preview")
        if (other_language, other_audience) != (language, audience)
    ]
    for other in others:
        for url in PAGES:
            page(other, url)
    for url in PAGES:
        assert page(reader, url) == first[url], url
    if language == "en":
        assert all('<html lang="en">' in html for html in first.values() if "<html" in html)
    assert ("777.7" in first["/chains/"]) == (audience == "preview")
