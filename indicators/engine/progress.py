"""Progress engine for the Beichen manufacturing plans (the doubling plan and those after it).

Pure functions over numbers, deliberately free of Django so the arithmetic can be checked (and
tested) on its own. Every function returns either a float or a `NotComputable` carrying a Chinese
reason for officials; degenerate data (zero baseline, target equal to baseline, no actuals, ...)
never raises.

Every word the engine shows (reasons, labels, methods, the worked calculation) is a `Text`: the
Chinese sentence itself, which also keeps its message and values so a page can show it in
another language. Each message is written once, here, inside `gettext_noop(...)`, which
`makemessages` collects; locale/en holds the English.

Note: `NotComputable` is falsy, but so is 0.0 — test results with `isinstance(x, float)` or
`computable(x)`, not with truthiness.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cached_property

from indicators.engine.formatting import decimal, half_up, short_number

Number = int | float | Decimal


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogues; the engine stays free of Django."""
    return message


class Text(str):
    """A sentence for officials: the Chinese text (it prints and compares as before), plus the
    message and values it was made from, so a page can translate it (`Text.translate`)."""

    message: str
    values: dict

    def __new__(cls, message: str, **values):
        text = message.format(**{k: _chinese(v) for k, v in values.items()}) if values else message
        self = super().__new__(cls, text)
        # A dict of its own for the two attributes (184 bytes) instead of the one attribute
        # assignment makes (304): tens of thousands of sentences are kept at scale.
        self.__dict__ = {"message": message, "values": values}
        return self

    def translate(self, gettext) -> str:
        """The text in the language of `gettext` (a function from message to translation)."""
        values = {k: _translated(v, gettext) for k, v in self.values.items()}
        return gettext(self.message).format(**values)


# Years listed in one sentence are joined with this word (", " in English).
LIST_SEPARATOR = gettext_noop("、")


def _chinese(value) -> str:
    if isinstance(value, tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def _translated(value, gettext) -> str:
    if isinstance(value, Text):
        return value.translate(gettext)
    if isinstance(value, tuple):
        return gettext(LIST_SEPARATOR).join(str(v) for v in value)
    return str(value)


# Ratios computed from decimal source figures carry binary rounding noise (0.9499999999999998
# for what is exactly 0.95 on paper), so band boundaries are compared with this tolerance.
_EPS = 1e-9


class Kind(str, Enum):
    """The plan's growth convention for a figure (action plan table 1, 年均增速（增加数量）)."""

    COMPOUND = "compound"  # amounts (亿元): compound annual growth rate
    COUNT = "count"  # counts of firms (家/个): a number per year
    POINTS = "points"  # shares (%): percentage points per year

    def __str__(self) -> str:  # templates should print the code, not "Kind.COMPOUND"
        return self.value


class Direction(str, Enum):
    UP = "up"
    DOWN = "down"  # figure meant to fall (energy use per unit of output)

    def __str__(self) -> str:
        return self.value


class Status(str, Enum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    ACCELERATE = "accelerate"
    LIMITED = "limited"
    REGRESSING = "regressing"
    NO_DATA = "no_data"
    ACHIEVED = "achieved"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    def __str__(self) -> str:
        return self.value


_STATUS_LABELS = {
    # Reached before the target year: not the target-year verdict 达成, and never worded like it.
    Status.REACHED: Text(gettext_noop("提前达到")),
    Status.ON_TRACK: Text(gettext_noop("正常推进")),
    Status.ACCELERATE: Text(gettext_noop("需加快")),
    Status.LIMITED: Text(gettext_noop("进展有限")),
    Status.REGRESSING: Text(gettext_noop("倒退")),
    Status.NO_DATA: Text(gettext_noop("无数据")),
    Status.ACHIEVED: Text(gettext_noop("达成")),
    Status.MISSED: Text(gettext_noop("未达成")),
}

# Display order: verdicts and good news first, then the bands from best to worst, unknown last.
STATUS_ORDER = (
    Status.ACHIEVED,
    Status.REACHED,
    Status.ON_TRACK,
    Status.ACCELERATE,
    Status.LIMITED,
    Status.REGRESSING,
    Status.MISSED,
    Status.NO_DATA,
)

# Lower band edges of R, checked from the top (R >= 0.95 on track, ...; anything lower regresses).
_BANDS = ((0.95, Status.ON_TRACK), (0.6, Status.ACCELERATE), (0.0, Status.LIMITED))


@dataclass(frozen=True)
class NotComputable:
    """Returned instead of a number; `reason` is a `Text` shown to officials."""

    reason: Text

    def __bool__(self) -> bool:
        return False


Result = float | NotComputable


def computable(x: object) -> bool:
    """True for a real number result (0.0 included), False for NotComputable/None."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)


# Points and figures are unchangeable, and each field is normalised once as it is made:
# callers hand us Decimal from the ORM, so arithmetic never mixes types. Their `__init__` is
# written out and fills the instance's fields directly: a report at scale makes tens of
# thousands of points, and the generated one (then `__post_init__`) set every field twice
# through the frozen class's guard, twice as slow.


@dataclass(frozen=True, init=False)
class Point:
    year: int
    value: float
    partial: bool = False  # January–October style partial-year figure

    def __init__(self, year: int, value: Number, partial: bool = False) -> None:
        fields = self.__dict__
        fields["year"] = int(year)
        fields["value"] = float(value)
        fields["partial"] = bool(partial)


@dataclass(frozen=True, init=False)
class Figure:
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    kind: Kind = Kind.COMPOUND
    direction: Direction = Direction.UP

    def __init__(
        self,
        baseline_year: int,
        baseline_value: Number,
        target_year: int,
        target_value: Number,
        kind: Kind | str = Kind.COMPOUND,
        direction: Direction | str = Direction.UP,
    ) -> None:
        fields = self.__dict__
        fields["baseline_year"] = int(baseline_year)
        fields["baseline_value"] = float(baseline_value)
        fields["target_year"] = int(target_year)
        fields["target_value"] = float(target_value)
        # Model fields store the plain code string; accept it as well as the enum member.
        fields["kind"] = kind if type(kind) is Kind else Kind(kind)
        fields["direction"] = direction if type(direction) is Direction else Direction(direction)


# --- reasons shown to officials -----------------------------------------------------------------

_R_SPAN = Text(gettext_noop("目标年份不晚于基数年份，无法计算年均增速"))
_R_SAME = Text(gettext_noop("目标与基数相同，无法计算较基数的进度"))
_R_SAME_PACE = Text(gettext_noop("目标与基数相同，规划增速为零，无法计算进度比"))
_R_EARLY = Text(gettext_noop("实际值年份不晚于基数年份，尚无法计算实际年均增速"))
_R_BEFORE_BASE = Text(gettext_noop("年份早于基数年份，不在规划路径上"))
_R_REACHED = Text(gettext_noop("已达到目标，无需再增长"))
_R_NO_YEARS = Text(gettext_noop("已到目标年份，没有剩余年份可计算所需增速"))
_R_PAST = Text(gettext_noop("实际值年份已过目标年份，直接按实际值评判"))
_R_NO_POINT = Text(gettext_noop("暂无全年实际数据"))


def _base_reason(fig: Figure) -> Text:
    if fig.baseline_value == 0:
        return Text(gettext_noop("基数为零，无法按复合增长计算年均增速"))
    return Text(gettext_noop("基数不为正数，无法按复合增长计算年均增速"))


# --- small helpers ------------------------------------------------------------------------------


def _span(fig: Figure) -> int:
    return fig.target_year - fig.baseline_year


def _cagr(start: float, end: float, years: int) -> Result:
    """Compound rate per year; only defined for a positive start and a non-negative end."""
    if start <= 0:
        return NotComputable(Text(gettext_noop("起点值不为正数，无法按复合增长计算")))
    if end < 0:
        return NotComputable(Text(gettext_noop("数值为负数，无法按复合增长计算")))
    return (end / start) ** (1.0 / years) - 1.0


def _compound_ok(fig: Figure) -> bool:
    """Whether the compound convention applies; zero/negative baselines fall back to linear."""
    return fig.kind is Kind.COMPOUND and fig.baseline_value > 0 and fig.target_value >= 0


def _at_or_beyond(fig: Figure, value: float) -> bool:
    if fig.direction is Direction.DOWN:
        return value <= fig.target_value
    return value >= fig.target_value


# --- the plan itself ----------------------------------------------------------------------------


def planned_growth(fig: Figure) -> Result:
    """Planned growth per year in the figure's own convention (table 1's 年均增速（增加数量）)."""
    if _span(fig) <= 0:
        return NotComputable(_R_SPAN)
    if fig.kind is Kind.COMPOUND:
        if fig.baseline_value <= 0:
            return NotComputable(_base_reason(fig))
        if fig.target_value < 0:
            return NotComputable(Text(gettext_noop("目标值为负数，无法按复合增长计算年均增速")))
        return _cagr(fig.baseline_value, fig.target_value, _span(fig))
    return (fig.target_value - fig.baseline_value) / _span(fig)


def planned_change(fig: Figure) -> float:
    """Total planned increase; table 1 prints this (40, 400, 1.2) for counts and shares."""
    return fig.target_value - fig.baseline_value


def expected_value(fig: Figure, year: int) -> Result:
    """Value on the planned path in `year` (extrapolated past the target year)."""
    if _span(fig) <= 0:
        return NotComputable(_R_SPAN)
    if year < fig.baseline_year:
        return NotComputable(_R_BEFORE_BASE)
    elapsed = year - fig.baseline_year
    if _compound_ok(fig):
        rate = planned_growth(fig)
        return fig.baseline_value * (1.0 + rate) ** elapsed
    # Linear for counts and shares, and as the honest fallback when a zero baseline has no CAGR.
    return fig.baseline_value + planned_change(fig) * elapsed / _span(fig)


def rebased(fig: Figure, baseline_value: Number) -> Figure:
    """The same plan on another document's base: the planned pace kept, the base swapped.

    Where two documents state the base year differently (400 vs 442 high-tech firms in 2020),
    the plan's own pace (80 firms a year, or 16% a year for amounts) is measured from the other
    base, so R and the status can be shown on each base side by side.
    """
    base = float(baseline_value)
    if _compound_ok(fig) and base > 0:
        target = base * fig.target_value / fig.baseline_value
    else:
        target = base + planned_change(fig)
    return Figure(fig.baseline_year, base, fig.target_year, target, fig.kind, fig.direction)


# --- one actual against the plan ----------------------------------------------------------------


def completion(fig: Figure, value: Number) -> Result:
    """完成度 as the post-evaluation report prints it: actual ÷ target (target ÷ actual if DOWN)."""
    value = float(value)
    if fig.target_value == 0:
        return NotComputable(Text(gettext_noop("目标值为零，无法计算完成度")))
    if fig.direction is Direction.DOWN:
        if value == 0:
            return NotComputable(Text(gettext_noop("实际值为零，无法按下降型指标计算完成度")))
        return fig.target_value / value
    return value / fig.target_value


def progress_from_baseline(fig: Figure, value: Number) -> Result:
    """Share of the planned distance covered: (actual − baseline) ÷ (target − baseline)."""
    if planned_change(fig) == 0:
        return NotComputable(_R_SAME)
    return (float(value) - fig.baseline_value) / planned_change(fig)


def points_beyond_target(fig: Figure, value: Number) -> float:
    """How far a share stands beyond its target in percentage points (negative: short of it)."""
    gap = float(value) - fig.target_value
    return -gap if fig.direction is Direction.DOWN else gap


def versus_target(fig: Figure, value: Number) -> Text | None:
    """A share's progress as the post-evaluation report words it: 39.8% against 37% is
    "超目标2.8个百分点". None for amounts and counts, whose progress is a percentage: a
    share's "progress from baseline" (39.8 − 36.6) ÷ (37 − 36.6) = 800% tells an official nothing.
    """
    if fig.kind is not Kind.POINTS:
        return None
    gap = half_up(points_beyond_target(fig, value), 2)
    if gap == 0:
        return Text(gettext_noop("与目标持平"))
    if gap > 0:
        return Text(gettext_noop("超目标{points}个百分点"), points=short_number(gap))
    return Text(gettext_noop("距目标还差{points}个百分点"), points=short_number(-gap))


def achieved_growth(fig: Figure, point: Point) -> Result:
    """Growth per year achieved from the baseline to `point`, in the figure's kind."""
    elapsed = point.year - fig.baseline_year
    if elapsed <= 0:
        return NotComputable(_R_EARLY)
    if fig.kind is Kind.COMPOUND:
        if fig.baseline_value <= 0:
            return NotComputable(_base_reason(fig))
        return _cagr(fig.baseline_value, point.value, elapsed)
    return (point.value - fig.baseline_value) / elapsed


def required_growth(fig: Figure, point: Point) -> Result:
    """Growth needed in EACH remaining year to go from `point` to the target by the target year."""
    if _at_or_beyond(fig, point.value):
        return NotComputable(_R_REACHED)
    remaining = fig.target_year - point.year
    if remaining <= 0:
        return NotComputable(_R_NO_YEARS)
    if fig.kind is Kind.COMPOUND:
        if point.value <= 0:
            return NotComputable(Text(gettext_noop("实际值为零或负数，无法按复合增长计算所需增速")))
        return _cagr(point.value, fig.target_value, remaining)
    return (fig.target_value - point.value) / remaining


def _linear_pace(fig: Figure, point: Point) -> Result:
    elapsed = point.year - fig.baseline_year
    if elapsed <= 0:
        return NotComputable(_R_EARLY)
    return (point.value - fig.baseline_value) / elapsed


def projection(fig: Figure, point: Point) -> Result:
    """Value in the target year if the pace achieved so far simply continues."""
    remaining = fig.target_year - point.year
    if remaining < 0:
        return NotComputable(_R_PAST)
    if remaining == 0:
        return point.value
    if _compound_ok(fig):
        rate = achieved_growth(fig, point)
        if not computable(rate):
            return rate
        return point.value * (1.0 + rate) ** remaining
    pace = _linear_pace(fig, point)  # also the fallback for a zero baseline
    if not computable(pace):
        return pace
    return point.value + pace * remaining


def projection_gap(fig: Figure, point: Point) -> Result:
    """Projection minus target, signed so that negative always means a shortfall.

    For DOWN figures a projection above the target is the shortfall, so the sign is flipped.
    """
    projected = projection(fig, point)
    if not computable(projected):
        return projected
    gap = projected - fig.target_value
    return -gap if fig.direction is Direction.DOWN else gap


def progress_ratio(fig: Figure, point: Point) -> Result:
    """R = growth achieved ÷ growth the plan needed over the same elapsed time.

    Open SDG (sdg-build ProgressMeasure) method: actual CAGR ÷ planned CAGR for amounts, actual
    change per year ÷ planned change per year for counts and shares. For DOWN figures both are
    negative, so R keeps meaning "share of the planned pace achieved".
    """
    elapsed = point.year - fig.baseline_year
    if elapsed <= 0:
        return NotComputable(_R_EARLY)
    if _span(fig) <= 0:
        return NotComputable(_R_SPAN)
    if planned_change(fig) == 0:
        return NotComputable(_R_SAME_PACE)
    if _compound_ok(fig) and point.value >= 0:
        return achieved_growth(fig, point) / planned_growth(fig)
    # One division of the raw differences keeps exact inputs exact (76 ÷ 80 is exactly 0.95).
    return ((point.value - fig.baseline_value) * _span(fig)) / (planned_change(fig) * elapsed)


def method(fig: Figure) -> Text:
    """Chinese words naming the formula used for growth and R, for display next to the figure."""
    if fig.kind is Kind.COUNT:
        return Text(gettext_noop("年均增加数量"))
    if fig.kind is Kind.POINTS:
        return Text(gettext_noop("年均增加百分点"))
    if fig.baseline_value == 0:
        return Text(gettext_noop("基数为零，按线性进度估算"))
    if fig.baseline_value < 0:
        return Text(gettext_noop("基数为负数，按线性进度估算"))
    if fig.target_value < 0:
        return Text(gettext_noop("目标值为负数，按线性进度估算"))
    return Text(gettext_noop("复合年均增速"))


def _band(ratio: float) -> Status:
    for edge, band in _BANDS:
        if ratio >= edge - _EPS:
            return band
    return Status.REGRESSING


def status(fig: Figure, point: Point | None) -> Status:
    """Status of one actual: a verdict from the target year on, otherwise a band of R."""
    # Partial-year figures (January–October) are not comparable with a full year.
    if point is None or point.partial or point.year < fig.baseline_year:
        return Status.NO_DATA
    reached = _at_or_beyond(fig, point.value)
    if point.year >= fig.target_year:
        return Status.ACHIEVED if reached else Status.MISSED
    if reached:
        return Status.REACHED
    if planned_change(fig) == 0:
        return Status.REGRESSING  # the plan is to hold a level and the actual has slipped below it
    ratio = progress_ratio(fig, point)
    if not computable(ratio):
        return Status.NO_DATA
    return _band(ratio)


# --- series of actuals --------------------------------------------------------------------------


def _full_years(points: Iterable[Point]) -> list[Point]:
    return sorted((p for p in points if not p.partial), key=lambda p: p.year)


def latest(points: Iterable[Point]) -> Point | None:
    """Latest full-year point; partial-year figures are shown but never drive status."""
    full = _full_years(points)
    return full[-1] if full else None


def status_history(fig: Figure, points: Iterable[Point]) -> list[tuple[int, Status]]:
    """(year, Status) for each full-year point, so officials see how the status moved."""
    return [(p.year, status(fig, p)) for p in _full_years(points)]


def share(part: Number, total: Number) -> Result:
    """part ÷ total, e.g. a chain's share of total industrial output."""
    if float(total) == 0:
        return NotComputable(Text(gettext_noop("总量为零，无法计算占比")))
    return float(part) / float(total)


# --- the bundle a dashboard row needs -----------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """Everything one figure needs on the dashboard, as of `year` (None: all data).

    The numbers every page shows (completion, progress, growth still required, status) are
    worked out at once; the rest (growth achieved, projection, R, the status history, the
    method and the notes) the first time they are read, by the same functions, so a page
    that never shows them (the report workbook's sheets) never computes them.
    """

    figure: Figure
    points: tuple[Point, ...]
    latest: Point | None
    partial: Point | None
    completion: Result
    progress: Result
    planned_growth: Result
    planned_change: float
    required_growth: Result
    status: Status
    year: int | None = None

    @cached_property
    def achieved_growth(self) -> Result:
        return _with_point(achieved_growth, self.figure, self.latest)

    @cached_property
    def projection(self) -> Result:
        return _with_point(projection, self.figure, self.latest)

    @cached_property
    def projection_gap(self) -> Result:
        return _with_point(projection_gap, self.figure, self.latest)

    @cached_property
    def ratio(self) -> Result:
        return _with_point(progress_ratio, self.figure, self.latest)

    @cached_property
    def history(self) -> tuple[tuple[int, Status], ...]:
        return tuple(status_history(self.figure, self._usable))

    @cached_property
    def method(self) -> Text:
        return method(self.figure)

    @cached_property
    def notes(self) -> tuple[Text, ...]:
        notes = _caveats(self.figure, _full_years(self._usable), self.partial, self.year)
        results = (
            self.completion,
            self.progress,
            self.planned_growth,
            self.achieved_growth,
            self.required_growth,
            self.projection,
            self.projection_gap,
            self.ratio,
        )
        for value in results:
            if isinstance(value, NotComputable) and value.reason not in notes:
                notes.append(value.reason)
        return tuple(notes)

    @property
    def _usable(self) -> list[Point]:
        """The points up to the assessment's year."""
        return [p for p in self.points if self.year is None or p.year <= self.year]


def _with_point(fn, fig: Figure, point: Point | None) -> Result:
    return NotComputable(_R_NO_POINT) if point is None else fn(fig, point)


def _latest_partial(points: list[Point], after: Point | None) -> Point | None:
    partials = [p for p in points if p.partial and (after is None or p.year > after.year)]
    return partials[-1] if partials else None


def _caveats(fig: Figure, full: list[Point], part: Point | None, year) -> list[Text]:
    notes = []
    if year is not None and year < fig.baseline_year:
        message = gettext_noop("评估年份早于基数年份（{year}年），尚无可评估的实际值")
        notes.append(Text(message, year=fig.baseline_year))
    if not full:
        notes.append(Text(gettext_noop("暂无全年实际数据，无法判断进度")))
    elif len(full) == 1:
        notes.append(Text(gettext_noop("仅有一个年度实际值，增速按基数与该年计算")))
    if full:
        have = {p.year for p in full}
        gaps = [y for y in range(fig.baseline_year + 1, full[-1].year) if y not in have]
        if gaps:
            message = gettext_noop("缺少{years}年实际值，按已有年份计算")
            notes.append(Text(message, years=tuple(gaps)))
    if part is not None:
        message = gettext_noop("{year}年为部分年度数据（如1—10月），仅供参考，不参与状态判定")
        notes.append(Text(message, year=part.year))
    if fig.kind is Kind.COMPOUND and not _compound_ok(fig):
        notes.append(method(fig))
    return notes


def assess(fig: Figure, points: Iterable[Point], year: int | None = None) -> Assessment:
    """Everything one figure needs on the dashboard, as of `year` (default: all data)."""
    ordered = sorted(points, key=lambda p: (p.year, p.partial))
    usable = [p for p in ordered if year is None or p.year <= year]
    full = [p for p in usable if not p.partial]  # `_full_years`: already in order of year
    last = full[-1] if full else None
    return Assessment(
        figure=fig,
        points=tuple(ordered),
        latest=last,
        partial=_latest_partial(usable, last),
        completion=NotComputable(_R_NO_POINT) if last is None else completion(fig, last.value),
        progress=_with_point(lambda f, p: progress_from_baseline(f, p.value), fig, last),
        planned_growth=planned_growth(fig),
        planned_change=planned_change(fig),
        required_growth=_with_point(required_growth, fig, last),
        status=status(fig, last),
        year=year,
    )


# --- showing the working ------------------------------------------------------------------------


def _short(x: float) -> str:
    """Projections are estimates: one decimal for amounts, more only for small ratios like 0.85."""
    return short_number(half_up(x, 1)) if abs(x) >= 10 else short_number(x)


def _pct(x: float) -> str:
    return f"{half_up(decimal(x) * 100, 1)}%"


def _rate(fig: Figure, rate: float) -> Text:
    if fig.kind is Kind.COMPOUND:  # every compound rate shown is a CAGR, hence a percentage
        return Text(_pct(rate))
    if fig.kind is Kind.POINTS:
        return Text(gettext_noop("{rate}个百分点/年"), rate=short_number(rate))
    return Text(gettext_noop("{rate}/年"), rate=short_number(rate))


def _growth_formula(fig: Figure, start: float, end: float, years: int, rate: Result) -> Text:
    if not computable(rate):
        return rate.reason
    numbers = dict(
        end=short_number(end), start=short_number(start), years=years, rate=_rate(fig, rate)
    )
    if fig.kind is Kind.COMPOUND:
        return Text("({end} ÷ {start})^(1/{years}) − 1 = {rate}", **numbers)
    return Text("({end} − {start}) ÷ {years} = {rate}", **numbers)


# Labels of the rows of the worked calculation.
L_METHOD = Text(gettext_noop("计算方法"))
L_PLANNED_GROWTH = Text(gettext_noop("规划年均增速"))
L_PLANNED_CHANGE = Text(gettext_noop("规划增加量"))
L_COMPLETION = Text(gettext_noop("完成度"))
L_PROGRESS = Text(gettext_noop("较基数进度"))
L_VERSUS_TARGET = Text(gettext_noop("与目标相比"))
L_ACHIEVED_GROWTH = Text(gettext_noop("实际年均增速"))
L_REQUIRED_GROWTH = Text(gettext_noop("所需年均增速"))
L_PROJECTION = Text(gettext_noop("按现有速度预计"))
L_RATIO = Text(gettext_noop("进度比R"))
L_STATUS = Text(gettext_noop("状态"))


def explain(a: Assessment) -> list[tuple[Text, Text]]:
    """(label, formula with the numbers filled in) rows, so an official can redo each step."""
    fig, pt = a.figure, a.latest
    base, target = fig.baseline_value, fig.target_value
    change = dict(
        target=short_number(target), base=short_number(base), change=short_number(a.planned_change)
    )
    rows = [
        (L_METHOD, a.method),
        (L_PLANNED_GROWTH, _growth_formula(fig, base, target, _span(fig), a.planned_growth)),
        (L_PLANNED_CHANGE, Text("{target} − {base} = {change}", **change)),
    ]
    if pt is None:
        rows.append(
            (
                L_STATUS,
                Text(gettext_noop("{status}：{reason}"), status=a.status.label, reason=_R_NO_POINT),
            )
        )
        return rows
    rows += _explain_point(a, fig, pt)
    judged = gettext_noop("{status}（以{year}年实际值判定）")
    rows.append((L_STATUS, Text(judged, status=a.status.label, year=pt.year)))
    return rows


def _explain_point(a: Assessment, fig: Figure, pt: Point) -> list[tuple[Text, Text]]:
    base, target, v = fig.baseline_value, fig.target_value, pt.value
    rows = []
    if computable(a.completion):
        num, den = (target, v) if fig.direction is Direction.DOWN else (v, target)
        numbers = dict(num=short_number(num), den=short_number(den), pct=_pct(a.completion))
        rows.append((L_COMPLETION, Text("{num} ÷ {den} = {pct}", **numbers)))
    else:
        rows.append((L_COMPLETION, a.completion.reason))
    if fig.kind is Kind.POINTS:
        numbers = dict(v=short_number(v), target=short_number(target))
        formula = gettext_noop("{v} − {target}：{words}")
        rows.append((L_VERSUS_TARGET, Text(formula, words=versus_target(fig, v), **numbers)))
    elif computable(a.progress):
        numbers = dict(v=short_number(v), base=short_number(base), target=short_number(target))
        formula = "({v} − {base}) ÷ ({target} − {base}) = {pct}"
        rows.append((L_PROGRESS, Text(formula, pct=_pct(a.progress), **numbers)))
    else:
        rows.append((L_PROGRESS, a.progress.reason))
    elapsed = pt.year - fig.baseline_year
    rows.append((L_ACHIEVED_GROWTH, _growth_formula(fig, base, v, elapsed, a.achieved_growth)))
    remaining = fig.target_year - pt.year
    rows.append((L_REQUIRED_GROWTH, _growth_formula(fig, v, target, remaining, a.required_growth)))
    rows.append((L_PROJECTION, _explain_projection(a, fig)))
    rows.append((L_RATIO, _explain_ratio(a, fig, pt)))
    return rows


def _explain_projection(a: Assessment, fig: Figure) -> Text:
    if not computable(a.projection):
        return a.projection.reason
    projected, gap = _short(a.projection), _short(a.projection_gap)
    message = gettext_noop("{year}年约{projected}，与目标相差{gap}（负数为缺口）")
    return Text(message, year=fig.target_year, projected=projected, gap=gap)


def _explain_ratio(a: Assessment, fig: Figure, pt: Point) -> Text:
    if not computable(a.ratio):
        return a.ratio.reason
    ratio = short_number(a.ratio)
    if _compound_ok(fig) and computable(a.achieved_growth):
        message = gettext_noop("实际年均增速 ÷ 规划年均增速 = {achieved} ÷ {planned} = {ratio}")
        achieved, planned = _rate(fig, a.achieved_growth), _rate(fig, a.planned_growth)
        return Text(message, achieved=achieved, planned=planned, ratio=ratio)
    message = gettext_noop(
        "实际每年变化 ÷ 规划每年变化 = [({value} − {base}) ÷ {elapsed}] ÷ "
        "[({target} − {base}) ÷ {span}] = {ratio}"
    )
    return Text(
        message,
        value=short_number(pt.value),
        base=short_number(fig.baseline_value),
        elapsed=pt.year - fig.baseline_year,
        target=short_number(fig.target_value),
        span=_span(fig),
        ratio=ratio,
    )
