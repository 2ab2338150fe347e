"""Numbers as Chinese officials read them: 1,389.9 亿元, 107.6%, 5,444 个, +16.2%/年, 2024年.

Pure functions (no Django): the template filters in `indicators/templatetags/dashboard.py`
call them with the page's language, and exports use `spreadsheet_safe`. Anything that is not
a number (None, the engine's NotComputable) prints as a dash, never as "None" or "nan".
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel.numbers import format_decimal

DASH = "—"

# Cells a spreadsheet would read as the start of a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_number(x) -> bool:
    return isinstance(x, (int, float, Decimal)) and not isinstance(x, bool)


def _english(lang) -> bool:
    return bool(lang) and str(lang).lower().startswith("en")


def _locale(lang) -> str:
    return "en" if _english(lang) else "zh_Hans_CN"


# Computed ratios carry binary noise (1.2625 × 100 is 126.24999999999999 as a float); digits
# beyond this many decimals are noise and are dropped before rounding half up.
_NOISE_DIGITS = 9


def decimal(x) -> Decimal:
    """A number as the Decimal it stands for: a float by its shortest written form (126.25 for
    1.2625 × 100), so rounding is decided on the figure as written, not its binary neighbour."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    d = Decimal(repr(float(x)))
    if d.is_finite() and d.as_tuple().exponent < -_NOISE_DIGITS:
        d = d.quantize(Decimal(1).scaleb(-_NOISE_DIGITS))
    return d


def half_up(x, decimals=1) -> Decimal:
    """Rounded half up as officials round (126.25 → 126.3, −0.25 → −0.3), never to the even
    neighbour as Python's round() does; the only rounding every printed figure goes through."""
    d = decimal(x)
    if not d.is_finite():
        return d
    rounded = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded if rounded != 0 else abs(rounded)  # never print "-0.0"


@cache
def _grouped_like_python(locale) -> bool:
    """Whether babel's "#,##0.0" in `locale` writes what Python's "," format does (groups of
    three, "," between them, "." before the decimals, "-" before a negative number): then a
    rounded figure is formatted by Python, the same text without babel parsing its pattern
    and locale on each of the hundreds of numbers a page prints. Asked of babel once."""
    probes = (Decimal("-1234567.5"), Decimal("1234.0"), Decimal("12"), Decimal("0.5"))
    return all(
        format_decimal(d, "#,##0.0", locale=locale) == f"{d:,.1f}"
        and format_decimal(d, "#,##0", locale=locale) == f"{d:,.0f}"
        for d in probes
    )


def number(x, decimals=1, lang="zh-hans") -> str:
    """Grouped number with a fixed count of decimals, rounded half up: 1,389.9; 5,444."""
    if not is_number(x):
        return DASH
    # Pages print the same figures over and over (a chart's table, its card, the report):
    # each distinct (type, value, decimals, language) is formatted once. The type is part of
    # the key because a float is read by its shortest written form (`decimal`), which a
    # Decimal of equal value need not share.
    try:
        return _number(type(x), x, decimals, _locale(lang))
    except TypeError:  # an unhashable value (a signalling NaN)
        return _format_number(x, decimals, _locale(lang))


@lru_cache(maxsize=8192)
def _number(_type, x, decimals, locale) -> str:
    return _format_number(x, decimals, locale)


def _format_number(x, decimals, locale) -> str:
    rounded = half_up(x, decimals)
    if rounded.is_finite() and _grouped_like_python(locale):
        # Already rounded to `decimals`: Python only groups and pads, as babel would.
        return f"{rounded:,.{decimals}f}"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(rounded, pattern, locale=locale)


def value(x, unit="", lang="zh-hans", decimals=1) -> str:
    """A figure in its unit: "1,389.9 亿元", "354.0 万元/亩"; a metric's kind
    (`indicators.engine.kinds`) says how many decimals. The unit is given in the page's
    language (a metric's `display_unit`: English from fixtures/english.yaml)."""
    if not is_number(x):
        return DASH
    text = number(x, decimals, lang)
    return f"{text} {unit}" if unit else text


def per_cent(x, decimals=1, lang="zh-hans") -> str:
    """A figure already in per cent: 30.6 → "30.6%"."""
    if not is_number(x):
        return DASH
    return f"{number(x, decimals, lang)}%"


def percent(ratio, lang="zh-hans", decimals=1) -> str:
    """A ratio as a percentage to one decimal, rounded half up: 1.0757 → "107.6%",
    101 ÷ 80 = 1.2625 → "126.3%"."""
    if not is_number(ratio):
        return DASH
    return per_cent(decimal(ratio) * 100, decimals, lang)


def _signed(text: str, x: float) -> str:
    return text if text.startswith("-") or x < 0 else f"+{text}"


def growth(rate, kind, unit="", lang="zh-hans") -> str:
    """Growth per year in the figure's own kind.

    kind "compound" → "+16.2%/年"; "count" → "+8 家/年"; "points" → "+0.24 个百分点/年".
    """
    if not is_number(rate):
        return DASH
    rate = float(rate)
    per_year = "/yr" if _english(lang) else "/年"
    kind = str(kind)
    if kind == "compound":
        return _signed(f"{number(rate * 100, 1, lang)}%", rate) + per_year
    if kind == "points":
        points = "pp" if _english(lang) else " 个百分点"
        return _signed(number(rate, 2, lang), rate) + points + per_year
    decimals = 0 if rate == int(rate) else 1
    label = unit
    text = _signed(number(rate, decimals, lang), rate)
    return f"{text} {label}{per_year}" if label else f"{text}{per_year}"


# How a report cell shows its value (the workbook's number formats and the printable page's
# text); a figure's cell uses its metric kind's code instead (`cell` is given the kind).
PERCENT, NUMBER, YEAR, TEXT, STATUS = "percent", "number", "year", "text", "status"
POINTS, POINTS_PA, PER_YEAR = "points", "points_pa", "per_year"
STATED_PERCENT = "stated_percent"  # a per cent as stated, kept as a fraction: 0.01 → 1%
COUNT_PA = "count_pa"  # a count per year with its unit: 85家/年, 42.5家/年
STATED = "stated"  # an amount exactly as the document states it: 2,948.85 · 1,474.425


def with_unit(text, unit, lang="zh-hans") -> str:
    """A number's text with its unit as a report cell writes it: "400家", English "400 firms"."""
    label = unit
    if not label:
        return text
    return f"{text} {label}" if _english(lang) else f"{text}{label}"


def count_per_year(x, unit="", lang="zh-hans") -> str:
    """A count per year: whole when it is whole (85家/年, never 85.0/年), else to 0.1."""
    decimals = 0 if half_up(x, 1) == half_up(x, 0) else 1
    per_year = "/yr" if _english(lang) else "/年"
    return with_unit(number(x, decimals, lang), unit, lang) + per_year


def cell(x, fmt, lang="zh-hans", kind=None, unit="") -> str:
    """A report cell's value as the printable page shows it, matching the workbook's number
    format: 1,389.9 · 715 · 107.6% · 0.30个百分点/年. `kind` is the metric kind (decimals, per
    cent) of a figure's cell; text prints as it is, nothing as an empty cell."""
    if x is None or x == "":
        return ""
    if isinstance(x, str):
        return x
    if fmt == COUNT_PA:
        return count_per_year(x, unit, lang)
    if fmt == STATED_PERCENT:
        return stated(decimal(x) * 100, lang) + "%"
    if unit and kind is not None and not kind.percent:
        return with_unit(number(x, kind.decimals, lang), unit, lang)
    if fmt == PERCENT or (kind is not None and kind.percent):
        return percent(x, lang)
    if fmt == YEAR:
        return str(x)
    if kind is not None:
        return number(x, kind.decimals, lang)
    if fmt == STATED:
        return stated(x, lang)
    decimals = {POINTS: 2, POINTS_PA: 2, PER_YEAR: 1}.get(fmt, 2)
    per_year = "/yr" if _english(lang) else "/年"
    points = "pp" if _english(lang) else "个百分点"
    suffix = {POINTS: points, POINTS_PA: points + per_year, PER_YEAR: per_year}.get(fmt, "")
    return number(x, decimals, lang) + suffix


def year(y, lang="zh-hans") -> str:
    """A year as a year: "2024年" (English "2024"), never "2,024"."""
    if y is None or y == "":
        return DASH
    return str(int(y)) if _english(lang) else f"{int(y)}年"


def looks_like_formula(cell) -> bool:
    """Text a spreadsheet would run as a formula: the one rule every export path follows."""
    return isinstance(cell, str) and cell.startswith(_FORMULA_PREFIXES)


def spreadsheet_safe(cell):
    """Neutralise text a spreadsheet would run as a formula ("=HYPERLINK(…)" → "'=HYPERLINK(…)").

    For exports written as text (CSV, django-tables2 and admin exports); the report workbook
    marks such cells as text instead. Numbers are left as numbers so figures stay computable.
    """
    if looks_like_formula(cell):
        return "'" + cell
    return cell


def to_float(x):
    """A stored or computed figure as a float; None for None and for what the engine cannot compute."""
    return float(x) if is_number(x) else None


def short_number(x: float) -> str:
    """A computed number in a worked calculation: 39.8, 700, 0.24 (at most four decimals, no
    trailing zeros, never "-0")."""
    text = f"{half_up(x, 4):f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def exact(x) -> str:
    """A stored Decimal as the document prints it, every digit kept: 330, 1294.1, 4.3 (— for none)."""
    if x is None:
        return DASH
    return f"{Decimal(x).normalize():f}"


def exact_signed(x) -> str:
    """A difference with its sign: +3.4, -12, 0."""
    return f"+{exact(x)}" if x > 0 else exact(x)


def whole_or_decimal(x):
    """330 for Decimal("330.0000"), 4.3 for Decimal("4.30"): a cell value without trailing zeros."""
    if x is None:
        return None
    x = Decimal(str(x)).normalize()
    return int(x) if x == x.to_integral_value() else float(x)


def export_number(x, digits=4):
    """A figure for an export cell: a float rounded to the stored precision, or None."""
    if not is_number(x):
        return None
    return float(half_up(x, digits))


def change(ratio, lang="zh-hans", decimals=1) -> str:
    """A signed change such as 同比 to one decimal: −0.003 → "−0.3%", 0.01 → "+1.0%"."""
    if not is_number(ratio):
        return DASH
    ratio = decimal(ratio)
    text = number(abs(ratio) * 100, decimals, lang)
    if text == number(0, decimals, lang):
        return f"{text}%"
    return f"{'−' if ratio < 0 else '+'}{text}%"


def stated_change(ratio, lang="zh-hans") -> str:
    """A change the document states, with its own digits: 0.01 → "+1%", −0.003 → "−0.3%"."""
    if not is_number(ratio):
        return DASH
    return change(ratio, lang, stated_digits(decimal(ratio) * 100))


def stated(x, lang="zh-hans") -> str:
    """A figure exactly as the document states it, grouped: 2,948.85 · 1,474.425 · 7 · -0.3."""
    if not is_number(x):
        return DASH
    return number(x, stated_digits(x), lang)


def stated_digits(x) -> int:
    """How many decimals a stated figure has: 2 for 2,948.85, 0 for 7 and for 1.00."""
    return -min(0, decimal(x).normalize().as_tuple().exponent)
