"""Numbers as officials read them, in Chinese and English."""

from decimal import Decimal

import pytest

from indicators.engine import formatting as f
from indicators.engine import kinds, progress


def test_it_prints_yi_yuan_to_one_decimal_with_grouping():
    assert f.value(Decimal("1389.9"), "亿元") == "1,389.9 亿元"
    assert f.value(330, "亿元") == "330.0 亿元"


def test_it_prints_counts_as_whole_numbers_with_thousands_separators():
    assert kinds.COUNT.text(5444, "个") == "5,444 个"
    assert kinds.COUNT.text(Decimal("715.0000"), "家") == "715 家"


def test_it_prints_shares_with_a_percent_sign():
    assert kinds.SHARE.text(Decimal("2.5"), "%") == "2.5%"
    assert f.per_cent(30.6) == "30.6%"


def test_it_prints_completion_ratios_as_percentages_to_one_decimal():
    assert f.percent(39.8 / 37) == "107.6%"
    assert f.percent(0.905) == "90.5%"


def test_it_prints_compound_growth_per_year():
    assert f.growth((700 / 330) ** (1 / 5) - 1, "compound") == "+16.2%/年"


def test_it_prints_count_growth_as_firms_per_year():
    assert f.growth(8, "count", "家") == "+8 家/年"
    assert f.growth(-2, "count", "家") == "-2 家/年"


def test_it_prints_share_growth_in_percentage_points_per_year():
    assert f.growth(0.24, "points", "%") == "+0.24 个百分点/年"


def test_it_prints_years_as_years_never_grouped():
    assert f.year(2024) == "2024年"
    assert f.year(2024, "en") == "2024"


def test_it_prints_a_dash_for_numbers_it_cannot_show():
    assert f.value(None, "亿元") == "—"
    assert f.percent(progress.NotComputable("基数为零")) == "—"
    assert f.growth(None, "compound") == "—"


def test_english_pages_keep_grouping_and_print_the_unit_they_are_given():
    # The unit comes in the page's language (a metric's display_unit, from english.yaml).
    assert f.value(Decimal("1389.9"), "100M yuan", "en") == "1,389.9 100M yuan"
    assert f.growth(0.162, "compound", lang="en") == "+16.2%/yr"
    assert f.growth(80, "count", "firms", "en") == "+80 firms/yr"


def test_it_never_prints_minus_zero():
    assert f.value(-0.01, "亿元") == "0.0 亿元"


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"],
)
def test_spreadsheet_safe_neutralises_formula_text(text):
    assert f.spreadsheet_safe(text) == "'" + text


def test_spreadsheet_safe_leaves_numbers_and_plain_text_alone():
    assert f.spreadsheet_safe(-0.3) == -0.3
    assert f.spreadsheet_safe("新材料产业链") == "新材料产业链"


def test_a_stored_figure_reads_with_every_digit_the_document_prints():
    assert f.exact(Decimal("1294.1000")) == "1294.1"
    assert f.exact(Decimal("330.0000")) == "330"
    assert f.exact_signed(Decimal("3.40")) == "+3.4"
    assert f.exact_signed(Decimal("-12")) == "-12"
    assert f.exact_signed(Decimal("0")) == "0"


def test_a_cell_value_keeps_whole_numbers_whole():
    assert f.whole_or_decimal(Decimal("715.0000")) == 715
    assert isinstance(f.whole_or_decimal(Decimal("715.0000")), int)
    assert f.whole_or_decimal(Decimal("4.30")) == 4.3
    assert f.whole_or_decimal(None) is None


def test_what_cannot_be_computed_becomes_no_number():
    assert f.to_float(Decimal("39.8")) == 39.8
    assert f.to_float(None) is None
    assert f.to_float(progress.NotComputable("目标值为零，无法计算完成度")) is None


def test_a_worked_calculation_prints_short_numbers():
    assert f.short_number(39.8) == "39.8"
    assert f.short_number(700.0) == "700"
    assert f.short_number(-0.00001) == "0"
    assert f.short_number(0.123456) == "0.1235"


def test_a_report_cell_reads_as_the_workbook_formats_it_in_either_language():
    assert f.cell(0.3, f.POINTS_PA) == "0.30个百分点/年"
    assert f.cell(0.3, f.POINTS_PA, "en") == "0.30pp/yr"
    assert f.cell(8, f.PER_YEAR, "en") == "8.0/yr"
    assert f.cell(1.0757, f.PERCENT) == "107.6%"
    assert f.cell(2024, f.YEAR) == "2024"
    assert f.cell(1474.425, f.STATED) == "1,474.425"
    assert f.cell(0.025, "share", kind=kinds.SHARE) == "2.5%"
    assert f.cell(715, "count", kind=kinds.COUNT) == "715"
    assert f.cell(1389.94, "amount", kind=kinds.AMOUNT) == "1,389.9"
    assert f.cell(None, f.NUMBER) == "" and f.cell("合计", f.TEXT) == "合计"


def test_it_rounds_half_up_as_officials_do_not_to_even():
    # 现代轻工 has 101 在链企业 against annex 3's 2025 target of 80: 101 ÷ 80 = 126.25%.
    assert round(126.25, 1) == 126.2  # what Python's round() would print
    assert f.percent(101 / 80) == "126.3%"
    assert f.per_cent(Decimal("126.25")) == "126.3%"
    assert f.number(0.125, 2) == "0.13"
    assert f.number(Decimal("2.5"), 0) == "3"
    assert f.change(-0.0025) == "−0.3%"


def test_the_reports_completion_rates_print_as_the_report_prints_them():
    # The post-evaluation report's table: 2024 actual ÷ 2025 target.
    assert f.percent(39.8 / 37) == "107.6%"
    assert f.percent(49.8 / 55) == "90.5%"
    assert f.percent(715 / 650) == "110.0%"
    assert f.percent(31 / 20) == "155.0%"
    assert f.percent(33 / 29) == "113.8%"


def test_rounding_never_prints_minus_zero():
    assert f.number(-0.04, 1) == "0.0"
    assert f.change(-0.0004) == "0.0%"


def test_a_count_per_year_prints_whole_with_its_unit():
    assert f.cell(85, f.COUNT_PA, unit="家") == "85家/年"
    assert f.cell(42.5, f.COUNT_PA, unit="家") == "42.5家/年"
    assert f.cell(85, f.COUNT_PA, "en", unit="firms") == "85 firms/yr"


def test_a_stated_change_keeps_the_documents_digits():
    # The report: "2025年1-10月份 … 同比下降0.3%，增加值增速1%".
    assert f.stated_change(-0.003) == "−0.3%"
    assert f.stated_change(0.01) == "+1%"
    assert f.change(0.01) == "+1.0%"


def test_export_numbers_round_half_up_too():
    assert f.export_number(101 / 80 * 100, 1) == 126.3
    assert f.export_number(0.125, 2) == 0.13
    assert f.export_number(None) is None


NUMBERS = [
    0,
    1,
    -1,
    0.05,
    -0.05,
    -0.04,
    1.25,
    -1.25,
    126.24999999999999,
    Decimal(126.24999999999999),  # the float's exact value: rounds to 126.2, the float to 126.3
    1389.95,
    5444,
    99999.95,
    12345678.949,
    -1234567.25,
    123456789012345678,
    1e15,
    1e-12,
    Decimal("1474.425"),
    Decimal("2948.85"),
    Decimal("-0.04"),
    Decimal("715.0000"),
    Decimal("1E+3"),
]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2, 3])
def test_a_number_prints_as_babel_writes_it_in_the_pages_language(lang, decimals):
    """number() groups and pads a rounded figure itself; the text is babel's, character for
    character, for whole, fractional, negative, tiny and huge numbers in both languages,
    formatted afresh or remembered (each number is asked twice; a float and a Decimal of equal
    value are remembered apart)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    locale = "en" if lang == "en" else "zh_Hans_CN"
    for x in NUMBERS + NUMBERS:
        expected = format_decimal(f.half_up(x, decimals), pattern, locale=locale)
        assert f.number(x, decimals, lang) == expected, (x, decimals, lang)


def test_numbers_print_with_grouping_and_a_minus_sign():
    assert f.number(-1234567.25, 1) == "-1,234,567.3"
    assert f.number(123456789012345678, 0, "en") == "123,456,789,012,345,678"
    assert f.number(-0.04, 1) == "0.0"  # never "-0.0"
    assert f.number(float("inf")) == "∞"  # not a figure: babel's sign, as before
    assert f.number(126.24999999999999) == "126.3"
    assert f.number(Decimal(126.24999999999999)) == "126.2"
