"""Shared fixtures: the documents' data loaded once, and the people who use the dashboard."""

import os

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from indicators.documents.loading import load_documents
from indicators.domain.roles import ADMINISTRATORS, CLERKS, OFFICIALS, REVIEWERS, grant, setup_roles
from indicators.models import Assignment, Subject


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the two documents' figures, loaded once per run."""
    with django_db_blocker.unblock():
        load_documents()
        setup_roles()


@pytest.fixture(autouse=True)
def chinese_unless_chosen():
    """Each test starts in Chinese: a page requested in English leaves English active in the
    test's thread, which would otherwise leak into the labels the next test reads."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(items):
    # Tests on a live server (or that commit) flush the database when they end; run them last so the
    # documents loaded once above stay in place for everything else.
    def commits(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None, commits(item)))


@pytest.fixture
def reload_documents(transactional_db):
    """For tests that commit (live server): put the documents back after a flush."""
    load_documents()
    setup_roles()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(live_server, reload_documents):
    """A page in Debian's Chromium (driven by Playwright, no browser download) on the live
    server, in Chinese; `page.requests` records every URL it asks for."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API beside live_server
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        yield page
        browser.close()


@pytest.fixture
def alice(db):
    """Alice, a district administrator who manages plans, targets and users."""
    return get_user_model().objects.create_superuser("alice", "", "alice-pass-2024!")


def person(username, role=None, subjects=()):
    """A user in a role, bound to the subjects (slugs) they enter figures for."""
    user = get_user_model().objects.create_user(username, "", f"{username}-pass-2024!")
    if role:
        grant(user, role)
    for slug in subjects:
        Assignment.objects.create(user=user, subject=Subject.objects.get(slug=slug))
    return user


@pytest.fixture
def olivia(db):
    """Olivia, a district official who reads the published pages and changes nothing."""
    return person("olivia", OFFICIALS)


@pytest.fixture
def bob(db):
    """Bob, the data clerk of 双街镇: enters the town's figures and its parks'."""
    return person("bob", CLERKS, ["shuangjie"])


@pytest.fixture
def carol(db):
    """Carol, of the new-energy chain's responsible unit: enters that chain's figures."""
    return person("carol", CLERKS, ["new-energy"])


@pytest.fixture
def dan(db):
    """Dan, the district statistician: enters district-wide figures."""
    return person("dan", CLERKS, ["beichen"])


@pytest.fixture
def rita(db):
    """Rita, a reviewer who approves, returns and reopens figures."""
    return person("rita", REVIEWERS)


@pytest.fixture
def adam(db):
    """Adam, an administrator (group, not superuser) who manages plans, targets and users."""
    return person("adam", ADMINISTRATORS)


@pytest.fixture
def oscar(db):
    """Oscar, an outsider with an account but no role."""
    return person("oscar")


def keeping(settings, backend, pages=False):
    """Values derived from the data kept per data version (and, with `pages`, the page cache)
    switched on, on an empty cache of `backend` ("locmem" or "redis", under this run's own key
    prefix), as in production; emptied again afterwards."""
    from django.core.cache import cache

    from indicators.domain import data_version
    from tests.test_page_cache import LOCAL, REDIS, empty

    settings.CACHES = {"default": REDIS if backend == "redis" else LOCAL}
    settings.BEICHEN_DERIVED_CACHE = True
    if pages:
        settings.BEICHEN_PAGE_CACHE = True
    empty(cache)
    data_version.forget_kept()
    yield backend
    empty(cache)
    data_version.forget_kept()


@pytest.fixture(params=["locmem", "redis"])
def kept_and_cached(request, settings):
    """The page cache and every value a worker keeps per data version switched on, on an empty
    cache of each backend (Redis under this run's own key prefix)."""
    yield from keeping(settings, request.param, pages=True)


@pytest.fixture(params=["locmem", "redis"])
def derived_cache(request, settings):
    """Values derived from the data kept per data version, on each cache backend."""
    yield from keeping(settings, request.param)


@pytest.fixture
def november_2026():
    """The clock at 22 November 2026, Beijing time (tests that read today's date use it)."""
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False):
        yield


@pytest.fixture
def kept(settings):
    """Values derived from the data kept per data version, as in production (locmem)."""
    yield from keeping(settings, "locmem")
