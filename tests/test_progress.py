"""Tests for indicators.engine.progress: the documents' own figures, band edges and degenerate data."""

from dataclasses import FrozenInstanceError, replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.engine.progress import (
    STATUS_ORDER,
    Assessment,
    Direction,
    Figure,
    Kind,
    NotComputable,
    Point,
    Status,
    _caveats,
    achieved_growth,
    assess,
    completion,
    expected_value,
    explain,
    latest,
    method,
    planned_change,
    planned_growth,
    progress_from_baseline,
    progress_ratio,
    projection,
    projection_gap,
    required_growth,
    share,
    status,
    status_history,
)


def fig(base, target, kind=Kind.COMPOUND, direction=Direction.UP, by=2020, ty=2025):
    return Figure(by, base, ty, target, kind, direction)


def pct(x):
    return round(x * 100, 1)


def assert_not_computable(result, fragment):
    assert isinstance(result, NotComputable)
    assert not result
    assert fragment in result.reason


# --- the action plan's own numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "target", "expected"),
    [
        (330, 700, 16.2),  # 战略性新兴产业产值
        (100, 200, 14.9),  # 高技术（制造业）产值
        (80, 180, 17.6),  # 高端装备制造
        (50, 110, 17.1),  # 中医药
        (150, 300, 14.9),  # 新能源
        (1006, 1740, 11.6),  # 在链企业产值
        (300, 420, 7.0),  # 新材料
        (80, 120, 8.4),  # 汽车与新能源汽车
        (16, 30, 13.4),  # 生物医药
        (200, 350, 11.8),  # 现代轻工
        (90, 150, 10.8),  # 绿色石化
    ],
)
def test_planned_growth_reproduces_table_1(base, target, expected):
    assert pct(planned_growth(fig(base, target))) == expected


def test_planned_growth_for_counts_and_points_is_change_per_year():
    assert planned_growth(fig(40, 80, Kind.COUNT)) == 8.0
    assert planned_growth(fig(400, 800, Kind.COUNT)) == 80.0
    assert round(planned_growth(fig(1.2, 2.4, Kind.POINTS)), 4) == 0.24


def test_planned_change_matches_table_1_printed_column():
    assert planned_change(fig(40, 80, Kind.COUNT)) == 40
    assert planned_change(fig(400, 800, Kind.COUNT)) == 400
    assert round(planned_change(fig(1.2, 2.4, Kind.POINTS)), 4) == 1.2


def test_expected_value_follows_compound_path_for_amounts_and_line_for_counts():
    amounts = fig(330, 700)
    assert expected_value(amounts, 2020) == 330
    assert round(expected_value(amounts, 2025), 6) == 700
    assert round(expected_value(amounts, 2022), 1) == round(330 * 1.16234**2, 1)
    assert expected_value(fig(400, 800, Kind.COUNT), 2023) == 640
    assert round(expected_value(fig(1.2, 2.4, Kind.POINTS), 2022), 4) == 1.68


# --- the post-evaluation report's own numbers ---------------------------------------------------


@pytest.mark.parametrize(
    ("base", "target", "actual", "kind", "expected"),
    [
        (36.6, 37, 39.8, Kind.POINTS, 107.6),  # 制造业增加值占GDP比重, 2024
        (45, 55, 49.8, Kind.POINTS, 90.5),  # 战略性新兴产业增加值占比, 2023
        (442, 650, 715, Kind.COUNT, 110.0),  # 国家级高新技术企业
        (10, 20, 31, Kind.COUNT, 155.0),  # 智能工厂/数字化车间
        (19, 29, 33, Kind.COUNT, 113.8),  # 绿色工厂
    ],
)
def test_completion_reproduces_report_column(base, target, actual, kind, expected):
    assert pct(completion(fig(base, target, kind), actual)) == expected


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (425.1, 30.6),
        (324.4, 23.3),
        (130.6, 9.4),
        (126.7, 9.1),
        (116.4, 8.4),
        (74.8, 5.4),
        (69.2, 5.0),
    ],
)
def test_chain_share_of_total_industrial_output(part, expected):
    assert pct(share(part, 1389.9)) == expected


def test_required_growth_for_new_energy_chain_in_final_year():
    new_energy = fig(150, 300)
    assert pct(required_growth(new_energy, Point(2024, 130.6))) == 129.7


def test_required_growth_for_counts_is_number_per_remaining_year():
    assert required_growth(fig(400, 800, Kind.COUNT), Point(2023, 600)) == 100.0


# --- achieved pace, projection and the progress ratio -------------------------------------------


def test_achieved_growth_and_projection_for_new_energy_chain():
    new_energy = fig(150, 300)
    actual = Point(2024, 130.6)
    assert pct(achieved_growth(new_energy, actual)) == -3.4
    assert round(projection(new_energy, actual), 1) == 126.2
    assert round(projection_gap(new_energy, actual), 1) == -173.8
    assert round(progress_ratio(new_energy, actual), 3) == -0.229
    assert status(new_energy, actual) is Status.REGRESSING


def test_progress_ratio_is_one_on_the_planned_compound_path():
    amounts = fig(330, 700)
    on_path = Point(2022, expected_value(amounts, 2022))
    assert round(progress_ratio(amounts, on_path), 9) == 1.0
    assert status(amounts, on_path) is Status.ON_TRACK


def test_progress_ratio_for_counts_is_change_per_year_over_planned_per_year():
    firms = fig(442, 650, Kind.COUNT)
    # 600 in 2024 is 39.5 a year against the 41.6 a year planned.
    assert round(progress_ratio(firms, Point(2024, 600)), 4) == round((158 / 4) / 41.6, 4)
    assert projection(firms, Point(2024, 600)) == 639.5


@pytest.mark.parametrize(
    ("value", "expected_ratio", "expected_status"),
    [
        (476, 0.95, Status.ON_TRACK),  # exactly on the edge
        (475.9, 0.94875, Status.ACCELERATE),  # just below
        (448, 0.6, Status.ACCELERATE),
        (447.9, 0.59875, Status.LIMITED),
        (400, 0.0, Status.LIMITED),
        (399.9, -0.00125, Status.REGRESSING),
    ],
)
def test_status_band_boundaries(value, expected_ratio, expected_status):
    firms = fig(400, 800, Kind.COUNT)  # 80 a year planned
    point = Point(2021, value)
    assert round(progress_ratio(firms, point), 5) == expected_ratio
    assert status(firms, point) is expected_status


@pytest.mark.parametrize(
    ("pace", "expected"),
    [(0.95, Status.ON_TRACK), (0.6, Status.ACCELERATE), (0.0, Status.LIMITED)],
)
def test_status_band_boundaries_survive_float_noise(pace, expected):
    # Shares and compound amounts do not land on 0.95 exactly in binary; the edge must still hold.
    shares = fig(1.2, 2.4, Kind.POINTS)
    assert status(shares, Point(2022, 1.2 + 2 * 0.24 * pace)) is expected
    amounts = fig(100, 200)
    rate = planned_growth(amounts) * pace
    assert status(amounts, Point(2022, 100 * (1 + rate) ** 2)) is expected


def test_reached_before_target_year():
    assert status(fig(442, 650, Kind.COUNT), Point(2024, 715)) is Status.REACHED
    assert status(fig(36.6, 37, Kind.POINTS), Point(2024, 39.8)) is Status.REACHED


def test_verdicts_in_and_after_target_year():
    amounts = fig(330, 700)
    assert status(amounts, Point(2025, 700)) is Status.ACHIEVED
    assert status(amounts, Point(2025, 699.9)) is Status.MISSED
    assert status(amounts, Point(2026, 710)) is Status.ACHIEVED
    assert status(amounts, Point(2026, 500)) is Status.MISSED


def test_down_direction_figure():
    energy = fig(1.0, 0.8, direction=Direction.DOWN)  # energy use per unit of output
    assert pct(planned_growth(energy)) == -4.4
    assert round(completion(energy, 0.9), 4) == round(0.8 / 0.9, 4)
    halfway = Point(2022, 1.0 * (1 + planned_growth(energy)) ** 2)
    assert round(progress_ratio(energy, halfway), 9) == 1.0
    assert status(energy, halfway) is Status.ON_TRACK
    assert status(energy, Point(2022, 0.98)) is Status.LIMITED
    assert status(energy, Point(2022, 1.05)) is Status.REGRESSING
    assert progress_ratio(energy, Point(2022, 1.05)) < 0
    assert status(energy, Point(2023, 0.79)) is Status.REACHED
    assert status(energy, Point(2025, 0.81)) is Status.MISSED
    assert status(energy, Point(2025, 0.8)) is Status.ACHIEVED
    assert_not_computable(required_growth(energy, Point(2023, 0.75)), "已达到目标")
    # A projection above a falling target is a shortfall, so the gap is negative.
    assert projection_gap(energy, Point(2024, 0.95)) < 0
    assert projection_gap(energy, Point(2024, 0.7)) > 0


def test_status_history_lists_each_full_year_in_order():
    amounts = fig(100, 200)
    path = expected_value(amounts, 2022)
    points = [
        Point(2024, 110),  # 2.4% a year: R = 0.16
        Point(2022, path),
        Point(2025, 180, partial=True),
        Point(2023, 135),  # 10.5% a year against 14.9%: R = 0.71
    ]
    assert status_history(amounts, points) == [
        (2022, Status.ON_TRACK),
        (2023, Status.ACCELERATE),
        (2024, Status.LIMITED),
    ]


def test_latest_ignores_partial_year_figures():
    points = [Point(2023, 10), Point(2024, 12), Point(2025, 11, partial=True)]
    assert latest(points) == Point(2024, 12)
    assert latest([Point(2025, 11, partial=True)]) is None
    assert latest([]) is None


def test_status_labels_and_display_order():
    assert Status.REACHED.label == "提前达到"
    assert Status.ON_TRACK.label == "正常推进"
    assert Status.ACCELERATE.label == "需加快"
    assert Status.LIMITED.label == "进展有限"
    assert Status.REGRESSING.label == "倒退"
    assert Status.NO_DATA.label == "无数据"
    assert Status.ACHIEVED.label == "达成"
    assert Status.MISSED.label == "未达成"
    assert set(STATUS_ORDER) == set(Status) and len(STATUS_ORDER) == len(Status)
    assert Status.ON_TRACK == "on_track" and str(Status.ON_TRACK) == "on_track"


# --- degenerate data never raises ---------------------------------------------------------------


def test_zero_baseline_compound_is_not_computable_and_falls_back_to_linear():
    it_chain = fig(0, 20)  # 信息技术应用创新: strategic output 0 → 20
    assert_not_computable(planned_growth(it_chain), "基数为零")
    assert_not_computable(achieved_growth(it_chain, Point(2024, 8)), "基数为零")
    assert expected_value(it_chain, 2023) == 12.0
    assert progress_ratio(it_chain, Point(2024, 8)) == 0.5
    assert projection(it_chain, Point(2024, 8)) == 10.0
    assert status(it_chain, Point(2024, 8)) is Status.LIMITED
    result = assess(it_chain, [Point(2024, 8)])
    assert result.method == "基数为零，按线性进度估算"
    assert result.ratio == 0.5
    assert any("基数为零" in note for note in result.notes)


def test_target_equal_to_baseline():
    tianmu = fig(10, 10, Kind.COUNT)  # 天穆镇 high-tech firms 10 → 10
    assert_not_computable(progress_from_baseline(tianmu, 12), "目标与基数相同")
    assert planned_growth(tianmu) == 0.0
    assert_not_computable(progress_ratio(tianmu, Point(2023, 10)), "目标与基数相同")
    assert status(tianmu, Point(2023, 10)) is Status.REACHED
    assert status(tianmu, Point(2023, 12)) is Status.REACHED
    assert status(tianmu, Point(2023, 9)) is Status.REGRESSING
    assert status(tianmu, Point(2025, 10)) is Status.ACHIEVED
    assert status(tianmu, Point(2025, 9)) is Status.MISSED
    result = assess(tianmu, [Point(2023, 9)])
    assert result.status is Status.REGRESSING
    assert isinstance(result.progress, NotComputable)


def test_no_actuals_gives_no_data():
    amounts = fig(330, 700)
    assert status(amounts, None) is Status.NO_DATA
    result = assess(amounts, [])
    assert isinstance(result, Assessment)
    assert result.status is Status.NO_DATA
    assert result.latest is None and result.history == ()
    assert_not_computable(result.completion, "暂无全年实际数据")
    assert_not_computable(result.ratio, "暂无全年实际数据")
    assert pct(result.planned_growth) == 16.2
    assert result.notes


def test_single_actual_is_assessed_with_a_caveat():
    result = assess(fig(150, 300), [Point(2024, 130.6)])
    assert result.status is Status.REGRESSING
    assert pct(result.required_growth) == 129.7
    assert any("仅有一个年度实际值" in note for note in result.notes)


def test_gaps_between_years_use_what_exists():
    result = assess(fig(100, 200), [Point(2024, 170), Point(2021, 110)])
    assert [p.year for p in result.points] == [2021, 2024]
    assert result.latest == Point(2024, 170)
    assert [year for year, _ in result.history] == [2021, 2024]
    assert any("缺少2022、2023年" in note for note in result.notes)


def test_actual_above_target():
    result = assess(fig(442, 650, Kind.COUNT), [Point(2024, 715)])
    assert result.status is Status.REACHED
    assert pct(result.completion) == 110.0
    assert_not_computable(result.required_growth, "已达到目标，无需再增长")
    assert result.projection_gap > 0


def test_only_partial_year_figure_is_shown_but_does_not_drive_status():
    partial = Point(2025, 250, partial=True)
    result = assess(fig(150, 300), [partial])
    assert result.status is Status.NO_DATA
    assert result.latest is None
    assert result.partial == partial
    assert any("部分年度数据" in note for note in result.notes)
    assert status(fig(150, 300), partial) is Status.NO_DATA


def test_partial_year_after_latest_full_year_is_reported_separately():
    points = [Point(2024, 130.6), Point(2025, 140, partial=True), Point(2023, 140, partial=True)]
    result = assess(fig(150, 300), points)
    assert result.latest == Point(2024, 130.6)
    assert result.partial == Point(2025, 140, partial=True)
    assert [year for year, _ in result.history] == [2024]


def test_assess_as_of_a_year_ignores_later_points():
    points = [Point(2022, 120), Point(2024, 170)]
    result = assess(fig(100, 200), points, year=2022)
    assert result.latest == Point(2022, 120)
    assert result.history == ((2022, Status.ACCELERATE),)  # 9.5% a year against 14.9%
    assert round(result.ratio, 3) == 0.642


def test_year_before_baseline():
    amounts = fig(330, 700)
    result = assess(amounts, [Point(2022, 400)], year=2019)
    assert result.status is Status.NO_DATA
    assert any("早于基数年份" in note for note in result.notes)
    assert_not_computable(expected_value(amounts, 2019), "早于基数年份")
    assert status(amounts, Point(2019, 800)) is Status.NO_DATA
    assert_not_computable(achieved_growth(amounts, Point(2020, 330)), "不晚于基数年份")
    assert_not_computable(progress_ratio(amounts, Point(2020, 330)), "不晚于基数年份")
    assert status(amounts, Point(2020, 330)) is Status.NO_DATA


def test_other_degenerate_inputs_return_reasons():
    assert_not_computable(planned_growth(fig(100, 200, ty=2020)), "目标年份不晚于基数年份")
    assert_not_computable(completion(fig(5, 0, Kind.COUNT), 3), "目标值为零")
    assert_not_computable(share(10, 0), "总量为零")
    assert_not_computable(required_growth(fig(150, 300), Point(2025, 200)), "已到目标年份")
    assert_not_computable(required_growth(fig(150, 300), Point(2023, 0)), "实际值为零")
    assert_not_computable(projection(fig(150, 300), Point(2026, 200)), "已过目标年份")
    assert projection(fig(150, 300), Point(2025, 280)) == 280.0
    assert_not_computable(planned_growth(fig(-5, 10)), "基数不为正数")
    assess(fig(100, 200, ty=2020), [Point(2020, 150)])  # must not raise


def test_accepts_decimal_and_string_codes():
    decimal_fig = Figure(2020, Decimal("36.6"), 2025, Decimal(37), "points", "up")
    assert decimal_fig.kind is Kind.POINTS and decimal_fig.direction is Direction.UP
    assert pct(completion(decimal_fig, Decimal("39.8"))) == 107.6
    assert pct(share(Decimal("425.1"), Decimal("1389.9"))) == 30.6
    assert Point(2024, Decimal("130.6")).value == 130.6


def test_points_and_figures_are_normalised_and_unchangeable():
    # Their __init__ is written out for speed: each field still normalised once, by name or
    # by position, and the instance as frozen, equal and hashable as a generated one.
    point = Point(year="2024", value=Decimal("130.6"), partial=0)
    assert (type(point.year), type(point.value), point.partial) == (int, float, False)
    assert point == Point(2024, 130.6) and hash(point) == hash(Point(2024, 130.6, False))
    assert replace(point, partial=1) == Point(2024, 130.6, True)
    figure = Figure(2020, Decimal(150), 2025, 300, kind="count", direction="down")
    assert (type(figure.baseline_value), type(figure.target_value)) == (float, float)
    assert figure.kind is Kind.COUNT and figure.direction is Direction.DOWN
    assert figure == Figure(2020, 150.0, 2025, Decimal(300), Kind.COUNT, Direction.DOWN)
    assert Figure(2020, 1, 2025, 2).kind is Kind.COMPOUND
    assert Figure(2020, 1, 2025, 2).direction is Direction.UP
    for made, name in ((point, "value"), (figure, "kind")):
        with pytest.raises(FrozenInstanceError):
            setattr(made, name, None)


def test_explain_shows_the_working_with_numbers():
    result = assess(fig(36.6, 37, Kind.POINTS), [Point(2024, 39.8)])
    rows = dict(explain(result))
    assert rows["完成度"] == "39.8 ÷ 37 = 107.6%"
    assert rows["计算方法"] == "年均增加百分点"
    assert rows["状态"].startswith("提前达到")
    new_energy = dict(explain(assess(fig(150, 300), [Point(2024, 130.6)])))
    assert new_energy["规划年均增速"] == "(300 ÷ 150)^(1/5) − 1 = 14.9%"
    assert new_energy["所需年均增速"] == "(300 ÷ 130.6)^(1/1) − 1 = 129.7%"
    assert dict(explain(assess(fig(0, 20), [])))["状态"].startswith("无数据")


# --- the parts of an assessment worked out when first read ---------------------------------------

LAZY = ("achieved_growth", "projection", "projection_gap", "ratio", "history", "method", "notes")


def test_an_assessment_works_out_projection_history_and_notes_only_when_read():
    result = assess(fig(100, 200), [Point(2021, 110), Point(2024, 170)], year=2024)
    assert result.status is Status.ON_TRACK and pct(result.required_growth) == 17.6
    assert not set(LAZY) & set(vars(result))
    assert round(result.projection, 1) == 194.1
    assert "projection" in vars(result) and "history" not in vars(result)
    assert result.history == ((2021, Status.ACCELERATE), (2024, Status.ON_TRACK))


def test_notes_keep_caveats_first_then_each_reason_once_in_the_order_of_the_numbers():
    # A zero baseline on an amount: no growth rate, a linear projection; the year 2022 missing.
    it_chain = fig(0, 30)
    result = assess(it_chain, [Point(2021, 4), Point(2023, 12), Point(2024, 15, partial=True)])
    assert result.notes == (
        "缺少2022年实际值，按已有年份计算",
        "2024年为部分年度数据（如1—10月），仅供参考，不参与状态判定",
        "基数为零，按线性进度估算",
        "基数为零，无法按复合增长计算年均增速",
    )


points_strategy = st.lists(
    st.builds(
        Point,
        st.integers(2018, 2027),
        st.floats(-50, 5000, allow_nan=False, allow_infinity=False),
        st.booleans(),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    base=st.sampled_from([0, 1.5, 36.6, 330, -4]),
    target=st.sampled_from([0, 37, 330, 700, 1740]),
    kind=st.sampled_from(list(Kind)),
    direction=st.sampled_from(list(Direction)),
    points=points_strategy,
    year=st.one_of(st.none(), st.integers(2017, 2027)),
)
def test_the_parts_read_later_equal_those_worked_out_at_once(
    base, target, kind, direction, points, year
):
    figure = fig(base, target, kind, direction)
    result = assess(figure, points, year=year)
    usable = sorted(
        (p for p in points if year is None or p.year <= year), key=lambda p: (p.year, p.partial)
    )
    full = [p for p in usable if not p.partial]
    last = full[-1] if full else None
    partials = [p for p in usable if p.partial and (last is None or p.year > last.year)]
    no_point = NotComputable("暂无全年实际数据")

    def at_latest(fn):
        return no_point if last is None else fn(figure, last)

    eager = {
        "achieved_growth": at_latest(achieved_growth),
        "projection": at_latest(projection),
        "projection_gap": at_latest(projection_gap),
        "ratio": at_latest(progress_ratio),
        "history": tuple(status_history(figure, full)),
        "method": method(figure),
    }
    for name, value in eager.items():
        assert getattr(result, name) == value, name
    assert result.latest == last
    assert result.partial == (partials[-1] if partials else None)
    assert result.status is status(figure, last)
    numbers = (
        result.completion,
        result.progress,
        result.planned_growth,
        eager["achieved_growth"],
        result.required_growth,
        eager["projection"],
        eager["projection_gap"],
        eager["ratio"],
    )
    notes = _caveats(figure, full, result.partial, year)
    for value in numbers:
        if isinstance(value, NotComputable) and value.reason not in notes:
            notes.append(value.reason)
    assert result.notes == tuple(notes)
