"""Accessibility: axe-core finds no serious or critical violation on any kind of page.

axe-core's rules (WCAG 2.1 A and AA among them) run in Chromium on each kind of page, in
Chinese and in English; the script comes from tests/vendor/, never from the network.
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")

PAGES = {
    "overview": "/",
    "indicator": "/indicators/doubling-2021-2025/beichen/strategic-output/",
    "indicator without actuals": "/indicators/doubling-2021-2025/beichen/hightech-firms/",
    "chains": "/chains/",
    "chain": "/chains/new-energy/",
    "towns": "/towns/",
    "town": "/towns/shuangjie/",
    "parks": "/parks/",
    "park": None,  # the first park of the list, whatever its slug
    "measures": "/measures/",
    "compare": "/compare/",
    "status": "/status/",
    "quality": "/quality/",
    "print report": "/report/print/?year=2024",
    "login": "/accounts/login/",
    "not found": "/no-such-page/",
}


def serious_violations(page):
    """axe-core's serious and critical findings on the page as it stands."""
    page.evaluate(AXE)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_has_a_serious_accessibility_violation(page, live_server, language):
    from parks.models import Park

    park = Park.objects.order_by("order").first()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found = {}
    for name, path in PAGES.items():
        path = path or f"/parks/{park.slug}/"
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        # Every chart drawn and its controls taken out of the tab order (static/js/charts.js).
        page.wait_for_function(
            "() => [...document.querySelectorAll('div[data-chart]')]"
            ".every(chart => chart.hasAttribute('data-drawn'))",
            timeout=20000,
        )
        assert page.locator("html").get_attribute("lang") == language, path
        if problems := serious_violations(page):
            found[f"{name} {path}"] = problems
    assert found == {}
