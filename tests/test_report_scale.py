"""The report at scale: each sheet reads its figures in a fixed number of queries however many
figures and years there are, and gives the same rows as the way it read them before (kept
here as the reference: a query per figure, or every figure read as a model row)."""

import itertools
from io import BytesIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from indicators.domain import tracking
from indicators.models import Actual, Target
from indicators.reporting import report
from indicators.spreadsheets import workbook
from tests.helpers import approved, make_actual

pytestmark = pytest.mark.django_db


def previous_untracked(year=None, published_only=True):
    """`tracking.untracked_actuals` as it was: a lookup of later months and of targets per row."""
    same = Actual.objects.filter(
        subject_id=OuterRef("subject_id"), metric_id=OuterRef("metric_id"), year=OuterRef("year")
    )
    if published_only:
        same = same.published()
    later = same.filter(Q(period=Actual.Period.YEAR) | Q(month__gt=OuterRef("month")))
    targeted = Target.objects.filter(
        subject_id=OuterRef("subject_id"), metric_id=OuterRef("metric_id")
    )
    queryset = Actual.objects.select_related("subject", "metric", "document")
    if published_only:
        queryset = queryset.published()
    queryset = queryset.filter(~Q(period=Actual.Period.YEAR) | ~Exists(targeted))
    queryset = queryset.exclude(Q(period=Actual.Period.MONTHS) & Exists(later))
    if year is not None:
        partial = ~Q(period=Actual.Period.YEAR)
        queryset = queryset.filter(Q(year__lte=year) | (partial & Q(year=year + 1)))
    return sorted(
        queryset, key=lambda a: (a.subject.kind, a.subject.order, a.metric.order, a.period_key)
    )


def part_year_figures():
    """Months with and without their year, a later month, quarters, a period in the
    document's words, drafts, and a whole year no target tracks."""
    months = Actual.Period.MONTHS
    approved("new-energy", "chain-output", 2024, "60", period=months, month=3)
    approved("new-energy", "chain-output", 2025, "70", period=months, month=6)
    approved("new-energy", "chain-output", 2025, "80", period=months, month=9)
    make_actual("new-energy", "chain-output", 2025, "99", period=months, month=11)
    approved("new-energy", "chain-output", 2026, "20", period=months, month=2)
    approved("biomedicine", "chain-output", 2022, "12", period=months, month=5)
    approved("biomedicine", "chain-output", 2022, "30")
    approved("biomedicine", "chain-output", 2023, "9", period=Actual.Period.QUARTER, quarter=1)
    approved("biomedicine", "chain-output", 2025, "31", period=Actual.Period.OTHER)
    approved("biomedicine", "chain-firms", 2019, "21")
    make_actual("biomedicine", "chain-firms", 2018, "20")


def keys(actuals):
    return [(a.pk, a.value, a.period_label) for a in actuals]


@pytest.mark.parametrize("year", [None, 2021, 2024, 2025])
def test_the_other_figures_are_the_ones_the_previous_query_chose(year):
    part_year_figures()
    for published_only in (True, False):
        found = tracking.untracked_actuals(year=year, published_only=published_only)
        assert keys(found) == keys(previous_untracked(year, published_only))
    assert len(tracking.untracked_actuals(year=2025)) > 60


@pytest.mark.parametrize("year", [None, 2022, 2024, 2025])
def test_months_stand_wherever_a_year_lacks_its_whole_figure_as_the_previous_query_chose(year):
    # Months before a figure's first whole year, in a gap between whole years, after its last,
    # of a figure with months alone and no target, beside a draft whole year (a gap when
    # published only), and a later month of a year whose whole figure is in.
    months = Actual.Period.MONTHS
    approved("tcm", "chain-output", 2020, "5", period=months, month=4)
    approved("light-industry", "chain-output", 2022, "300")
    approved("light-industry", "chain-output", 2022, "280", period=months, month=11)
    approved("light-industry", "chain-output", 2023, "250", period=months, month=8)
    approved("light-industry", "chain-output", 2023, "210", period=months, month=7)
    approved("automotive", "chain-output", 2025, "50", period=months, month=3)
    approved("automotive", "chain-output", 2025, "90", period=months, month=7)
    approved("tcm", "chain-output-yoy", 2024, "3", period=months, month=6)
    approved("tcm", "chain-output-yoy", 2025, "4", period=months, month=2)
    make_actual("new-materials", "chain-output", 2023, "400")
    approved("new-materials", "chain-output", 2023, "390", period=months, month=11)
    approved("new-energy", "chain-firms", 2024, "15", period=months, month=6)
    for published_only in (True, False):
        found = tracking.untracked_actuals(year=year, published_only=published_only)
        assert keys(found) == keys(previous_untracked(year, published_only))
    standing = {
        (a.subject.slug, a.metric.slug, a.year, a.month)
        for a in tracking.untracked_actuals(year=year)
        if a.period == months and a.subject.slug != "beichen"
    }
    expected = {
        ("tcm", "chain-output", 2020, 4),
        ("light-industry", "chain-output", 2023, 8),
        ("automotive", "chain-output", 2025, 7),
        ("tcm", "chain-output-yoy", 2024, 6),
        ("tcm", "chain-output-yoy", 2025, 2),
        ("new-materials", "chain-output", 2023, 11),
    }
    last = 2026 if year is None else year + 1
    assert standing == {k for k in expected if k[2] <= last}


def test_months_after_a_figures_last_whole_year_stand_as_the_previous_query_chose():
    # Only figures whose whole years run without a gap and no other part-year figure: months
    # are looked for after the last whole year alone.
    Actual.objects.exclude(period=Actual.Period.YEAR).delete()
    approved("automotive", "chain-output", 2024, "40", period=Actual.Period.MONTHS, month=7)
    approved("automotive", "chain-output", 2025, "50", period=Actual.Period.MONTHS, month=3)
    approved("automotive", "chain-output", 2025, "90", period=Actual.Period.MONTHS, month=7)
    for year in (None, 2024, 2025):
        found = tracking.untracked_actuals(year=year)
        assert keys(found) == keys(previous_untracked(year))
    months = [(a.year, a.month) for a in found if a.period == Actual.Period.MONTHS]
    assert months == [(2025, 7)]


def test_the_other_figures_at_scale_are_the_ones_the_previous_query_chose():
    part_year_figures()
    call_command("generate_scale_data", "--factor", "1", "--seed", "7", verbosity=0)
    # A year without its whole figure keeps its latest month; a withdrawn one is a draft.
    whole = Actual.objects.filter(period=Actual.Period.YEAR, subject__kind="locality")
    whole.filter(year=2023, subject__slug="xiditou").delete()
    whole.filter(year=2023, subject__slug="tianmu").update(state=Actual.State.DRAFT)
    for year in (2023, 2024, 2025):
        found = tracking.untracked_actuals(year=year)
        assert keys(found) == keys(previous_untracked(year))
    standing = [a for a in found if a.year == 2023 and a.period == Actual.Period.MONTHS]
    assert {a.subject.slug for a in standing} == {"xiditou", "tianmu"}
    assert {a.month for a in standing} == {11}


def queries_of_the_report(year):
    with CaptureQueriesContext(connection) as captured:
        rep = report.build(year)
    return len(captured), sum(len(s.rows) for s in rep.sheets)


def test_the_report_reads_no_more_queries_with_more_subjects_figures_and_years(november_2026):
    # Fifteen years of figures for the documents' subjects, then twice the subjects.
    part_year_figures()
    call_command("generate_scale_data", "--factor", "1", "--seed", "7", verbosity=0)
    small, small_rows = queries_of_the_report(2024)
    call_command("generate_scale_data", "--factor", "2", "--seed", "7", verbosity=0)
    large, large_rows = queries_of_the_report(2024)
    assert large_rows > small_rows + 100
    assert large == small


def workbook_cells(content):
    book = load_workbook(BytesIO(content))
    return {
        ws.title: [[(c.value, c.number_format, c.style_id) for c in row] for row in ws.iter_rows()]
        for ws in book.worksheets
    }


def test_a_streamed_report_writes_the_same_workbook_one_sheet_at_a_time(november_2026):
    part_year_figures()
    now = timezone.now()
    whole = workbook.to_bytes(workbook.build(report.build(2024, now=now)))
    rep = report.build(2024, now=now, streamed=True)
    assert not isinstance(rep.sheets, list)
    with CaptureQueriesContext(connection) as first_only:
        first = next(rep.sheets)
    assert first.name == "汇总"
    # The summary's queries only: the other sheets are read when the writer reaches them.
    assert len(first_only) < queries_of_the_report(2024)[0] / 3
    rep.sheets = itertools.chain([first], rep.sheets)
    streamed = workbook.to_bytes(workbook.build(rep))
    cells = workbook_cells(streamed)
    assert len(cells) >= 10 and sum(len(rows) for rows in cells.values()) > 300
    assert cells == workbook_cells(whole)
