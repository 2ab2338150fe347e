"""The overview in a real browser: charts draw from local files only, and English switches on."""

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def test_the_overview_draws_its_charts_without_leaving_the_site(page, live_server):
    page.goto(live_server.url + "/")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
    assert page.locator(".js-plotly-plot").count() >= 10  # five cards, four chains, shares
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "30.6%" in page.inner_text("#share-heading ~ div.two-col")
    hosts = {urlparse(url).hostname for url in page.requests if not url.startswith("data:")}
    assert hosts == {"localhost"} or hosts <= {"127.0.0.1", "localhost"}


def test_the_chart_data_table_opens_for_readers_who_want_the_numbers(page, live_server):
    page.goto(live_server.url + "/indicators/doubling-2021-2025/beichen/hightech-firms/")
    page.wait_for_selector('[data-chart="indicator-chart"] .main-svg', timeout=20000)
    button = page.locator('[aria-controls="indicator-chart-table"]')
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#indicator-chart-table").is_visible()


def test_the_language_switch_turns_the_page_english(page, live_server):
    page.goto(live_server.url + "/")
    page.select_option("#language", "en")
    page.wait_for_selector('html[lang="en"]', timeout=10000)
    assert "Five doubling indicators" in page.inner_text("main")
    assert page.inner_text("nav.site-nav").startswith("Overview")
