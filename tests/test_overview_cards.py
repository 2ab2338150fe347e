"""The overview's cards are drawn once per kept card (the figure_card tag) and are then the same,
byte for byte, as the card's template draws them: in both languages, for each plan, with the
page still loading the chart scripts."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from indicators.models import Actual
from indicators.templatetags.dashboard import CARD_MEMO
from indicators.web import views
from indicators.web.pages import selected_plan, selected_year

pytestmark = pytest.mark.django_db

PLOTLY = "vendor/plotly/plotly-basic"


def overview(client, **params):
    response = client.get("/", params)
    assert response.status_code == 200
    return response.content.decode()


def cards(language="zh-hans"):
    with translation.override(language):
        request = RequestFactory().get("/")
        year = selected_year(request, True)
        figures = views.overview_figures(selected_plan(request, True, year), year, True, language)
    return figures["cards"] + figures["doubling"]


INCLUDED = Template(
    "{% load dashboard %}{% for card in cards %}"
    '{% include "includes/figure_card.html" with card=card id=card.row.metric_obj.slug %}'
    "{% endfor %}{% if page_draws_charts %}charts{% endif %}"
)
TAGGED = Template(
    "{% load dashboard %}{% for card in cards %}"
    "{% figure_card card id=card.row.metric_obj.slug %}"
    "{% endfor %}{% if page_draws_charts %}charts{% endif %}"
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_card_is_drawn_as_its_template_draws_it_the_first_time_and_every_time_after(language):
    shown = cards(language)
    with translation.override(language):
        expected = INCLUDED.render(Context({"cards": shown}))
        drawn = TAGGED.render(Context({"cards": shown}))
        again = TAGGED.render(Context({"cards": shown}))  # from the memo
    assert drawn == expected and again == expected
    assert expected.endswith("charts") and expected.count('<article class="card') == len(shown)
    assert all(card[CARD_MEMO] for card in shown)


def test_a_card_is_drawn_again_for_other_values():
    [first, *_] = cards()
    one = TAGGED.render(Context({"cards": [first]}))
    other = Template('{% load dashboard %}{% figure_card card id="other" title=name %}')
    html = other.render(Context({"card": first, "name": "<b>x</b>"}))
    assert 'data-chart="other"' in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert f'data-chart="{first["row"]["metric_obj"].slug}"' in one
    assert len(first[CARD_MEMO]) == 2


def test_the_overview_drawn_from_kept_cards_is_the_same_and_loads_the_charts(client, kept):
    first = overview(client)
    assert overview(client) == first
    assert PLOTLY in first
    client.cookies["django_language"] = "en"
    english = overview(client)
    assert overview(client) == english and PLOTLY in english
    assert "Completion" in english and "完成度" not in english
    client.cookies["django_language"] = "zh-hans"
    assert overview(client) == first
    fourteenth = overview(client, plan="industry-14th-fyp")
    assert overview(client, plan="industry-14th-fyp") == fourteenth != first


def test_a_changed_figure_is_drawn_afresh_on_the_next_request(client, kept):
    """The district's 2024 count of high-tech firms (715 家) corrected to 1,234."""
    assert "715 家" in overview(client) and "715 家" in overview(client)
    actual = Actual.objects.get(
        subject__slug="beichen", metric__slug="hightech-firms", year=2024, period="year"
    )
    actual.value = 1234
    actual.save()
    page = overview(client)
    assert "1,234 家" in page and "715 家" not in page and PLOTLY in page
