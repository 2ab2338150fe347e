"""The period arithmetic: how a period is named, 同比, and the full-year estimate (预计)."""

import pytest

from indicators.engine import periods
from indicators.engine.periods import PeriodKind
from indicators.engine.progress import NotComputable, computable


@pytest.mark.parametrize(
    ("kind", "month", "quarter", "text", "shown"),
    [
        ("year", None, None, "", "2025年"),
        ("months", 10, None, "", "2025年1—10月"),
        ("months", 1, None, "", "2025年1月"),
        ("quarter", None, 3, "", "2025年第三季度"),
        ("other", None, None, "2021-2025年累计", "2021-2025年累计"),
        ("other", None, None, "截至报告时", "2025年（截至报告时）"),
    ],
)
def test_a_period_is_named_as_the_office_writes_it(kind, month, quarter, text, shown):
    assert periods.year_label(2025, kind, month, quarter, text) == shown


def test_year_on_year_growth_is_the_same_period_a_year_before():
    # The report: 2024 全年 1389.9 亿元; a 2025 value of 1385.7 is 同比 −0.3%.
    assert round(periods.year_on_year(1385.7, 1389.9) * 100, 1) == -0.3


def test_year_on_year_growth_needs_the_previous_year():
    assert periods.year_on_year(1152.5, None) == NotComputable("缺少上年同期数，无法计算同比")
    assert periods.year_on_year(5, 0) == NotComputable("上年同期数为零，无法计算同比")


def test_the_estimate_uses_last_years_share_of_the_same_months():
    # 2025: 1—10月 80 of a 100 year; 2026 1—10月 88 → 88 ÷ 0.8 = 110.
    estimate = periods.full_year_estimate(88, 10, last_same=80, last_total=100, last_year=2025)
    assert round(estimate.value, 4) == 110
    assert estimate.method == "按2025年1—10月占全年的比重80.0%推算"


def test_without_last_year_the_estimate_assumes_even_months():
    estimate = periods.full_year_estimate(1152.5, 10)
    assert round(estimate.value, 2) == 1383.0
    assert estimate.method == "按1—10月月均值×12/10推算"


def test_no_estimate_without_a_cumulative_figure():
    assert not computable(periods.full_year_estimate(None, 10))
    assert periods.full_year_estimate(5, 12) == NotComputable("累计月份须在1至11月之间")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("", (PeriodKind.YEAR, None, None)),
        ("全年", (PeriodKind.YEAR, None, None)),
        ("1—10月", (PeriodKind.MONTHS, 10, None)),
        ("1-10月份", (PeriodKind.MONTHS, 10, None)),
        ("1~9月累计", (PeriodKind.MONTHS, 9, None)),
        ("1月", (PeriodKind.MONTHS, 1, None)),
        ("1-12月", (PeriodKind.YEAR, None, None)),
        ("第三季度", (PeriodKind.QUARTER, None, 3)),
        ("二季度", (PeriodKind.QUARTER, None, 2)),
        ("Q4", (PeriodKind.QUARTER, None, 4)),
        ("10月", None),  # October alone is not a cumulative figure
        ("2-10月", None),
        ("第五季度", None),
        ("上半年", None),
    ],
)
def test_a_period_typed_in_a_spreadsheet_is_read_or_refused(text, parsed):
    assert periods.parse(text) == parsed


def test_a_period_sorts_by_its_end_within_the_year():
    keys = [
        periods.sort_key("year"),
        periods.sort_key("months", 10),
        periods.sort_key("quarter", quarter=3),
        periods.sort_key("months", 9),
    ]
    assert sorted(keys) == [(9, 0), (9, 1), (10, 0), (12, 2)]


def test_english_pages_name_periods_in_english():
    assert periods.year_label(2024, "year", lang="en") == "2024"
    assert periods.year_label(2025, "months", month=10, lang="en") == "Jan–Oct 2025"
    assert periods.year_label(2025, "months", month=1, lang="en") == "Jan 2025"
    assert periods.year_label(2026, "quarter", quarter=3, lang="en") == "Q3 2026"
    assert (
        periods.year_label(2025, "other", text="2021-2025年累计", lang="en")
        == "2021-2025 cumulative"
    )
    assert (
        periods.year_label(2025, "other", text="截至报告时", lang="en") == "2025 (as of the report)"
    )
    # Chinese pages keep the office's wording.
    assert periods.year_label(2025, "months", month=10) == "2025年1—10月"
    assert periods.year_label(2025, "other", text="截至报告时") == "2025年（截至报告时）"
