"""The join of targets and actuals that every page and export reads through."""

import pytest

from indicators.domain.tracking import latest_year, track
from indicators.engine import progress
from indicators.models import Target

pytestmark = pytest.mark.django_db


def tracked(subject, metric, plan="doubling-2021-2025", **kwargs):
    return track(
        Target.objects.filter(plan__slug=plan, subject__slug=subject, metric__slug=metric), **kwargs
    )[0]


def test_report_table_completion_is_reproduced_from_the_fixtures():
    rows = track(Target.objects.filter(plan__slug="industry-14th-fyp").order_by("order"))
    assert [round(r.completion * 100, 1) for r in rows] == [107.6, 90.5, 110.0, 155.0, 113.8]
    assert rows[1].latest.year == 2023  # the report's table prints 49.8%（2023）


def test_the_same_actual_counts_for_both_plans_against_their_own_targets():
    action = tracked("beichen", "hightech-firms")
    fourteenth = tracked("beichen", "hightech-firms", plan="industry-14th-fyp")
    assert action.latest.value == fourteenth.latest.value == 715
    assert round(action.completion * 100, 1) == 89.4  # 715 ÷ 800
    assert round(fourteenth.completion * 100, 1) == 110.0  # 715 ÷ 650


def test_new_energy_needs_129_7_percent_growth_in_2025():
    row = tracked("new-energy", "chain-output")
    assert round(row.assessment.required_growth * 100, 1) == 129.7


def test_a_target_without_baseline_still_reports_completion():
    row = tracked("beichen", "tech-centers")
    assert row.assessment is None
    assert round(row.completion * 100, 1) == 84.0  # 84 ÷ 100
    assert row.status == progress.Status.NO_DATA


def test_track_runs_two_queries_however_many_targets(django_assert_num_queries):
    with django_assert_num_queries(2):
        rows = track(Target.objects.all())
    assert len(rows) == Target.objects.count()


def test_targets_tracked_together_share_one_plan_subject_metric_and_document_each():
    rows = track(Target.objects.all())
    for name in ("plan", "subject", "metric", "document"):
        by_pk = {}
        for row in rows:
            related = getattr(row.target, name)
            if related is not None:
                assert by_pk.setdefault(related.pk, related) is related
        assert 0 < len(by_pk) < len(rows)


def test_partial_year_figures_never_count_as_the_latest():
    assert latest_year() == 2024


def test_the_reports_derived_statements_follow_from_its_figures():
    from tests.helpers import actual, statement, target

    share_2024 = actual("beichen", "mfg-va-gdp-share", 2024)
    base, goal = target("beichen", "mfg-va-gdp-share", plan="industry-14th-fyp")
    assert round(share_2024 - goal, 1) == 2.8  # 超额2.8个百分点
    assert round(share_2024 - base, 1) == 3.2  # 较“十三五”末提升3.2个百分点
    firms_2020 = statement("一（一）3 智能创新", "beichen", "hightech-firms", 2020)
    assert round((actual("beichen", "hightech-firms", 2024) / firms_2020 - 1) * 100, 1) == 61.8
    assert (
        round(
            (31 / statement("一（一）4 数字经济", "beichen", "digital-workshops", 2020) - 1) * 100
        )
        == 210
    )
    champions = actual("beichen", "single-champions", 2024) / actual(
        "beichen", "single-champions", 2020
    )
    assert round((champions - 1) * 100, 1) == 87.5
    chain_share = actual("beichen", "chain-output", 2024) / actual(
        "beichen", "industrial-output", 2024
    )
    assert round(chain_share * 100, 1) == 93.1  # 占全区规上工业总产值的93.1%
    two = actual("new-materials", "output-share-of-total", 2024) + actual(
        "light-industry", "output-share-of-total", 2024
    )
    assert round(two, 1) == actual("beichen", "two-chain-share", 2024) == 53.9


def test_a_cumulative_month_is_superseded_by_a_later_month_of_its_year():
    """The report's other figures: 2025年1—9月 is not listed beside 1—10月; once 1—11月 is in,
    it alone is."""
    from indicators.domain.tracking import untracked_actuals
    from tests.helpers import make_actual

    def periods():
        return {
            a.period_label
            for a in untracked_actuals(year=2024)
            if a.subject.slug == "beichen" and a.metric.slug == "industrial-output" and a.partial
        }

    extra = {"period": "months", "state": "approved"}
    make_actual("beichen", "industrial-output", 2025, "1030.1", month=9, **extra)
    assert periods() == {"2025年1—10月"}
    make_actual("beichen", "industrial-output", 2025, "1268.4", month=11, **extra)
    assert periods() == {"2025年1—11月"}


@pytest.mark.parametrize("year", [None, 2023, 2024])
def test_recent_part_years_give_the_same_assessments_and_reasons(year):
    """The report's sheets read part-year figures only after each figure's last whole year:
    every result, note, part-year figure and reason is the one of all its actuals."""
    from dataclasses import replace

    from tests.helpers import make_actual

    extra = {"period": "months", "state": "approved"}
    # The new-energy chain's output: 130.6 亿元 for the whole of 2024.
    make_actual("new-energy", "chain-output", 2023, "60", month=6, **extra)  # before it
    make_actual("new-energy", "chain-output", 2025, "70", month=5, **extra)  # after it
    every, recent = (track(Target.objects.all(), year, recent=r) for r in (False, True))
    for a, b in zip(every, recent, strict=True):
        assert a.target == b.target
        # Every result but the points drawn (earlier part-year points are charts' only).
        if a.assessment is not None:
            assert replace(a.assessment, points=()) == replace(b.assessment, points=())
        assert a.partial == b.partial and a.latest == b.latest
        assert a.status_reason == b.status_reason
    fewer = [b for a, b in zip(every, recent, strict=True) if len(b.actuals) < len(a.actuals)]
    if year != 2023:
        assert {(t.subject.slug, t.metric.slug) for t in fewer} == {("new-energy", "chain-output")}


@pytest.mark.parametrize("year", [2024, 2025])
def test_recent_part_years_with_the_year_before_keep_each_latest_period(year):
    """The 终期评估 reads part-year figures from each figure's last whole year on: the latest
    period, its 同比 against the same months a year before and its 预计全年 are the same."""
    from dataclasses import replace

    from tests.helpers import make_actual

    extra = {"period": "months", "state": "approved"}
    # The new-energy chain's output: 130.6 亿元 for the whole of 2024.
    make_actual("new-energy", "chain-output", 2023, "60", month=6, **extra)  # dropped
    make_actual("new-energy", "chain-output", 2024, "80", month=6, **extra)  # the year before
    make_actual("new-energy", "chain-output", 2025, "95", month=6, **extra)  # the latest
    every = track(Target.objects.all(), year, recent=False)
    recent = track(Target.objects.all(), year, recent=True, year_before=True)
    for a, b in zip(every, recent, strict=True):
        if a.assessment is not None:
            assert replace(a.assessment, points=()) == replace(b.assessment, points=())
        assert a.partial == b.partial and a.status_reason == b.status_reason
        assert a.latest_period(as_of=year) == b.latest_period(as_of=year)
        assert a.latest_period() == b.latest_period()
        if not any(x.year == year and not x.partial for x in a.actuals):
            # What a final row reads when the target year's whole figure is not in.
            assert a.latest_period(as_of=year - 1) == b.latest_period(as_of=year - 1)
    fewer = [b for a, b in zip(every, recent, strict=True) if len(b.actuals) < len(a.actuals)]
    assert {(t.subject.slug, t.metric.slug) for t in fewer} == {("new-energy", "chain-output")}
    chain = next(
        t for t in recent if t.subject.slug == "new-energy" and t.metric.slug == "chain-output"
    )
    period = chain.latest_period(as_of=2024)
    assert period.label == "2025年1—6月" and period.previous.value == 80
