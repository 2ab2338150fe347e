"""Python's cyclic garbage collector is held off while each of the report's sheets is built
(at scale a full collection walked hundreds of thousands of cells again and again), and it
always resumes afterwards: after each sheet, after an error, and never switched on by the
report when it was off."""

import gc

import pytest

from indicators.reporting import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def collector_state():
    """The collector's state as the report's measures sheet is built (its builder replaced)."""
    seen = []

    def measures(plan):
        seen.append(gc.isenabled())
        return report.Sheet("工作举措", "五大工程十二项举措", ["来源"])

    return seen, measures


@pytest.fixture(autouse=True)
def collector_on():
    enabled = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if enabled else gc.disable)()


def test_a_sheet_is_built_with_the_collector_held_off_and_it_resumes_after(
    monkeypatch, collector_state
):
    seen, measures = collector_state
    monkeypatch.setattr(report, "measure_sheet", measures)

    rep = report.build(2024)

    assert seen == [False]
    assert gc.isenabled()
    assert [s.name for s in rep.sheets][:2] == ["汇总", "五项倍增指标"]


def test_between_the_sheets_of_a_streamed_report_the_collector_runs(monkeypatch):
    rep = report.build(2024, streamed=True)
    between = []
    for _sheet in rep.sheets:
        between.append(gc.isenabled())

    assert between and all(between)


def test_the_collector_resumes_when_a_sheet_fails(monkeypatch):
    def broken(plan):
        raise RuntimeError("工作举措表无法生成")

    monkeypatch.setattr(report, "measure_sheet", broken)

    with pytest.raises(RuntimeError, match="工作举措表无法生成"):
        report.build(2024)

    assert gc.isenabled()


def test_a_collector_that_was_off_is_left_off(monkeypatch, collector_state):
    seen, measures = collector_state
    monkeypatch.setattr(report, "measure_sheet", measures)
    gc.disable()

    report.build(2024)

    assert seen == [False]
    assert not gc.isenabled()
