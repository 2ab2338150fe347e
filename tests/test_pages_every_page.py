"""Every page answers for every subject, in both languages, with and without actuals,
and no page asks the browser for anything outside the site (the intranet has no internet)."""

import re

import pytest
from django.urls import reverse

from chains.models import Chain
from indicators.models import Actual, Target
from parks.models import Locality, Park

pytestmark = pytest.mark.django_db

LANGUAGES = ["zh-hans", "en"]


def every_url():
    urls = [
        reverse("indicators:home"),
        reverse("indicators:status"),
        reverse("indicators:comparison"),
        reverse("indicators:measures"),
        reverse("chains:list"),
        reverse("parks:localities"),
        reverse("parks:parks"),
    ]
    urls += [reverse("chains:detail", args=[c.slug]) for c in Chain.objects.all()]
    urls += [reverse("parks:locality", args=[loc.slug]) for loc in Locality.objects.all()]
    urls += [reverse("parks:park", args=[p.slug]) for p in Park.objects.all()]
    urls += [
        reverse("indicators:indicator", args=[t.plan.slug, t.subject.slug, t.metric.slug])
        for t in Target.objects.with_related()
    ]
    return urls


def assert_every_page_answers(client, language):
    client.cookies["django_language"] = language
    urls = every_url()
    assert len(urls) > 150  # 9 chains, 11 localities, 21 parks, 111 targets, 7 lists
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_answers_for_every_subject(client, language):
    assert_every_page_answers(client, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_answers_when_no_actual_has_been_entered(client, language):
    Actual.objects.all().delete()
    assert_every_page_answers(client, language)


def test_chinese_is_the_default_even_for_an_english_browser(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html
    assert ">总览<" in html


def test_the_english_switch_turns_the_navigation_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert ">Overview<" in html and ">Chains<" in html
    assert "Five doubling indicators" in html


def test_set_language_switches_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/chains/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/chains/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/chains/").content.decode()


REFERENCE = re.compile(r'(?:src|href)\s*=\s*["\']([^"\']*)["\']', re.IGNORECASE)


def external_references(html):
    """Script, stylesheet, image and link targets that leave the site."""
    return [
        ref
        for ref in REFERENCE.findall(html)
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", ref, re.IGNORECASE)
        or (re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.IGNORECASE) and not ref.startswith("mailto:"))
    ]


def test_no_page_refers_to_anything_outside_the_site(client):
    for url in every_url():
        html = client.get(url).content.decode()
        assert external_references(html) == [], url
        for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
            assert src.startswith("/static/"), (url, src)
        for href in re.findall(r'<link[^>]+href="([^"]+)"', html):
            assert href.startswith("/static/"), (url, href)


def test_chart_pages_load_plotly_and_its_chinese_locale_from_static(client):
    html = client.get("/").content.decode()
    assert '<script src="/static/vendor/plotly/plotly-basic.min.js"></script>' in html
    assert '<script src="/static/js/plotly-locale-zh-cn.js"></script>' in html


def test_a_page_without_a_chart_loads_no_plotly(client):
    """Lists, status, comparison and measures draw no chart: no 1 MB of plotly.js for them."""
    for url in ["/status/", "/compare/", "/measures/", "/chains/", "/towns/", "/parks/"]:
        html = client.get(url).content.decode()
        assert 'data-chart="' not in html, url
        assert "plotly" not in html, url
    indicator = client.get(
        reverse("indicators:indicator", args=["doubling-2021-2025", "beichen", "strategic-output"])
    ).content.decode()
    assert indicator.count("/static/vendor/plotly/plotly-basic.min.js") == 1
