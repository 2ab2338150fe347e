"""Headings never skip a level (h1 → h3), so a screen reader's outline of every page holds."""

import re
from itertools import pairwise

import pytest
from django.urls import reverse

from chains.models import Chain
from indicators.models import Target
from parks.models import Locality, Park

pytestmark = pytest.mark.django_db

HEADING = re.compile(r"<h([1-6])\b")


def skipped_levels(html):
    """Each heading that is more than one level deeper than the one before it."""
    levels = [int(level) for level in HEADING.findall(html)]
    return [(before, after) for before, after in pairwise([0, *levels]) if after > before + 1]


def kinds_of_page():
    target = Target.objects.with_related().get(
        plan__slug="doubling-2021-2025", subject__slug="beichen", metric__slug="strategic-output"
    )
    return [
        reverse("indicators:home"),
        reverse("indicators:indicator", args=[target.plan.slug, "beichen", "strategic-output"]),
        reverse("indicators:status"),
        reverse("indicators:comparison"),
        reverse("indicators:measures"),
        reverse("indicators:quality"),
        reverse("indicators:report_print") + "?year=2024",
        reverse("chains:list"),
        reverse("chains:detail", args=[Chain.objects.first().slug]),
        reverse("parks:localities"),
        reverse("parks:locality", args=[Locality.objects.first().slug]),
        reverse("parks:parks"),
        reverse("parks:park", args=[Park.objects.first().slug]),
        reverse("login"),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_skips_a_heading_level(client, language):
    client.cookies["django_language"] = language
    skips = {}
    for url in kinds_of_page():
        response = client.get(url)
        assert response.status_code == 200, url
        if found := skipped_levels(response.content.decode()):
            skips[url] = found
    assert skips == {}


def test_the_check_itself_sees_a_skip():
    assert skipped_levels("<h1>总览</h1><h3>基数</h3>") == [(1, 3)]
    assert skipped_levels("<h1>总览</h1><h2>走势</h2><h3>基数</h3><h2>逐年</h2>") == []
