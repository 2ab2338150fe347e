"""The report as an Excel workbook: `indicators.reporting.report.Report` in, openpyxl Workbook out.

No queries here. Numbers are written as numbers with a number format (never as text),
status cells are coloured and worded, and each sheet starts with a title row naming the
plans, the year and when it was generated, then a bold, frozen header row.
"""

import re
from io import BytesIO
from math import isinf, isnan

from django.utils.translation import gettext, gettext_noop

from indicators.engine import formatting, kinds, progress
from indicators.models import language_pinned
from indicators.reporting import report
from indicators.spreadsheets.formats import without_numpy

with without_numpy():
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell._writer import write_cell as openpyxl_write_cell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.worksheet import Worksheet
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import xmlfile

NUMBER_FORMATS = {
    **{kind.code: kind.excel_format for kind in kinds.KINDS.values()},
    report.PERCENT: "0.0%",
    report.NUMBER: "#,##0.00",
    report.YEAR: "0",
    report.POINTS: '0.00"个百分点"',
    report.POINTS_PA: '0.00"个百分点/年"',
    report.PER_YEAR: '#,##0.0"/年"',
}


def number_format(item):
    """The cell's number format, with the words that say what its number is: 85"家/年",
    "五年增加"400"家" (the workbook is Chinese, as the documents are)."""
    if item.fmt == report.STATED_PERCENT:
        digits = formatting.stated_digits(formatting.decimal(item.value) * 100)
        base = "0" + ("." + "0" * digits if digits else "") + "%"
    elif item.fmt == report.COUNT_PA:
        whole = formatting.half_up(item.value, 1) == formatting.half_up(item.value, 0)
        base = ("#,##0" if whole else "#,##0.0") + f'"{item.unit}/年"'
    else:
        base = NUMBER_FORMATS.get(item.fmt, "General")
        if item.unit:
            base += f'"{item.unit}"'
    if item.prefix:
        base = f'"{item.prefix}"' + base
    return base


# Fill colours follow the dashboard's badges: green reached, amber slow, red behind.
STATUS_FILLS = {
    progress.Status.ACHIEVED: "C6EFCE",
    progress.Status.REACHED: "C6EFCE",
    progress.Status.ON_TRACK: "DDEBF7",
    progress.Status.ACCELERATE: "FFEB9C",
    progress.Status.LIMITED: "F8CBAD",
    progress.Status.REGRESSING: "FFC7CE",
    progress.Status.MISSED: "FFC7CE",
    progress.Status.NO_DATA: "EDEDED",
}

TITLE_ROW, HEADER_ROW = 1, 2

# A sheet's XML is written in UTF-8, the encoding XML assumes without a declaration (openpyxl
# writes none): a Chinese character takes 3 bytes instead of a character reference's 8, so a
# report at 100× data has 30 MB of sheets to compress instead of 42, and a smaller file.
SHEET_ENCODING = "utf-8"


def write_text(cell, text):
    """Text that looks like a formula (a note “=1+1”, a name “-A”) stays text, by the same rule
    as every other export (`formatting.looks_like_formula`); so does text that spells one of
    Excel's error values (a note “#N/A” is words, not an error)."""
    cell.value = text
    if formatting.looks_like_formula(text) or text in ERROR_CODES:
        cell.data_type = "s"


# One style object of each kind for the whole workbook: openpyxl looks every style up in its
# table, so a new object per cell costs far more than the cell itself.
FILLS = {status: PatternFill("solid", fgColor=colour) for status, colour in STATUS_FILLS.items()}
CENTRED = Alignment(horizontal="center")
TOP, TOP_WRAPPED = (
    Alignment(wrap_text=False, vertical="top"),
    Alignment(wrap_text=True, vertical="top"),
)
TITLE_FONT, HEADER_FONT = Font(bold=True, size=13), Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


class Styles:
    """The workbook's cell styles, each looked up in openpyxl's tables once: a cell takes a
    copy of its style's indices instead of having font, fill, alignment and number format
    looked up one by one."""

    def __init__(self, ws):
        self.ws = ws
        self.found = {}

    def __call__(self, number_format="General", fill=None, alignment=None, font=None):
        # The module's own style objects, by identity: hashing one hashes its every field.
        key = (number_format, id(fill), id(alignment), id(font))
        if key not in self.found:
            cell = WriteOnlyCell(self.ws)
            cell.number_format = number_format
            for name, value in (("fill", fill), ("alignment", alignment), ("font", font)):
                if value is not None:
                    setattr(cell, name, value)
            self.found[key] = cell._style
        return self.found[key]


def styled(ws, value, style):
    cell = WriteOnlyCell(ws)
    if isinstance(value, str):
        write_text(cell, value)
    else:
        cell.value = value
    # Shared, not copied: a streamed cell is written once and its style never changed.
    cell._style = style
    return cell


def shape(value):
    """What a text is made of: its message and values, nested (the Chinese alone can be the
    same for two texts that translate differently: a year's "2024年" and a plain "2024年")."""
    if isinstance(value, progress.Text):
        return (value.message, tuple((k, shape(v)) for k, v in value.values.items()))
    if isinstance(value, tuple):
        return tuple(shape(v) for v in value)
    return (type(value), str(value))


class Texts:
    """Each distinct text of the workbook translated once (a sheet repeats its sources,
    units and names on thousands of rows)."""

    def __init__(self):
        self.found = {}
        # The same text object on many rows (`report.once`) is recognised by identity before
        # its shape is worked out; each is held here, so its id cannot be reused meanwhile.
        self.seen = {}
        self.messages = {}

    def __call__(self, item):
        if item.quoted:
            return item.text
        value = item.value
        seen = self.seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        key = shape(value)
        text = self.found.get(key)
        if text is None:
            text = self.found[key] = self.translated(item, key)
        if isinstance(value, progress.Text):
            self.seen[id(value)] = (value, text)
        return text

    def translated(self, item, key):
        """`item.text` of a text not quoted (`report.words`), each message looked up in the
        catalogue once: a sheet is written in one language (`language_pinned`)."""
        value = item.value
        if type(value) is progress.Text:
            return self.from_shape(value, key)
        if type(value) is str:
            return self.gettext(value) if value else ""
        return item.text

    def from_shape(self, value, key):
        """`value.translate(gettext)` (`progress.Text`), read off its shape: the shape holds
        each value already as text in the page's language, so none is made a second time
        (the 数据质量 sheet's eleven thousand findings each have their own sentence)."""
        message, values = key
        found = {}
        for (name, inner), (_, part) in zip(values, value.values.items(), strict=True):
            if isinstance(part, progress.Text):
                found[name] = self.from_shape(part, inner)
            elif isinstance(part, tuple):
                # A list's items as `Text.translate` joins them: each as its own str().
                found[name] = self.gettext(progress.LIST_SEPARATOR).join(map(str, part))
            else:
                found[name] = inner[1]  # str(part), as `shape` read it
        return self.gettext(message).format(**found)

    def gettext(self, message):
        found = self.messages.get(message)
        if found is None:
            found = self.messages[message] = gettext(message)
        return found


def write_cell(ws, styles, item, texts=None):
    """A report cell as a streamed worksheet cell (None for an empty one)."""
    if isinstance(item.value, progress.Status):
        return styled(ws, item.text, styles(fill=FILLS[item.value], alignment=CENTRED))
    if item.is_number:
        return styled(ws, item.value, styles(number_format(item)))
    if item.value is not None:
        if isinstance(item.value, str):
            text = texts(item) if texts else item.text
        else:
            text = str(item.value)
        return styled(ws, text, styles(alignment=TOP_WRAPPED if len(text) > 40 else TOP))
    return None


# Characters written as they are (escaped as lxml escapes them) into a text cell's XML; a text
# with any other (a control character openpyxl rejects, a carriage return lxml writes as a
# reference) is written by openpyxl itself.
PLAIN_TEXT = re.compile(r"[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd]*")


# Number formats that depend on the number itself, not only on the format, unit and prefix.
VALUE_FORMATS = (report.STATED_PERCENT, report.COUNT_PA)


def number_key(item):
    """What a number cell's XML and printed text depend on: its type and value (0.0 and -0.0
    are equal but written apart; 1 and 1.0 too), its format, unit and prefix."""
    value = item.value
    return (type(value), value or str(value), item.fmt, item.unit, item.prefix)


class ReportRows:
    """A sheet's report rows as XML text, the same bytes as openpyxl writes cell by cell
    (`write_cell`, then openpyxl's cell writer): each distinct cell, by its value and how it
    is shown, is made and written once, and placed again with only its reference changed.

    A cell's XML is kept as the text after its reference, e.g. `" s="4" t="n"><v>0.5</v></c>`
    (in `SHEET_ENCODING`, as lxml writes the sheet). Plain numbers and texts are written
    here; every other cell (empty text, an error code, infinity) by openpyxl, and kept as it
    wrote it."""

    KEPT = 20_000  # distinct cells kept per sheet; beyond that each is made for its place

    def __init__(self, ws, styles, texts):
        self.ws, self.styles, self.texts = ws, styles, texts
        self.found = {}
        self.style_attributes = {}
        self.number_styles = {}
        self.heads = []

    def row(self, cells, row_idx):
        """The row's XML, <row>…</row>, as bytes."""
        number = b"%d" % row_idx
        parts = [b'<row r="', number, b'">']
        found = self.found
        heads = self.heads if len(cells) <= len(self.heads) else self.more_heads(len(cells))
        for head, item in zip(heads, cells, strict=False):
            value = item.value
            kind = type(value)
            # What the cell's XML depends on (0.0 and -0.0 are equal but written apart; 1 and
            # 1.0 too): a plain text's words and whether they are the documents' own.
            if kind is str:
                key = (value, item.quoted)
            elif kind is float or kind is int:
                key = number_key(item)
            elif value is None:
                continue
            else:
                key = self.key(item)
            xml = found.get(key)
            if xml is None:
                xml = self.made(item, key)
            parts += (head, number, xml)
        parts.append(b"</row>")
        return b"".join(parts)

    def key(self, item):
        """The key of any other cell: a status, or its text as written (None: not kept)."""
        value = item.value
        if isinstance(value, progress.Status):
            return value
        if item.is_number:
            return None
        return (self.texts(item) if isinstance(value, str) else str(value),)

    def made(self, item, key):
        xml = self.plain(item)
        if xml is None:
            xml = self.xml(write_cell(self.ws, self.styles, item, self.texts))
        if key is not None and len(self.found) < self.KEPT:
            self.found[key] = xml
        return xml

    def plain(self, item):
        """A plain number's or text's XML, without making a worksheet cell: what `write_cell`
        and openpyxl would write (None for any other cell)."""
        value = item.value
        kind = type(value)
        if kind is float or kind is int:
            if isinf(value) or isnan(value):
                return None
            return b'"%s t="n"><v>%.16g</v></c>' % (self.number_style(item), value)
        if not isinstance(value, str) or isinstance(value, progress.Status):
            return None
        text = self.texts(item)
        # openpyxl keeps 32,767 characters, and writes an error code ("#N/A") as an error.
        if len(text) > 32_767 or not self.is_plain(text) or text.startswith("#"):
            return None
        return self.text_xml(self.styles(alignment=TOP_WRAPPED if len(text) > 40 else TOP), text)

    def number_style(self, item):
        """A number cell's style attribute (`style_attribute`), looked up once for each
        format, unit and prefix: a number's format depends on them alone (`number_format`),
        except a stated percentage's and a count per year's, which depend on the number."""
        key = (item.fmt, item.unit, item.prefix)
        found = self.number_styles.get(key)
        if found is None:
            found = self.style_attribute(self.styles(number_format(item)))
            if item.fmt not in VALUE_FORMATS:
                self.number_styles[key] = found
        return found

    def xml(self, cell):
        """The cell's XML after its reference, as openpyxl's cell writer writes it (lxml's)."""
        value, data_type = cell._value, cell.data_type
        if (
            data_type == "n"
            and type(value) in (int, float)
            and not isinf(value)
            and not isnan(value)
        ):
            return self.number_xml(cell._style, value)
        if data_type == "s" and type(value) is str and self.is_plain(value):
            return self.text_xml(cell._style, value)
        return self.written_by_openpyxl(cell)

    @staticmethod
    def is_plain(text):
        return bool(text) and PLAIN_TEXT.fullmatch(text) is not None

    def number_xml(self, style, value):
        return b'"%s t="n"><v>%s</v></c>' % (self.style_attribute(style), b"%.16g" % value)

    def text_xml(self, style, text):
        space = b' xml:space="preserve"' if text != text.strip() else b""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return b'"%s t="inlineStr"><is><t%s>%s</t></is></c>' % (
            self.style_attribute(style),
            space,
            text.encode(),
        )

    def style_attribute(self, style):
        """As openpyxl's cell writer: the style's index when the cell has a style (registered
        when first written, as openpyxl does)."""
        # The styles are `Styles`' own, kept for the sheet: their ids are not reused meanwhile.
        found = self.style_attributes.get(id(style))
        if found is None:
            index = self.ws.parent._cell_styles.add(style) if any(style) else None
            found = self.style_attributes[id(style)] = b"" if index is None else b' s="%d"' % index
        return found

    def written_by_openpyxl(self, cell):
        cell.row, cell.column = 1, 1
        out = BytesIO()
        with xmlfile(out, encoding=SHEET_ENCODING) as xf:
            openpyxl_write_cell(xf, self.ws, cell, cell.has_style)
        xml = out.getvalue()
        head = b'<c r="A1'
        if not xml.startswith(head):
            raise ValueError(f"openpyxl wrote a cell as {xml[:40]!r}")
        return xml[len(head) :]

    def more_heads(self, columns):
        self.heads = [f'<c r="{get_column_letter(c)}'.encode() for c in range(1, columns + 1)]
        return self.heads


class StreamedSheet(WriteOnlyWorksheet):
    """openpyxl's write-only worksheet for rows of ready cells (`styled`, or None for an empty
    one): each is placed as it is, where openpyxl would first try to read it as a value. Once
    `report_rows` is set, a row appended is one of report cells, which it writes as XML."""

    report_rows = None

    def _get_writer(self):
        if self._writer is None:
            self._writer = StreamedWriter(self)
            self._writer.write_top()

    def _values_to_row(self, values, row_idx):
        for column, cell in enumerate(values, 1):
            if cell is not None:
                cell.column, cell.row = column, row_idx
                yield cell

    def _write_rows(self):
        """openpyxl's (`WriteOnlyWorksheet._write_rows`), each row written by `_write_row`."""
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()

        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    # Passed on, not kept: this frame lives until the workbook is saved.
                    self._write_row(xf, (yield), row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass

        self._writer.xf.send(None)

    def _write_row(self, xf, row, row_idx):
        """A row of report cells goes to the sheet's file as the XML `report_rows` writes (one
        openpyxl would give attributes, such as a height, is made of cells for openpyxl)."""
        rows = self.report_rows
        if rows is not None and row_idx not in self.row_dimensions:
            self._writer.write_xml(xf, rows.row(row, row_idx))
            return
        if rows is not None:
            row = [write_cell(self, rows.styles, item, rows.texts) for item in row]
        self._writer.write_row(xf, self._values_to_row(row, row_idx), row_idx)


class StreamedWriter(WorksheetWriter):
    """openpyxl's sheet writer, writing through a file of its own, into which rows written as
    XML text (`ReportRows`) go between the elements lxml writes."""

    file = None

    def get_stream(self):
        # openpyxl's (`WorksheetWriter.get_stream`), given the open file instead of its name.
        with open(self.out, "wb") as self.file, xmlfile(self.file, encoding=SHEET_ENCODING) as xf:
            with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                try:
                    while True:
                        el = yield
                        if el is True:
                            yield xf
                        elif el is not None:
                            xf.write(el)
                except GeneratorExit:
                    pass

    def write_xml(self, xf, xml):
        xf.flush()  # what lxml has written so far goes first
        self.file.write(xml)


def write_sheet(ws, sheet, heading):
    """One sheet, streamed: everything above and beside the rows (widths, frozen header, print
    setup) is set first, as a write-only worksheet needs, then the title, headers and rows."""
    styles = Styles(ws)
    texts = Texts()
    width = max(len(sheet.headers), 1)
    for column in range(1, len(sheet.headers) + 1):
        ws.column_dimensions[get_column_letter(column)].width = column_width(
            sheet, column - 1, texts
        )
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    page_setup(ws, sheet, heading)
    title = styled(
        ws,
        f"{report.words(sheet.title)} · {heading}",
        styles(font=TITLE_FONT, alignment=TITLE_ALIGNMENT),
    )
    ws.append([title, *([None] * (width - 1))])
    header = styles(fill=HEADER_FILL, alignment=HEADER_ALIGNMENT, font=HEADER_FONT)
    ws.append([styled(ws, report.words(h), header) for h in sheet.headers])
    ws.report_rows = ReportRows(ws, styles, texts)
    for row in sheet.rows:
        ws.append(row)
    ws.report_rows = None  # its cells' XML goes with it


# --- printing -----------------------------------------------------------------------------------

# Column widths are in characters of the default font; a Chinese character takes two.
MIN_WIDTH, MAX_WIDTH = 10, 40
# Wider than this (in characters) and a sheet prints landscape: A4 portrait holds about 90.
PORTRAIT_WIDTH = 90
FOOTER_PAGE = gettext_noop("第 &P 页，共 &N 页")


WIDE = re.compile("[^\x00-\u2e7f]")  # CJK and full-width characters


def text_width(text):
    """Display width of a text: CJK and full-width characters count two, the rest one."""
    text = str(text)
    return len(text) + len(WIDE.findall(text))


WIDTH_ROWS = 1000  # a column's width is read from its first thousand rows


def column_width(sheet, index, texts=None):
    """Wide enough for the header's words and the longest value (of the first WIDTH_ROWS
    rows), capped so long notes wrap."""
    header = sheet.headers[index]
    cells = [row[index] for row in sheet.rows[:WIDTH_ROWS] if index < len(row)]
    texts = texts or Texts()
    widths = {}  # a number's width, by what its text is made of (`number_key`)

    def width(c):
        value = c.value
        if isinstance(value, str):
            return text_width(texts(c))
        kind = type(value)
        if kind is not float and kind is not int:
            return text_width(c.text)
        key = number_key(c)
        found = widths.get(key)
        if found is None:
            found = widths[key] = text_width(c.text)
        return found

    longest = max((width(c) for c in cells), default=0)
    # A header wraps onto two lines at most; the numbers stay on one.
    wanted = max((text_width(header) + 1) // 2 + 2, longest + 2, MIN_WIDTH)
    return min(wanted, sheet.widths.get(header, MAX_WIDTH))


def is_wide(ws, sheet):
    total = sum(
        ws.column_dimensions[get_column_letter(c)].width for c in range(1, len(sheet.headers) + 1)
    )
    return total > PORTRAIT_WIDTH


def page_setup(ws, sheet, heading):
    """As officials print it: A4, landscape when wide, one page wide, headers on every page."""
    columns = max(len(sheet.headers), 1)
    last = get_column_letter(columns)
    ws.merged_cells.add(CellRange(min_row=TITLE_ROW, min_col=1, max_row=TITLE_ROW, max_col=columns))
    ws.row_dimensions[TITLE_ROW].height = 36
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = (
        Worksheet.ORIENTATION_LANDSCAPE if is_wide(ws, sheet) else Worksheet.ORIENTATION_PORTRAIT
    )
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.print_area = f"A{TITLE_ROW}:{last}{HEADER_ROW + len(sheet.rows)}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = footer_source(heading)
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = gettext(FOOTER_PAGE)
    ws.oddFooter.right.size = 8
    ws.evenFooter.left.text = ws.oddFooter.left.text
    ws.evenFooter.right.text = gettext(FOOTER_PAGE)


def footer_source(heading):
    """The footer names the report (its plans and date); Excel allows 255 characters in all."""
    text = gettext("来源：") + heading
    return text if len(text) <= 200 else text[:199] + "…"


def build(rep):
    """A workbook with one sheet per report table, in the report's order, its rows streamed to
    temporary files as they are written (openpyxl's write-only mode): call `save` once."""
    wb = Workbook(write_only=True)
    # A streamed report (`report.build(…, streamed=True)`) builds each sheet as it is written.
    heading = f"{report.words(rep.title)} · {report.words(rep.generated_text)}"
    for sheet in rep.sheets:
        ws = StreamedSheet(parent=wb, title=report.words(sheet.name))
        wb._add_sheet(ws)
        # The sheet's cells live until it is written, in no reference cycle: as while it is
        # built, full collections would walk them all again and reclaim nothing.
        with language_pinned(), report.collection_paused():
            write_sheet(ws, sheet, heading)
        del sheet, ws  # let them go before the next sheet is built
    wb.properties.title = report.words(rep.title)
    wb.properties.creator = "北辰区制造业倍增指标看板"
    return wb


def to_bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(rep):
    return f"beichen-report-{rep.year}.xlsx"
