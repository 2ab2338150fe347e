"""The report reads each sheet's figures in bulk (`report.track_for_report`): every cell it
prints is the one `tracking.track(…, recent=True)` gives, whatever the figures on record."""

import pytest
from django.utils import translation

import chains.sheets
import parks.sheets
from indicators.domain.tracking import track
from indicators.models import Actual
from indicators.reporting import report
from indicators.reporting.report import Cell
from parks.models import Park
from tests.helpers import approved, make_actual, mixed_final_figures

pytestmark = pytest.mark.django_db

BUILDERS = (report, chains.sheets, parks.sheets)


def through_track(targets, year):
    return track(targets, year, recent=True)


def shown(rep):
    """Every cell as the printable page and the workbook show it, in both languages."""
    cells = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for sheet in rep.sheets:
                for row in sheet.rows:
                    cells.append(
                        [(sheet.name, c.value, c.fmt, c.unit, c.prefix_text, c.text) for c in row]
                    )
    return cells


def both_ways(monkeypatch, year):
    bulk = shown(report.build(year))
    with monkeypatch.context() as patch:
        for module in BUILDERS:
            patch.setattr(module, "track_for_report", through_track)
        tracked = shown(report.build(year))
    return bulk, tracked


@pytest.mark.parametrize("year", [2020, 2021, 2023, 2024, 2025])
def test_every_cell_of_the_documents_figures_is_the_one_tracking_gives(monkeypatch, year):
    bulk, tracked = both_ways(monkeypatch, year)
    assert len(bulk) > 100
    assert bulk == tracked


def test_part_year_and_draft_figures_read_in_bulk_as_tracking_reads_them(monkeypatch):
    # A chain with only part-year figures (its status reason names the latest), one whose
    # whole year is followed by a later month and a quarter, a draft (never shown), an
    # earlier month superseded by the year, and a figure on another basis than its target.
    approved("new-energy", "chain-output", 2023, "50", period=Actual.Period.MONTHS, month=6)
    approved("new-energy", "chain-output", 2024, "60", period=Actual.Period.MONTHS, month=3)
    approved("new-energy", "chain-output", 2024, "70", period=Actual.Period.QUARTER, quarter=2)
    approved("new-energy", "chain-output", 2025, "80", period=Actual.Period.MONTHS, month=9)
    make_actual("new-energy", "chain-output", 2025, "99", period=Actual.Period.MONTHS, month=11)
    approved("biomedicine", "chain-output", 2022, "12", period=Actual.Period.MONTHS, month=5)
    approved("biomedicine", "chain-output", 2022, "30", note="全年")
    approved("biomedicine", "chain-output", 2024, "31", period=Actual.Period.OTHER)
    for year in (2022, 2024, 2025):
        bulk, tracked = both_ways(monkeypatch, year)
        assert bulk == tracked
    chain = next(s for s in report.build(2024).sheets if s.name == "产业链")
    texts = [c.text for row in chain.rows for c in row]
    assert "99" not in texts


def test_whole_years_before_the_base_year_read_in_bulk_as_tracking_reads_them(monkeypatch):
    # Years long before the base year with a gap after it (the notes count the whole years
    # and name the missing ones), a single year before the base, and a figure whose years all
    # come before it: only the last two up to the base year are kept, and print the same.
    for year, value in ((2012, "8"), (2015, "9"), (2018, "10"), (2019, "11")):
        approved("new-energy", "chain-output", year, value)
    approved("biomedicine", "chain-firms", 2017, "20")
    approved("biomedicine", "chain-output", 2016, "5")
    approved("biomedicine", "chain-output", 2018, "6")
    for year in (2017, 2019, 2020, 2022, 2024):
        bulk, tracked = both_ways(monkeypatch, year)
        assert bulk == tracked


def final_cells(monkeypatch, values):
    from indicators.domain import closing

    real = closing.final_assessment
    with monkeypatch.context() as patch:
        patch.setattr(closing, "final_assessment", lambda plan, **kw: real(plan, values=values))
        rep = report.build(2025)
    finals = [s for s in rep.sheets if s.name.startswith("终期评估")]
    rep.sheets = finals
    return shown(rep)


def test_the_final_sheets_read_figures_as_values_as_they_read_model_rows(
    monkeypatch, november_2026
):
    # 1—9月 and 1—10月 of the target year (同比 from the year before's same months, 预计全年),
    # a quarter, and a target year's whole figure.
    approved("new-energy", "chain-output", 2024, "50", period=Actual.Period.MONTHS, month=10)
    approved("new-energy", "chain-output", 2025, "60", period=Actual.Period.MONTHS, month=10)
    approved("biomedicine", "chain-output", 2025, "20", period=Actual.Period.QUARTER, quarter=1)
    approved("beichen", "strategic-output", 2025, "720")
    as_values, as_rows = final_cells(monkeypatch, True), final_cells(monkeypatch, False)
    assert len(as_values) > 100
    assert as_values == as_rows
    assert any("预计全年" in str(cell[-1]) for row in as_values for cell in row)


def test_every_final_sheet_cell_reads_the_same_as_values_whatever_state_a_figure_is_in(
    monkeypatch, november_2026
):
    # A whole target year beside its months, a draft whole year, a last whole year two years
    # back, quarters: the values path reads fewer figures, and must print the same cells.
    mixed_final_figures()
    as_values, as_rows = final_cells(monkeypatch, True), final_cells(monkeypatch, False)
    assert as_values == as_rows
    texts = {cell[-1] for row in as_values for cell in row}
    assert {"达成", "未达成", "Achieved", "Missed"} <= texts
    assert "2025年1—9月 40.0 亿元；预计全年 53.3 亿元（按1—9月月均值×12/9推算）" in texts


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_park_sheet_reads_each_park_as_its_model_row_reads(language):
    # The unnamed park of 双街镇 among them; names in the page's language.
    with translation.override(language):
        rows = {p.pk: p for p in Park.objects.select_related("managed_by")}
        for park in parks.sheets.annex_parks():
            row = rows.pop(park.pk)
            for field in parks.sheets.AnnexPark._fields:
                assert getattr(park, field) == getattr(row, field), field
            assert park.display_name == row.display_name
            assert park.managed_by.display_name == row.managed_by.display_name
    assert rows == {}


def test_the_sources_cells_shared_between_rows_are_each_rows_own(monkeypatch):
    # A row's 来源 cell is made once per sentence and shared; made afresh for every row it
    # reads the same, in every sheet and both languages.
    import indicators.reporting.final

    approved("new-energy", "chain-output", 2024, "60", period=Actual.Period.MONTHS, month=3)
    shared = shown(report.build(2024))
    with monkeypatch.context() as patch:
        for module in (report, indicators.reporting.final):
            patch.setattr(module, "source_cell", lambda *a: Cell(report.source_text(*a)))
        afresh = shown(report.build(2024))
    assert len(shared) > 100
    assert shared == afresh
