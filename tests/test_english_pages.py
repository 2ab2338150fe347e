"""English pages read in English: names of subjects, metrics and units come from
fixtures/english.yaml, the engine's words from the English catalogue."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from indicators.models import Metric, Subject

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


class VisibleText(HTMLParser):
    """The text a reader sees, outside <script>/<style> and outside quoted source text
    (elements marked lang="zh-Hans": the documents' own words, firm names, notes)."""

    def __init__(self):
        super().__init__()
        self.hidden, self.seen = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"):
            return
        quoted = dict(attrs).get("lang", "").lower().startswith("zh")
        inside_hidden = bool(self.hidden) and self.hidden[-1]
        self.hidden.append(tag in ("script", "style") or quoted or inside_hidden)

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if not (self.hidden and self.hidden[-1]) and data.strip():
            self.seen.append(data.strip())


def chinese_on(html):
    parser = VisibleText()
    parser.feed(html)
    return [chunk for chunk in parser.seen if CJK.search(chunk)]


def english(client, url):
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_subject_and_metric_has_an_english_name():
    assert list(Subject.objects.filter(name_en="").values_list("slug", flat=True)) == []
    assert list(Metric.objects.filter(name_en="").values_list("slug", flat=True)) == []
    assert not [m.name_en for m in Metric.objects.all() if CJK.search(m.name_en + m.unit_en)]


def test_a_chain_page_in_english_names_the_chain_and_its_metrics_in_english(client):
    html = english(client, reverse("chains:detail", args=["new-energy"]))
    assert "<h1>New energy chain" in html
    assert "Output of the chain&#x27;s firms" in html or "Output of the chain's firms" in html
    # The document's own wording is quoted as printed, marked as Chinese for screen readers.
    assert not [chunk for chunk in chinese_on(html) if "新能源产业链" in chunk]
    assert '<td lang="zh-Hans">新能源产业链 150→300亿元 年均增速15%</td>' in html


def test_the_indicator_page_in_english_names_subject_metric_and_unit(client):
    url = reverse(
        "indicators:indicator", args=["doubling-2021-2025", "beichen", "strategic-output"]
    )
    html = english(client, url)
    assert "<h1>Beichen District · Output of strategic emerging industries</h1>" in html
    assert "100M yuan" in html
    # Only the documents' own words, marked lang="zh-Hans" (the metric's definition), stay Chinese.
    assert not [c for c in chinese_on(html) if "工业战略性新兴产业产值" in c]


def test_chinese_pages_keep_the_documents_names(client):
    html = client.get(reverse("chains:detail", args=["new-energy"])).content.decode()
    assert "<h1>新能源产业链" in html
    assert "New energy chain" not in html


def test_the_worked_calculation_reads_in_english(client):
    url = reverse(
        "indicators:indicator", args=["doubling-2021-2025", "beichen", "strategic-output"]
    )
    html = english(client, url)
    start, end = (
        html.index('id="calc-heading"'),
        html.index("</section>", html.index('id="calc-heading"')),
    )
    assert chinese_on(html[start:end]) == []


# Proper names that stay Chinese on English pages: the language switch offers Chinese in
# Chinese, and the action plan's document number is quoted as issued.
PROPER_NAMES = ("简体中文", "北辰政办发〔2022〕3号")

# Pages whose every word is English today. Still partly Chinese, so not listed yet: the
# overview, indicator, chain, towns list and town, park, measures, compare, status, quality,
# final-assessment and print pages
# (plan and document names, units in captions, the documents' notes, firm and unit names,
# the quality findings and the print report's own text).
ENGLISH_PAGES = ["/accounts/login/", "/no-such-page/"]


def chinese_outside_proper_names(html):
    found = []
    for chunk in chinese_on(html):
        for name in PROPER_NAMES:
            chunk = chunk.replace(name, "")
        if CJK.search(chunk):
            found.append(chunk)
    return found


@pytest.mark.parametrize("url", ENGLISH_PAGES)
def test_english_pages_have_no_chinese_outside_proper_names(client, url):
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code in (200, 404), url
    assert chinese_outside_proper_names(response.content.decode()) == []


def test_the_check_sees_chinese_that_is_not_a_proper_name():
    html = (
        '<html lang="en"><body><p>简体中文</p><p lang="zh-Hans">原文</p><h1>倍增</h1></body></html>'
    )
    assert chinese_outside_proper_names(html) == ["倍增"]
