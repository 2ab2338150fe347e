"""The latest period of a figure beside its last full year: 同比 and the full-year estimate.

"2025年1—10月 1,152.5 亿元，同比 −0.3%；预计全年 …": the office reads a year in progress by
its cumulative figure, its growth on the same months of the year before, and what the whole
year will come to. This module draws those from one subject's actuals of one metric (already
fetched, so no query of its own) and leaves the arithmetic to `indicators.engine.periods`.
Part-year figures are shown here and never reach the status: `progress.status` ignores them.
"""

from dataclasses import dataclass

from django.utils.translation import gettext

from indicators.engine import formatting, periods, progress
from indicators.models import translated


@dataclass(frozen=True)
class PeriodFigure:
    """The latest part-year actual of one figure, with its 同比 and, if it adds up, 预计全年."""

    actual: object  # Actual
    last_full: object  # the latest full-year Actual before it, or None
    previous: object  # the same period of the year before, or None
    growth: object  # float or NotComputable: 同比 as a ratio (−0.003)
    growth_stated: bool  # True when the document gave the rate and it was recorded as stated
    estimate: object  # periods.Estimate or NotComputable

    @property
    def label(self):
        return self.actual.period_label

    @property
    def value(self):
        return self.actual.value

    def text(self, unit, lang="zh-hans"):
        """ "2025年1—10月 1,152.5 亿元；预计全年 1,383.0 亿元（按1—10月月均值×12/10推算）"."""
        text = f"{self.label} {formatting.value(self.value, unit, lang)}"
        if isinstance(self.estimate, periods.Estimate):
            estimate = formatting.value(self.estimate.value, unit, lang)
            english = str(lang).lower().startswith("en")
            method = translated(self.estimate.method)
            text += (
                f"; {gettext('预计全年')} {estimate} ({method})"
                if english
                else (f"；{gettext('预计全年')} {estimate}（{method}）")
            )
        return text


def _same_period(actuals, actual, year):
    return next(
        (
            a
            for a in actuals
            if a.year == year
            and a.period == actual.period
            and a.month == actual.month
            and a.quarter == actual.quarter
        ),
        None,
    )


def _full_year(actuals, year):
    return next((a for a in actuals if a.year == year and not a.partial), None)


def growth_of(actual, actuals):
    """同比 of `actual`: computed from the same period a year before, else as the document states.

    Returns (ratio or NotComputable, the previous-year actual or None, stated: bool).
    """
    previous = (
        _full_year(actuals, actual.year - 1)
        if not actual.partial
        else _same_period(actuals, actual, actual.year - 1)
    )
    if previous is not None:
        return periods.year_on_year(actual.value, previous.value), previous, False
    if actual.stated_growth is not None:
        return float(actual.stated_growth) / 100, None, True
    return periods.year_on_year(actual.value, None), None, False


def latest_period(actuals, metric, as_of=None):
    """PeriodFigure for the latest part-year actual after the last full year, or None.

    `actuals` are one subject's actuals of `metric` in any order; `as_of` (a year) limits the
    part-year figures considered to that year and the one after it (the year in progress).
    """
    ordered = sorted(actuals, key=lambda a: a.period_key)
    full = [a for a in ordered if not a.partial and (as_of is None or a.year <= as_of)]
    last_full = full[-1] if full else None
    parts = [
        a
        for a in ordered
        if a.partial
        and a.period != a.Period.OTHER
        and (last_full is None or a.year > last_full.year)
        and (as_of is None or a.year <= as_of + 1)
    ]
    if not parts:
        return None
    actual = parts[-1]
    growth, previous, stated = growth_of(actual, ordered)
    return PeriodFigure(
        actual=actual,
        last_full=last_full,
        previous=previous,
        growth=growth,
        growth_stated=stated,
        estimate=estimate_of(actual, ordered, metric),
    )


def estimate_of(actual, actuals, metric):
    """预计全年 from a 1—N月 cumulative figure of a flow (`Metric.accumulation`), or from a
    quarter once every quarter of the year up to it is in (their sum is 1—3Q月)."""
    if not metric.adds_up:
        return progress.NotComputable(f"{metric.name}不是逐月累加的量，不推算全年")
    if actual.period == actual.Period.QUARTER:
        return estimate_from_quarters(actual, actuals)
    if actual.period != actual.Period.MONTHS:
        return progress.NotComputable("只有1—N月累计数或自一季度起连续的季度数可以推算全年")
    last_year = actual.year - 1
    same = _same_period(actuals, actual, last_year)
    total = _full_year(actuals, last_year)
    return periods.full_year_estimate(
        actual.value,
        actual.month,
        last_same=same.value if same and total else None,
        last_total=total.value if same and total else None,
        last_year=last_year,
    )


def _quarters(actuals, year, last):
    """The year's quarters 1…`last` by number, or None if one is missing."""
    found = {a.quarter: a for a in actuals if a.year == year and a.period == a.Period.QUARTER}
    if any(q not in found for q in range(1, last + 1)):
        return None
    return [found[q] for q in range(1, last + 1)]


# A quarter is the quarter's own amount, not a running total: the year is estimated from
# quarters only once every quarter before it is in.
QUARTERS_MISSING = progress.gettext_noop(
    "季度数只是一个季度的量，不是年初以来的累计数；缺{year}年第{quarters}季度，无法累计后推算全年"
)


QUARTERS_SUMMED = progress.gettext_noop("第一至第{quarter}季度合计（即1—{months}月），{method}")
FOUR_QUARTERS = progress.gettext_noop("按第一至第四季度合计")


def estimate_from_quarters(actual, actuals):
    """预计全年 from quarters: 第一至第N季度 add up to 1—3N月, which is estimated as a
    cumulative figure is (by last year's same quarters' share of its total where known)."""
    quarter = actual.quarter
    these = _quarters(actuals, actual.year, quarter)
    if these is None:
        missing = tuple(
            q
            for q in range(1, quarter + 1)
            if not any(
                a.year == actual.year and a.period == a.Period.QUARTER and a.quarter == q
                for a in actuals
            )
        )
        return progress.NotComputable(
            progress.Text(QUARTERS_MISSING, year=actual.year, quarters=missing)
        )
    total = sum(float(a.value) for a in these)
    words = dict(quarter=periods.QUARTER_NAMES[quarter], number=quarter, months=quarter * 3)
    if quarter == 4:
        return periods.Estimate(total, progress.Text(FOUR_QUARTERS))
    last = _quarters(actuals, actual.year - 1, quarter)
    last_total = _full_year(actuals, actual.year - 1)
    estimate = periods.full_year_estimate(
        total,
        quarter * 3,
        last_same=sum(float(a.value) for a in last) if last and last_total else None,
        last_total=last_total.value if last and last_total else None,
        last_year=actual.year - 1,
    )
    if isinstance(estimate, periods.Estimate):
        method = progress.Text(QUARTERS_SUMMED, method=estimate.method, **words)
        return periods.Estimate(estimate.value, method)
    return estimate
