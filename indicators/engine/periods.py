"""Periods of a figure: a full year, 1—N月累计 (cumulative to month N), a quarter.

Pure functions (no Django). The statistics office publishes cumulative figures month by
month ("2025年1—10月 … 1152.5亿元，同比下降0.3%"); this module names a period the way the
office writes it, computes 同比 against the same period of the previous year, and estimates
the full year from a cumulative figure. Like the progress engine, anything that cannot be
computed returns `progress.NotComputable` with a Chinese reason, never an exception; the
trap is the same: `NotComputable` and `0.0` are both falsy, test with `computable()`.

Only additive quantities (amounts such as 产值) add up over months: a count of firms at the
end of October is a level, not a sum, so its full-year estimate is not computable.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from indicators.engine.formatting import percent
from indicators.engine.progress import NotComputable, Result, Text, gettext_noop

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class PeriodKind(StrEnum):
    YEAR = "year"  # 全年
    MONTHS = "months"  # 1—N月累计
    QUARTER = "quarter"  # 第N季度
    OTHER = "other"  # a period the document names in its own words ("2021-2025年累计")


MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# The documents' own words for a period, in English (2021-2025年累计 → 2021-2025 cumulative).
_ENGLISH_WORDS = [
    (re.compile(r"1[-—]1?(\d{1,2})月份?"), lambda m: f"Jan–{MONTH_NAMES[int(m[1]) - 1]}"),
    (re.compile(r"(\d{4}(?:-\d{4})?)年"), r"\1 "),
    (re.compile("累计"), "cumulative"),
    (re.compile("截至报告时"), "as of the report"),
]


def _english(lang) -> bool:
    return bool(lang) and str(lang).lower().startswith("en")


def english_words(text: str) -> str:
    for pattern, replacement in _ENGLISH_WORDS:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def label(kind, month=None, quarter=None, text="", lang="zh-hans") -> str:
    """The period as the office writes it: 全年, 1—10月, 1月, 第三季度, or the document's words
    (in English: full year, Jan–Oct, Jan, Q3, the document's words in English)."""
    kind, english = PeriodKind(kind), _english(lang)
    if kind is PeriodKind.YEAR:
        return "full year" if english else "全年"
    if kind is PeriodKind.MONTHS:
        if english:
            return "Jan" if month == 1 else f"Jan–{MONTH_NAMES[int(month) - 1]}"
        return "1月" if month == 1 else f"1—{month}月"
    if kind is PeriodKind.QUARTER:
        return f"Q{quarter}" if english else f"第{QUARTER_NAMES.get(quarter, quarter)}季度"
    if english:
        return english_words(text) if text else "other period"
    return text or "其他统计期"


def year_label(year, kind, month=None, quarter=None, text="", lang="zh-hans") -> str:
    """The year and its period: 2024年, 2025年1—10月, 2026年第三季度, 2021-2025年累计 (in
    English: 2024, Jan–Oct 2025, Q3 2026, 2021-2025 cumulative)."""
    if _english(lang):
        if PeriodKind(kind) is PeriodKind.YEAR:
            return str(year)
        if PeriodKind(kind) is PeriodKind.OTHER and "年" in text:
            return english_words(text)
        if PeriodKind(kind) is PeriodKind.OTHER:
            return f"{year} ({label(kind, text=text, lang=lang)})"
        return f"{label(kind, month, quarter, text, lang)} {year}"
    if PeriodKind(kind) is PeriodKind.YEAR:
        return f"{year}年"
    if PeriodKind(kind) is PeriodKind.OTHER:
        # The document's words may name their years already ("2021-2025年累计").
        return text if "年" in text else f"{year}年（{label(kind, text=text)}）"
    return f"{year}年{label(kind, month, quarter, text)}"


def sort_key(kind, month=None, quarter=None) -> tuple[int, int]:
    """Order within a year: months by their end, quarters by their end month, the year last."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTHS:
        return (int(month or 0), 0)
    if kind is PeriodKind.QUARTER:
        return (int(quarter or 0) * 3, 1)
    if kind is PeriodKind.YEAR:
        return (12, 2)
    return (0, -1)


def months_covered(kind, month=None, quarter=None):
    """(first month, last month) a period covers: 1—10月 (1, 10), 第三季度 (7, 9), the year
    (1, 12); None for a period in the document's own words."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.YEAR:
        return (1, 12)
    if kind is PeriodKind.MONTHS and month:
        return (1, int(month))
    if kind is PeriodKind.QUARTER and quarter:
        return (int(quarter) * 3 - 2, int(quarter) * 3)
    return None


def within(inner, outer) -> bool:
    """Whether the months `inner` covers all lie in `outer` (and the two differ): for a flow,
    the figure of `inner` cannot exceed that of `outer` (第三季度 ≤ 1—9月 ≤ 1—10月 ≤ 全年)."""
    if inner is None or outer is None or inner == outer:
        return False
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def year_on_year(current, previous) -> Result:
    """同比: this period ÷ the same period of the previous year − 1 (−0.003 is −0.3%)."""
    if current is None or previous is None:
        return NotComputable("缺少上年同期数，无法计算同比")
    if float(previous) == 0:
        return NotComputable("上年同期数为零，无法计算同比")
    return float(current) / float(previous) - 1


@dataclass(frozen=True)
class Estimate:
    """A full-year estimate (预计) and the method it was made by, in words."""

    value: float
    method: str


def full_year_estimate(cumulative, month, last_same=None, last_total=None, last_year=None):
    """Estimate the full year from a 1—`month`月 cumulative figure of an additive quantity.

    Where last year's same months and full year are both known, the cumulative figure is
    divided by the share those months had of last year's total (the office's own rule of
    thumb: the seasonal pattern repeats); otherwise by month/12, assuming even months.
    Returns an Estimate, or NotComputable with the reason.
    """
    if cumulative is None or not month:
        return NotComputable("没有累计数，无法预计全年")
    month = int(month)
    if not 1 <= month <= 11:
        return NotComputable("累计月份须在1至11月之间")
    months = (
        Text(gettext_noop("1月")) if month == 1 else Text(gettext_noop("1—{month}月"), month=month)
    )
    if last_same is not None and last_total is not None and float(last_total) > 0:
        share = float(last_same) / float(last_total)
        if share > 0:
            year = (
                Text(gettext_noop("{year}年"), year=last_year)
                if last_year
                else Text(gettext_noop("上年"))
            )
            method = Text(
                gettext_noop("按{year}{months}占全年的比重{share}推算"),
                year=year,
                months=months,
                share=percent(share),
            )
            return Estimate(float(cumulative) / share, method)
    method = Text(gettext_noop("按{months}月均值×12/{month}推算"), months=months, month=month)
    return Estimate(float(cumulative) * 12 / month, method)


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse(text):
    """(kind, month, quarter) from the way a person writes a period, or None if unreadable.

    "" / 全年 / 年度 → the year; 1—10月, 1-10月份, 1~10月累计 (cumulative, as the office
    reports it) → months to 10 (a bare "10月" is refused: it may mean October alone); 第三季度, 三季度, 3季度, Q3 → the third quarter.
    A 1—12月 figure is the whole year and is read as such.
    """
    raw = str(text or "").strip().replace(" ", "").replace("\u3000", "")
    if raw in ("", "全年", "年度", "1—12月", "1-12月", "1-12月份", "1—12月份", "1—12月累计"):
        return PeriodKind.YEAR, None, None
    words = raw.removesuffix("累计").removesuffix("份").removesuffix("月")
    for dash in ("—", "–", "-", "~", "～", "至"):
        words = words.replace(dash, "-")
    if raw.endswith(("月", "月份", "月累计")):
        start, _, end = words.rpartition("-")
        # A bare "10月" could mean October alone: only 1—N月 is read as cumulative.
        ok_start = start == "1" or (start == "" and end == "1")
        if ok_start and end.isdigit() and 1 <= int(end) <= 12:
            if int(end) == 12:
                return PeriodKind.YEAR, None, None
            return PeriodKind.MONTHS, int(end), None
        return None
    quarter = raw.removeprefix("第").removesuffix("度").removesuffix("季")
    if raw.upper().startswith("Q"):
        quarter = raw[1:]
    elif not raw.endswith(("季度", "季")):
        return None
    number = _CHINESE_DIGITS.get(quarter) or (int(quarter) if quarter.isdigit() else None)
    if number in (1, 2, 3, 4):
        return PeriodKind.QUARTER, None, number
    return None
