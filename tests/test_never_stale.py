"""Never stale: after an approval or a target's change, the next request shows the new value
on every page that shows it (the lists' kept rows, the overview's kept cards, the exports, the
page cache's compressed copies), in both languages and each Accept-Encoding, on both backends."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.html import strip_tags

from indicators.domain import workflow
from indicators.models import Actual, Target
from tests.helpers import ACTION_PLAN, num
from tests.test_page_cache import unpacked

pytestmark = pytest.mark.django_db

# The pages showing new-energy's 2024 output (130.6 亿元), then its corrected value.
PAGES = [
    "/",
    "/status/?kind=chain",
    "/chains/",
    "/chains/new-energy/",
    f"/indicators/{ACTION_PLAN}/new-energy/chain-output/",
    "/chains/?_export=csv",
    "/status/?kind=chain&_export=csv",
]
# The pages showing 双街镇's target of strategic output (2025: 22 亿元), then a changed one.
TOWN_PAGES = ["/towns/?metric=strategic-output", "/towns/shuangjie/", "/towns/?_export=csv"]


def visitor(language, accept):
    client = Client(headers={"Accept-Encoding": accept} if accept else {})
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = unpacked(response).decode()
    return body if "_export" in url else " ".join(strip_tags(body).split())


def correct(rita, carol, value):
    actual = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2024)
    workflow.reopen(actual, rita, "统计局年报更正")
    actual.refresh_from_db()
    actual.value, actual.entered_by = value, carol
    actual.save()
    workflow.submit(actual, carol)
    workflow.approve(actual, rita)


@pytest.mark.parametrize("accept", ["", "gzip", "gzip, deflate, br"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_approved_correction_shows_on_every_page_at_once(
    kept_and_cached, rita, carol, language, accept
):
    client = visitor(language, accept)
    for url in PAGES:
        first, again = read(client, url), read(client, url)
        assert "130.6" in first and again == first, url
    correct(rita, carol, "141.2")
    for url in PAGES:
        page = read(client, url)
        assert "141.2" in page and "130.6" not in page, (url, language, accept)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_changed_town_target_shows_on_the_town_pages_at_once(kept_and_cached, language):
    client = visitor(language, "gzip, deflate, br")
    target = Target.objects.get(
        plan__slug=ACTION_PLAN, subject__slug="shuangjie", metric__slug="strategic-output"
    )
    assert num(target.target_value) == 22
    for url in TOWN_PAGES:
        read(client, url), read(client, url)
    target.target_value = "57.3"
    target.save()
    for url in TOWN_PAGES:
        assert "57.3" in read(client, url), (url, language)


def test_reloading_the_documents_puts_the_documents_figure_back_on_every_page(
    kept_and_cached, rita, carol
):
    client = visitor("zh-hans", "gzip, deflate, br")
    correct(rita, carol, "141.2")
    for url in PAGES:
        assert "141.2" in read(client, url), url
    call_command("load_documents", stdout=open("/dev/null", "w"))  # noqa: SIM115
    value = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2024)
    shown = f"{num(value.value)}"
    for url in PAGES:
        assert shown in read(client, url), url
