"""The join of targets and actuals that every page and export reads through."""

import pytest

from indicators import progress
from indicators.models import Target
from indicators.tracking import latest_year, track

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


def test_partial_year_figures_never_count_as_the_latest():
    assert latest_year() == 2024
