"""A metric's kind is one object: its growth convention, decimals, Excel format and whether it adds up."""

from decimal import Decimal

import pytest

from indicators.engine import kinds, progress
from indicators.models import Metric


def test_every_kind_a_metric_can_have_is_exactly_one_metric_kind():
    assert set(Metric.Kind.values) == set(kinds.KINDS)
    for code in Metric.Kind.values:
        assert kinds.of(code).code == code


def test_an_unknown_kind_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="未知的指标类别“speed”"):
        kinds.of("speed")


def test_each_kind_carries_its_engine_convention():
    assert kinds.AMOUNT.convention is progress.Kind.COMPOUND
    assert kinds.COUNT.convention is progress.Kind.COUNT
    assert kinds.SHARE.convention is progress.Kind.POINTS
    # A growth rate (产值同比增速) is followed in percentage points, stated here, not by default.
    assert kinds.RATE.convention is progress.Kind.POINTS
    assert kinds.RATE.negative and not kinds.SHARE.negative


def test_only_amounts_and_counts_add_up_across_subjects():
    assert [k.code for k in kinds.KINDS.values() if k.additive] == ["amount", "count"]


def test_the_kind_not_the_unit_decides_how_a_figure_prints():
    # 每万人拥有5G基站数量 is counted in 个 like firms; 园区占地面积 in 公顷 is an amount.
    assert kinds.COUNT.text(Decimal("5444"), "个") == "5,444 个"
    assert kinds.AMOUNT.text(Decimal("5444"), "个") == "5,444.0 个"
    assert kinds.SHARE.text(Decimal("30.6"), "%") == "30.6%"
    assert kinds.RATE.text(Decimal("-3.2"), "%") == "-3.2%"


def test_each_kind_writes_its_own_workbook_cell():
    assert (kinds.AMOUNT.cell_value(Decimal("1389.9")), kinds.AMOUNT.excel_format) == (
        1389.9,
        "#,##0.0",
    )
    assert kinds.COUNT.cell_value(Decimal("715.0000")) == 715
    assert isinstance(kinds.COUNT.cell_value(Decimal("715.0000")), int)
    assert kinds.COUNT.excel_format == "#,##0"
    assert kinds.SHARE.cell_value(Decimal("2.5")) == 0.025
    assert kinds.SHARE.excel_format == "0.0%"
    assert kinds.AMOUNT.cell_value(None) is None


def test_growth_prints_in_the_kinds_convention():
    assert kinds.AMOUNT.growth(0.162) == "+16.2%/年"
    assert kinds.COUNT.growth(8, "家") == "+8 家/年"
    assert kinds.SHARE.growth(0.24) == "+0.24 个百分点/年"


@pytest.mark.django_db
def test_a_loaded_metric_reaches_its_kind_through_its_stored_code():
    assert Metric.objects.get(slug="industrial-output").metric_kind is kinds.AMOUNT
    assert Metric.objects.get(slug="srdi-firms").metric_kind is kinds.COUNT
    assert Metric.objects.get(slug="rd-share").metric_kind is kinds.SHARE
    assert Metric.objects.get(slug="industrial-output-yoy").metric_kind is kinds.RATE
