"""The site's links: drawn once per language and page kind (the site_nav tag), as drawn afresh."""

import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/chains/",
    "/chains/new-energy/",
    "/parks/",
    "/status/",
    "/measures/",
    "/no-such-page/",
]


def nav(html):
    return re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)


def test_each_page_marks_its_own_link_when_the_links_are_kept(client, kept, settings):
    settings.BEICHEN_DERIVED_CACHE = False
    drawn = {}
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        drawn[language] = [nav(client.get(url).content.decode()) for url in PAGES]
    assert len(set(drawn["zh-hans"])) == len(PAGES) - 1  # the chains' two pages mark one link
    settings.BEICHEN_DERIVED_CACHE = True
    for _ in range(2):
        for language in ("zh-hans", "en"):
            client.cookies["django_language"] = language
            assert [nav(client.get(url).content.decode()) for url in PAGES] == drawn[language]


def test_staff_still_get_the_preview_link(client, rita, kept):
    client.force_login(rita)
    assert 'href="?preview=1"' in client.get("/status/").content.decode()
