"""Yearly actuals from a spreadsheet: the template, the dry-run check, and applying it.

The workbook is read with openpyxl and every row is validated here rather than through
django-import-export: officials must see, for each bad row, a Chinese message naming the
row, the column and the reason, and two of the refusals (a formula instead of a value, an
Excel error value) are only visible when the file is read with ``data_only=False``, which
import-export's tablib loader does not expose. Row rules themselves stay with the models:
``Metric.value_errors()``, ``Actual.year_bounds()``, ``Actual.is_locked`` and
``permissions.can_edit``'s scope (``editable_subjects``).

Everything is validated in memory after three bulk queries (subjects, metrics, existing
actuals), so a few thousand rows check and apply in well under a second or two.
"""

import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.domain import data_version
from indicators.domain.permissions import editable_subjects
from indicators.engine import formatting, periods
from indicators.models import Actual, Metric, Subject, Target
from indicators.spreadsheets import formats

HEADERS = [
    "对象类别",
    "对象",
    "对象代码",
    "指标",
    "指标代码",
    "单位",
    "基数",
    "目标",
    "年份",
    "统计期",
    "数值",
    "备注",
]
REQUIRED = ["对象代码", "指标代码", "年份", "数值"]
SHEET_NAME = "年度实际值"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WIDTHS = {
    "对象": 28,
    "指标": 30,
    "基数": 26,
    "目标": 26,
    "备注": 30,
    "对象代码": 22,
    "指标代码": 22,
}

# Bounds that keep a hostile or mistaken file from costing more than a few seconds and a
# page of reasonable size: rows read, problems listed, text quoted back, note length.
MAX_ROWS = 5000
MAX_ERRORS = 200
QUOTE_CHARS = 40
MAX_NOTE_CHARS = 1000
# A workbook is a zip: its unpacked size is bounded too (a small file can unpack to gigabytes).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {CREATE: "新增", UPDATE: "修改", UNCHANGED: "无变化"}


class FileRefused(Exception):
    """The file as a whole cannot be read; `message` says why, in Chinese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def quoted(value, limit=QUOTE_CHARS):
    """Text of a cell as a message quotes it: stripped, cut to a readable length."""
    text = str(value).strip()
    if len(text) > limit:
        return f"{text[:limit]}…（共 {len(text)} 个字符）"
    return text


# --- the template ---------------------------------------------------------------------------


def _reference(targets, attr):
    """基数 or 目标: a number when one plan sets it, else each plan's figure in words."""
    values = [getattr(t, attr) for t in targets]
    if len(targets) == 1:
        return formatting.whole_or_decimal(values[0])
    return "；".join(
        f"{t.plan.short_name} {formatting.exact(v)}" for t, v in zip(targets, values, strict=True)
    )


KIND_ORDER = {kind: index for index, kind in enumerate(["district", "chain", "locality", "park"])}


def template_rows():
    """One row per (subject, metric) any plan sets a target for: district, chains, localities, parks."""
    pairs = {}
    for target in Target.objects.with_related().order_by("plan__base_year", "plan__slug"):
        pairs.setdefault((target.subject, target.metric), []).append(target)
    return sorted(
        pairs.items(),
        key=lambda item: (
            KIND_ORDER.get(item[0][0].kind, 9),
            item[0][0].order,
            item[0][0].slug,
            item[0][1].order,
            item[0][1].slug,
        ),
    )


def template(year):
    """The workbook staff fill in for `year`: the importer's header row, the value empty."""
    # openpyxl (with lxml, some 20 MB; numpy left out: formats.without_numpy) is loaded by
    # the first template or upload, not by every worker that imports the admin.
    with formats.without_numpy():
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append(HEADERS)
    for (subject, metric), targets in template_rows():
        ws.append(
            [
                subject.get_kind_display(),
                subject.name,
                subject.slug,
                metric.name,
                metric.slug,
                metric.unit,
                _reference(targets, "baseline_value"),
                _reference(targets, "target_value"),
                year,
                "全年",
                None,
                None,
            ]
        )
    for column, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS.get(header, 10)
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    for line in (
        f"在“{SHEET_NAME}”表的“数值”列填写{year}年的数值，不填的行不导入。",
        "“统计期”列：全年数填“全年”；1至N月的累计数填“1—N月”（如“1—10月”）；"
        "季度数填“第一季度”至“第四季度”。同一行的数值须与统计期一致。",
        "请勿修改第1行表头和“对象代码”“指标代码”列；“对象”“指标”“单位”“基数”“目标”仅供参考。",
        "数值只填数字：金额以亿元计，数量填整数，百分比填 0 到 100 之间的数字（如 2.5 表示 2.5%）。",
        "请填写数值而不是公式；导入后为草稿，送审并审核通过后才在看板上显示。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    return wb


# --- reading the file -----------------------------------------------------------------------


def _size_text(size):
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def size_problem(size):
    """The message for a file over the stated limit (settings.BEICHEN_IMPORT_MAX_BYTES)."""
    limit = settings.BEICHEN_IMPORT_MAX_BYTES
    if size > limit:
        return f"文件大小为 {_size_text(size)}，超过导入上限 {_size_text(limit)}，请分批导入。"
    return None


def refuse_file(data):
    """Refuse a file that is empty, too big, encrypted, a renamed CSV or not a workbook."""
    if not data:
        raise FileRefused("文件是空的（0 字节），请选择填写好的 .xlsx 模板。")
    if problem := size_problem(len(data)):
        raise FileRefused(problem)
    if data.startswith(OLE_MAGIC):
        raise FileRefused(
            "文件设有打开密码，或是旧版 .xls 格式，无法读取。"
            "请取消密码，另存为“Excel 工作簿（.xlsx）”后再导入。"
        )
    if not data.startswith(b"PK"):
        if _looks_like_text(data):
            raise FileRefused(
                "文件内容是 CSV 或文本，不是 Excel 工作簿（只是扩展名为 .xlsx）。"
                "请用 Excel 打开后另存为“Excel 工作簿（.xlsx）”再导入。"
            )
        raise FileRefused("文件已损坏或不是 Excel 工作簿，无法读取。请重新下载模板填写后再导入。")


def _looks_like_text(data):
    sample = data[:4096]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "\x00" not in text
    return False


def unpacked_problem(data):
    """The message for a workbook whose unpacked parts exceed MAX_UNPACKED_BYTES."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # open_sheet words the corrupt file
    if unpacked > MAX_UNPACKED_BYTES:
        return (
            f"文件解压后为 {_size_text(unpacked)}，超过上限 {_size_text(MAX_UNPACKED_BYTES)}"
            "（可能含有超长的单元格内容或大量空行）。请只保留模板中的数据后再导入。"
        )
    return None


def open_sheet(data):
    with formats.without_numpy():
        from openpyxl import load_workbook  # loaded by the first upload, as in `template`

    if problem := unpacked_problem(data):
        raise FileRefused(problem)
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as error:
        raise FileRefused(
            "文件已损坏或不是 Excel 工作簿，无法读取。请重新下载模板填写后再导入。"
        ) from error
    except Exception as error:  # openpyxl raises many kinds on malformed XML
        raise FileRefused(
            "文件已损坏或不是 Excel 工作簿，无法读取。请重新下载模板填写后再导入。"
        ) from error
    if SHEET_NAME in wb.sheetnames:
        return wb[SHEET_NAME]
    return wb.worksheets[0]


def header_positions(first_row, sheet_title):
    """Column index of each header; refuses an empty or incomplete header row."""
    expected = "、".join(HEADERS)
    names = [str(c.value).strip() if c.value is not None else "" for c in first_row or ()]
    if not any(names):
        raise FileRefused(f"工作表“{sheet_title}”第1行没有表头。第1行应为：{expected}。")
    positions = {name: index for index, name in enumerate(names) if name}
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        listed = "".join(f"“{name}”" for name in missing)
        raise FileRefused(f"第1行表头缺少{listed}列。第1行应为：{expected}。")
    return positions


@dataclass
class RawRow:
    number: int  # the row number Excel shows
    cells: dict  # header → openpyxl cell


def read_rows(data):
    """The file's data rows, keyed by header; raises FileRefused for an unreadable file."""
    refuse_file(data)
    ws = open_sheet(data)
    rows = ws.iter_rows()
    try:
        first = next(rows)
    except StopIteration:
        raise FileRefused(
            f"工作表“{ws.title}”是空的，没有表头和数据。请使用下载的模板填写。"
        ) from None
    except Exception as error:
        raise FileRefused(
            "文件已损坏或不是 Excel 工作簿，无法读取。请重新下载模板填写后再导入。"
        ) from error
    positions = header_positions(first, ws.title)
    result = []
    # Rows are read lazily (read-only mode) and reading stops past MAX_ROWS, so a file of
    # any length is answered in about the time of MAX_ROWS rows.
    for number, row in enumerate(_guarded(rows), start=2):
        if number > MAX_ROWS + 1:
            raise FileRefused(
                f"文件超过 {MAX_ROWS} 行数据，已在第 {number} 行停止读取，未导入任何数据。"
                f"请分批导入，每个文件不超过 {MAX_ROWS} 行。"
            )
        cells = {name: row[i] for name, i in positions.items() if i < len(row)}
        if any(_filled(c) for c in cells.values()):
            result.append(RawRow(number, cells))
    return result


def _guarded(rows):
    """The sheet's rows; malformed XML further down the file refuses the file, not the server."""
    try:
        yield from rows
    except Exception as error:  # openpyxl raises many kinds on malformed XML
        raise FileRefused(
            "文件已损坏或不是 Excel 工作簿，无法读取。请重新下载模板填写后再导入。"
        ) from error


def _filled(cell):
    return cell is not None and cell.value is not None and str(cell.value).strip() != ""


# --- checking rows --------------------------------------------------------------------------


@dataclass
class Row:
    """One filled row of the file and what importing it would do."""

    number: int
    subject: Subject | None = None
    metric: Metric | None = None
    year: int | None = None
    period: str = periods.PeriodKind.YEAR.value
    month: int | None = None
    quarter: int | None = None
    value: Decimal | None = None
    note: str = ""
    existing: Actual | None = None
    errors: list = field(default_factory=list)

    action: str = CREATE
    old: Decimal | None = None  # the value before the import, kept for the preview

    def decide(self):
        """Fix what this row does, before applying it changes `existing`."""
        if self.existing is None:
            self.action, self.old = CREATE, None
            return
        self.old = self.existing.value
        same_note = not self.note or self.note == self.existing.note
        unchanged = self.existing.value == self.value and same_note
        self.action = UNCHANGED if unchanged else UPDATE

    @property
    def key(self):
        """Which actual the row is for: subject, metric, year and period."""
        return (self.subject.pk, self.metric.pk, self.year, self.period, self.month, self.quarter)

    @property
    def period_label(self):
        return periods.year_label(self.year, self.period, self.month, self.quarter)

    @property
    def action_label(self):
        return "错误" if self.errors else ACTION_LABELS[self.action]


@dataclass
class Preview:
    """What a file would do: each filled row's action, or why the file or a row is refused."""

    filename: str
    rows: list = field(default_factory=list)
    file_error: str = ""
    skipped: int = 0  # template rows left without a value
    unchecked: int = 0  # rows not checked once MAX_ERRORS problems were found

    @property
    def errors(self):
        return [self.file_error] if self.file_error else [e for r in self.rows for e in r.errors]

    @property
    def listed_errors(self):
        """The problems the page lists: at most MAX_ERRORS."""
        return self.errors[:MAX_ERRORS]

    @property
    def unlisted(self):
        """What the page does not list: problems past MAX_ERRORS, and rows left unchecked."""
        more = len(self.errors) - MAX_ERRORS
        parts = []
        if more > 0:
            parts.append(f"另有 {more} 处问题未列出")
        if self.unchecked:
            parts.append(f"其后 {self.unchecked} 行未检查")
        if not parts:
            return ""
        return f"问题较多，只列出前 {MAX_ERRORS} 处；" + "，".join(parts) + "。请改正后重新上传。"

    def of(self, action):
        return [r for r in self.rows if not r.errors and r.action == action]

    @property
    def created(self):
        return self.of(CREATE)

    @property
    def changed(self):
        return self.of(UPDATE)

    @property
    def unchanged(self):
        return self.of(UNCHANGED)

    @property
    def can_apply(self):
        return not self.errors and bool(self.created or self.changed)


KIND_WORDS = {
    "产业链": "产业链",
    "属地": "属地（开发区或镇）",
    "园区": "园区",
    "全区": "对象",
}


def cell_problem(number, column, cell):
    """A formula or an Excel error value where a plain value belongs; None when fine."""
    if cell is None:
        return None
    if cell.data_type == "f":
        return (
            f"第{number}行“{column}”列是公式“{quoted(cell.value)}”，不是数值。"
            "请复制后“选择性粘贴→数值”，再导入。"
        )
    if cell.data_type == "e":
        return f"第{number}行“{column}”列是 Excel 错误值 {quoted(cell.value)}，请改为填写数字。"
    return None


def _text(cell):
    return "" if cell is None or cell.value is None else str(cell.value).strip()


VALUE_FIELD = Actual._meta.get_field("value")
# What the 数值 column holds (max_digits=16, decimal_places=4): 12 digits before the point.
INTEGER_DIGITS = VALUE_FIELD.max_digits - VALUE_FIELD.decimal_places
# No number the column holds needs more characters than this in a cell.
NUMBER_CHARS = 64


def parse_number(number, column, cell):
    """(Decimal, None) or (None, message) for a number cell; never raises.

    Accepts exactly what the admin form accepts for Actual.value: at most
    INTEGER_DIGITS digits before the point and decimal_places after it.
    """
    raw = cell.value if cell is not None else None
    if raw is None or isinstance(raw, bool):
        return None, f"第{number}行“{column}”列：“{quoted(raw or '')}”不是数字。"
    text = str(raw).strip().replace(",", "")
    if len(text) > NUMBER_CHARS:
        return None, f"第{number}行“{column}”列：“{quoted(raw)}”不是数字。"
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        return None, f"第{number}行“{column}”列：“{quoted(raw)}”不是数字。"
    if not value.is_finite():
        return None, f"第{number}行“{column}”列：“{quoted(raw)}”不是数字。"
    if value and value.adjusted() >= INTEGER_DIGITS:
        shown = raw if isinstance(raw, str) else format(value, "f")
        return None, (
            f"第{number}行“{column}”列：{quoted(shown)} 超出可填写的范围，"
            f"整数部分最多 {INTEGER_DIGITS} 位（金额以亿元计）。"
        )
    places = VALUE_FIELD.decimal_places
    fitted = value.quantize(Decimal(1).scaleb(-places))
    if value != fitted:
        return None, (
            f"第{number}行“{column}”列：{quoted(raw)} 小数位数过多，最多保留 {places} 位小数。"
        )
    # 2.50000 and 0E-7 are the numbers 2.5 and 0, as the form would store them.
    plain = fitted.normalize()
    return (plain.quantize(Decimal(1)) if plain.as_tuple().exponent > 0 else plain), None


YEAR_TEXT = re.compile(r"(\d{1,4})(?:\.0*)?", re.ASCII)


def parse_year(number, cell, bounds):
    """(year, None) or (None, message) for the 年份 cell; never raises."""
    raw = _text(cell)
    match = YEAR_TEXT.fullmatch(raw)
    year = int(match[1]) if match else None
    if year is None:
        return None, f"第{number}行“年份”列：“{quoted(raw)}”不是四位年份。"
    low, high = bounds
    if not low <= year <= high:
        # Actual.clean() words the same rule the same way for a single entry.
        return None, (
            f"第{number}行“年份”列：年份须在 {low} 年至 {high} 年之间（填写的是 {year} 年）。"
        )
    return year, None


class Checker:
    """Validates rows against the database, fetched once up front."""

    def __init__(self, user):
        self.user = user
        self.subjects = {s.slug: s for s in Subject.objects.all()}
        self.metrics = {m.slug: m for m in Metric.objects.all()}
        self.editable = set(editable_subjects(user).values_list("pk", flat=True))
        self.bounds = Actual.year_bounds()
        self.seen = {}

    def row(self, raw):
        n, cells = raw.number, raw.cells
        row = Row(n)
        for column in ("对象代码", "指标代码", "年份", "统计期", "数值", "备注"):
            if problem := cell_problem(n, column, cells.get(column)):
                row.errors.append(problem)
        if row.errors:
            return row
        row.subject = self.subject(row, cells)
        row.metric = self.metric(row, cells)
        row.year, problem = parse_year(n, cells.get("年份"), self.bounds)
        if problem:
            row.errors.append(problem)
        if problem := self.period(row, cells):
            row.errors.append(problem)
        row.value, problem = parse_number(n, "数值", cells.get("数值"))
        if problem:
            row.errors.append(problem)
        row.note = _text(cells.get("备注"))
        if len(row.note) > MAX_NOTE_CHARS:
            row.errors.append(
                f"第{n}行“备注”列有 {len(row.note)} 个字符，最多 {MAX_NOTE_CHARS} 个，请精简。"
            )
        if row.metric and row.value is not None:
            row.errors += [f"第{n}行“数值”列：{m}" for m in row.metric.value_errors(row.value)]
        if row.subject and row.subject.pk not in self.editable:
            row.errors.append(f"第{n}行“对象代码”列：您没有填报“{row.subject.name}”数据的权限。")
        self.duplicate(row)
        return row

    def period(self, row, cells):
        """Read the optional 统计期 column (empty means the whole year); a message if unreadable."""
        text = _text(cells.get("统计期"))
        parsed = periods.parse(text)
        if parsed is None:
            return (
                f"第{row.number}行“统计期”列：“{text}”不是可识别的统计期，"
                "请填写“全年”、“1—N月”（如“1—10月”）或“第一季度”至“第四季度”。"
            )
        kind, row.month, row.quarter = parsed
        row.period = kind.value
        return None

    def subject(self, row, cells):
        code = _text(cells.get("对象代码"))
        if not code:
            row.errors.append(f"第{row.number}行“对象代码”列为空，请填写对象代码。")
            return None
        subject = self.subjects.get(code)
        if subject is None:
            word = KIND_WORDS.get(_text(cells.get("对象类别")), "产业链、属地或园区")
            row.errors.append(f"第{row.number}行“对象代码”列：没有代码为“{quoted(code)}”的{word}。")
        return subject

    def metric(self, row, cells):
        code = _text(cells.get("指标代码"))
        if not code:
            row.errors.append(f"第{row.number}行“指标代码”列为空，请填写指标代码。")
            return None
        metric = self.metrics.get(code)
        if metric is None:
            row.errors.append(f"第{row.number}行“指标代码”列：没有代码为“{quoted(code)}”的指标。")
        return metric

    def duplicate(self, row):
        if not (row.subject and row.metric and row.year):
            return
        key = row.key
        if key in self.seen:
            row.errors.append(
                f"第{row.number}行与第{self.seen[key]}行重复：{row.subject.name}"
                f"“{row.metric.name}”{row.period_label}只能填写一次。"
            )
        else:
            self.seen[key] = row.number


def attach_existing(rows):
    """Link each valid row to the actual it would change, in one query."""
    keyed = [r for r in rows if r.subject and r.metric and r.year]
    if not keyed:
        return
    existing = list(
        Actual.objects.filter(
            subject_id__in={r.subject.pk for r in keyed},
            metric_id__in={r.metric.pk for r in keyed},
            year__in={r.year for r in keyed},
        )
    )
    check_cumulative(keyed, existing)
    by_key = {
        (a.subject_id, a.metric_id, a.year, a.period, a.month, a.quarter): a for a in existing
    }
    for row in keyed:
        row.existing = by_key.get(row.key)
        row.decide()
        if row.existing and row.existing.is_locked and not row.errors and row.action != UNCHANGED:
            row.errors.append(
                f"第{row.number}行“数值”列：{row.subject.name}“{row.metric.name}”{row.period_label}"
                f"的数值 {formatting.exact(row.existing.value)} 已审核，不能通过导入修改；"
                "如需更正，请审核人员先重新打开该数值。"
            )


def check_cumulative(rows, existing):
    """For flows (`Metric.accumulation`), a period cannot exceed one that holds its months:
    1—N月 ≤ a later 1—M月 ≤ the year, and a quarter ≤ the 1—N月 that covers it (file and DB)."""
    spans = {}  # (subject, metric, year) → {(first, last month): (value, where)}
    for actual in existing:
        if (months := actual.months) is not None:
            where = f"已有的{actual.period_label}"
            spans.setdefault((actual.subject_id, actual.metric_id, actual.year), {})[months] = (
                actual.value,
                where,
            )
    adding = [r for r in rows if not r.errors and r.metric.adds_up and row_months(r)]
    for row in adding:
        where = f"第{row.number}行的{row.period_label}"
        spans.setdefault((row.subject.pk, row.metric.pk, row.year), {})[row_months(row)] = (
            row.value,
            where,
        )
    for row in adding:
        months, unit = row_months(row), row.metric.unit
        for other, (value, where) in spans[(row.subject.pk, row.metric.pk, row.year)].items():
            if periods.within(months, other) and row.value > value:
                row.errors.append(
                    f"第{row.number}行“数值”列：{row.metric.name}是累计数，"
                    f"{row.period_label}的 {formatting.exact(row.value)} {unit} "
                    f"不能大于{where} {formatting.exact(value)} {unit}，请核对。"
                )
            elif periods.within(other, months) and row.value < value:
                row.errors.append(
                    f"第{row.number}行“数值”列：{row.metric.name}是累计数，"
                    f"{row.period_label}的 {formatting.exact(row.value)} {unit} "
                    f"不能小于{where} {formatting.exact(value)} {unit}，请核对。"
                )


def row_months(row):
    return periods.months_covered(row.period, row.month, row.quarter)


def check(data, filename, user):
    """The dry run: what importing `data` would create and change, and every problem."""
    preview = Preview(filename)
    try:
        raw_rows = read_rows(data)
    except FileRefused as refused:
        preview.file_error = refused.message
        return preview
    checker = Checker(user)
    found = 0
    for index, raw in enumerate(raw_rows):
        if found >= MAX_ERRORS:
            # Enough to fix for one round; the rest is counted, not checked.
            preview.unchecked = len(raw_rows) - index
            break
        if not _filled(raw.cells.get("数值")):
            preview.skipped += 1
            continue
        row = checker.row(raw)
        found += len(row.errors)
        preview.rows.append(row)
    attach_existing(preview.rows)
    if not preview.rows and not preview.file_error:
        preview.file_error = "文件中没有填写数值的行，没有可导入的数据。"
    return preview


# --- applying -------------------------------------------------------------------------------


def change_reason(filename):
    return f"表格导入：{filename}"[:100]


def apply(data, filename, user):
    """Check the file again and apply it in one transaction; returns the Preview applied.

    Nothing is written when the file or any row has a problem.
    """
    with transaction.atomic():
        preview = check(data, filename, user)
        if preview.errors:
            return preview
        reason, now, source = change_reason(filename), timezone.now(), change_reason(filename)
        new = [
            Actual(
                subject=r.subject,
                metric=r.metric,
                year=r.year,
                period=r.period,
                month=r.month,
                quarter=r.quarter,
                value=r.value,
                note=r.note,
                source=source,
                state=Actual.State.DRAFT,
                entered_by=user,
            )
            for r in preview.created
        ]
        bulk_create_with_history(new, Actual, default_user=user, default_change_reason=reason)
        changed = []
        for row in preview.changed:
            actual = row.existing
            actual.value, actual.state, actual.entered_by = row.value, Actual.State.DRAFT, user
            actual.note = row.note or actual.note
            actual.source, actual.document, actual.updated = source, None, now
            actual.version += 1  # an entry form opened before the import will be told
            changed.append(actual)
        fields = [
            "value",
            "note",
            "state",
            "entered_by",
            "source",
            "document",
            "updated",
            "version",
        ]
        bulk_update_with_history(
            changed, Actual, fields, default_user=user, default_change_reason=reason
        )
        data_version.bump()  # bulk writes send no save signals
    return preview
