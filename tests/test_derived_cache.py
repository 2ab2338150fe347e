"""Counts over every figure, kept per data version: the overview's status counts are those of
tracking every target, and follow every change on the next request, on both cache backends."""

import threading
import time
from collections import Counter

import pytest

from indicators.domain import data_version, tracking, workflow
from indicators.engine import progress
from indicators.models import Actual, Metric, Target
from indicators.web import views
from tests.helpers import asked_twice_at_once, plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [None, 2021, 2023, 2024])
@pytest.mark.parametrize("published", [True, False])
def test_statuses_are_the_ones_tracking_each_figure_gives(year, published):
    targets = Target.objects.all()
    tracked = tracking.track(targets, year=year, published_only=published)
    expected = {t.target.pk: t.status for t in tracked}
    assert tracking.statuses(targets, year=year, published_only=published) == expected
    assert len(expected) == 111


def test_the_statuses_of_2024_count_every_kind_the_documents_give():
    counts = Counter(tracking.statuses(Target.objects.filter(plan=plan()), year=2024).values())
    assert sum(counts.values()) == 106
    assert counts[progress.Status.NO_DATA] < 106
    assert len(counts) > 2


def overview(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_counts_a_new_target_on_the_next_request(client, derived_cache):
    assert "共跟踪 106 项指标" in overview(client)
    assert "共跟踪 106 项指标" in overview(client)  # read from the cache
    copy = Target.objects.filter(plan=plan(), subject__slug="new-energy").first()
    copy.pk, copy.metric = None, Metric.objects.get(slug="park-firms")
    copy.save()
    assert "共跟踪 107 项指标" in overview(client)


def test_an_approved_figure_changes_the_counts_on_the_next_request(derived_cache, carol, rita):
    """The new-energy chain's 2024 output corrected to 300 亿元 (its 2025 target) and approved:
    the chain's output counts as reached from the next request on."""
    action_plan = plan()
    before = views.status_counts(action_plan, 2024, True)
    assert views.status_counts(action_plan, 2024, True) == before
    actual = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2024)
    workflow.reopen(actual, rita, "统计局年报更正")
    actual.refresh_from_db()
    actual.value, actual.entered_by = "300", carol
    actual.save()
    workflow.submit(actual, carol)
    assert views.status_counts(action_plan, 2024, True) != before  # no longer published
    workflow.approve(actual, rita)
    after = views.status_counts(action_plan, 2024, True)
    assert after[progress.Status.REACHED] == before[progress.Status.REACHED] + 1
    assert sum(after.values()) == sum(before.values())


def test_a_kept_value_is_computed_once_per_data_version_and_variant(derived_cache):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert data_version.kept("test", compute, 1) == 1
    assert data_version.kept("test", compute, 1) == 1  # kept
    assert data_version.kept("test", compute, 2) == 2  # another variant
    data_version.bump()
    assert data_version.kept("test", compute, 1) == 3  # the data changed: computed afresh


@pytest.mark.parametrize("way", ["kept", "cached"])
def test_a_thread_needing_a_value_another_is_computing_waits_for_it(
    derived_cache, monkeypatch, way
):
    """Two requests of a worker needing the same counts at once: the second waits for the
    first's instead of computing them alongside (with the time and memory of a second copy)."""
    monkeypatch.setattr(data_version, "watched", lambda: "version-1")
    monkeypatch.setattr(data_version, "current", lambda: "version-1")
    started, release, computed, got = threading.Event(), threading.Event(), [], []

    def compute():
        computed.append(threading.get_ident())
        started.set()
        release.wait(5)
        return "counts"

    def ask():
        got.append(getattr(data_version, way)("test-one-at-a-time", compute, 1))

    asked_twice_at_once(ask, started, release)
    assert got == ["counts", "counts"]
    assert len(computed) == 1
    assert data_version._computing == {}  # nothing left behind


def test_a_value_that_is_not_made_in_time_is_computed_by_the_waiting_thread(
    derived_cache, monkeypatch
):
    monkeypatch.setattr(data_version, "COMPUTING_WAIT_SECONDS", 0.1)
    monkeypatch.setattr(data_version, "watched", lambda: "version-1")
    release, computed = threading.Event(), []

    def slow():
        computed.append("slow")
        release.wait(5)
        return "slow"

    first = threading.Thread(target=lambda: data_version.kept("test-wait", slow))
    first.start()
    while not computed:
        time.sleep(0.01)
    assert data_version.kept("test-wait", lambda: "own") == "own"  # did not wait for ever
    release.set()
    first.join(5)


def test_nothing_is_kept_where_derived_values_are_off(settings):
    settings.BEICHEN_DERIVED_CACHE = False
    computed = []
    data_version.kept("test", lambda: computed.append(1), 1)
    data_version.kept("test", lambda: computed.append(1), 1)
    assert computed == [1, 1]


def test_the_overview_cards_show_a_changed_figure_on_the_next_request(client, derived_cache):
    """The district's 2024 count of high-tech firms (715 家) corrected to 1,234: the card
    shows it from the next request on, though the first two were read from what was kept."""
    assert "715 家" in overview(client)
    assert "715 家" in overview(client)
    actual = Actual.objects.get(
        subject__slug="beichen", metric__slug="hightech-firms", year=2024, period="year"
    )
    actual.value = 1234
    actual.save()
    page = overview(client)
    assert "1,234 家" in page and "715 家" not in page


def test_the_overview_reads_one_row_once_what_it_derives_is_kept(
    client, derived_cache, django_assert_max_num_queries
):
    """After the first request: only the data version (from the database without Redis);
    the plan it follows, the tracked figures, counts, plans and documents are kept."""
    overview(client)
    with django_assert_max_num_queries(1):
        overview(client)


def test_the_overview_keeps_each_plan_apart(client, derived_cache):
    """The plan chosen with ?plan= is kept per choice: the 十四五 plan's five figures and
    the action plan's 106 alternate as asked."""
    assert "共跟踪 106 项指标" in overview(client)
    other = client.get("/", {"plan": "industry-14th-fyp"}).content.decode()
    assert "共跟踪 5 项指标" in other
    assert "共跟踪 106 项指标" in overview(client)
    assert "共跟踪 5 项指标" in client.get("/", {"plan": "industry-14th-fyp"}).content.decode()


def test_a_change_inside_a_pinned_reading_drops_it(derived_cache):
    with data_version.pinned():
        before = data_version.current()
        assert data_version.current() == before
        data_version.bump()
        assert data_version.current() != before


def test_past_its_limit_a_process_drops_the_value_used_least_recently(derived_cache, monkeypatch):
    monkeypatch.setattr(data_version, "KEPT_VARIANTS", 2)
    computed = []

    def compute(part):
        computed.append(part)
        return part

    data_version.kept("test", lambda: compute("a"), "a")
    data_version.kept("test", lambda: compute("b"), "b")
    data_version.kept("test", lambda: compute("a"), "a")  # kept; now the most recent
    data_version.kept("test", lambda: compute("c"), "c")  # "b" goes
    data_version.kept("test", lambda: compute("a"), "a")
    assert computed == ["a", "b", "c"]
    data_version.kept("test", lambda: compute("b"), "b")
    assert computed == ["a", "b", "c", "b"]


def test_a_plan_slug_naming_no_plan_is_the_default_plan(client, derived_cache):
    for junk in ("no-such-plan", "x" * 300):
        page = client.get("/", {"plan": junk}).content.decode()
        assert "共跟踪 106 项指标" in page
