"""What kind of quantity a metric is, and everything that follows from it, decided once.

A metric is an amount (亿元, 公顷: grows by a compound rate), a count (家, 个: grows by a number
a year), a share (%: grows by percentage points) or a rate (a growth rate in %, which may be
negative and is followed in percentage points). Each kind is one `MetricKind` that knows the
engine's growth convention, how many decimals its figures print with, its Excel number format,
and whether figures of different subjects add up (the quality checks sum only those).
Nothing decides by the text of a unit. Pure Python: no Django.
"""

from dataclasses import dataclass

from indicators.engine import formatting
from indicators.engine.progress import Kind as Convention


@dataclass(frozen=True)
class MetricKind:
    code: str  # Metric.Kind's value
    convention: Convention  # how the engine computes growth and progress
    decimals: int  # decimals figures print with
    excel_format: str  # number format of a figure's cell in a workbook
    additive: bool  # subjects' figures add up to the district's
    percent: bool = False  # figures are per cent: "2.5%", stored in a workbook as 0.025
    whole: bool = False  # figures are whole numbers
    negative: bool = False  # figures may be below zero
    # Whether months add up to the year is not a kind's: it is each metric's own flag
    # (`Metric.accumulation`, flow or stock): 产值 adds up, 亩均产值 — also an amount — does not.

    def text(self, x, unit="", lang="zh-hans") -> str:
        """A figure with its unit: "1,389.9 亿元", "5,444 个", "2.5%"."""
        if self.percent:
            return formatting.per_cent(x, self.decimals, lang)
        return formatting.value(x, unit, lang, self.decimals)

    def bare(self, x, lang="zh-hans") -> str:
        """A figure without its unit, for cells under a header that names it."""
        return formatting.number(x, self.decimals, lang)

    def growth(self, rate, unit="", lang="zh-hans") -> str:
        """Growth per year in this kind's convention: +16.2%/年, +8 家/年, +0.24 个百分点/年."""
        return formatting.growth(rate, self.convention.value, unit, lang)

    def cell_value(self, x):
        """A figure as a workbook cell holds it: per cent as a fraction, counts whole."""
        x = formatting.to_float(x)
        if x is None:
            return None
        if self.percent:
            return x / 100
        return int(x) if self.whole and x == int(x) else x


AMOUNT = MetricKind("amount", Convention.COMPOUND, 1, "#,##0.0", additive=True)
COUNT = MetricKind("count", Convention.COUNT, 0, "#,##0", additive=True, whole=True)
SHARE = MetricKind("share", Convention.POINTS, 1, "0.0%", additive=False, percent=True)
RATE = MetricKind("rate", Convention.POINTS, 1, "0.0%", additive=False, percent=True, negative=True)

KINDS = {kind.code: kind for kind in (AMOUNT, COUNT, SHARE, RATE)}


def of(code) -> MetricKind:
    """The kind for a metric's stored code; an unknown code is an error, never a guess."""
    try:
        return KINDS[str(code)]
    except KeyError:
        raise ValueError(f"未知的指标类别“{code}”，应为 {'、'.join(KINDS)} 之一。") from None
