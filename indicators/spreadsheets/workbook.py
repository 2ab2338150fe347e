"""The report as an Excel workbook: `indicators.reporting.report.Report` in, openpyxl Workbook out.

No queries here. Numbers are written as numbers with a number format (never as text),
status cells are coloured and worded, and each sheet starts with a title row naming the
plans, the year and when it was generated, then a bold, frozen header row.
"""

from io import BytesIO

from django.utils.translation import gettext, gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell as openpyxl_write_cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import XML_NS, Element, SubElement

from indicators.engine import formatting, kinds, progress
from indicators.models import language_pinned
from indicators.reporting import report

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


def write_text(cell, text):
    """Text that looks like a formula (a note “=1+1”, a name “-A”) stays text, by the same rule
    as every other export (`formatting.looks_like_formula`)."""
    cell.value = text
    if formatting.looks_like_formula(text):
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

    def __call__(self, item):
        if item.quoted:
            return item.text
        value = item.value
        seen = self.seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        key = shape(value)
        if key not in self.found:
            self.found[key] = item.text
        text = self.found[key]
        if isinstance(value, progress.Text):
            self.seen[id(value)] = (value, text)
        return text


def write_cell(ws, styles, item, texts=None, written=None):
    """A report cell as a streamed worksheet cell (None for an empty one). With `written`
    (a dict for one sheet), a text cell is made once per distinct text and style and placed
    again where the text repeats: a streamed cell is written out as soon as it is placed."""
    if isinstance(item.value, progress.Status):
        return styled(ws, item.text, styles(fill=FILLS[item.value], alignment=CENTRED))
    if item.is_number:
        if written is None:
            return styled(ws, item.value, styles(number_format(item)))
        # Its format's words and the number itself (0.0 and -0.0 are equal but written apart).
        value = item.value
        key = (item.fmt, item.unit, str(item.prefix), type(value), value, safe_string(value))
        cell = written.get(key)
        if cell is None:
            cell = written[key] = styled(ws, item.value, styles(number_format(item)))
        return cell
    if item.value is not None:
        if isinstance(item.value, str):
            text = texts(item) if texts else item.text
        else:
            text = str(item.value)
        if written is None:
            return styled(ws, text, styles(alignment=TOP_WRAPPED if len(text) > 40 else TOP))
        cell = written.get(text)
        if cell is None:
            style = styles(alignment=TOP_WRAPPED if len(text) > 40 else TOP)
            cell = written[text] = styled(ws, text, style)
        return cell
    return None


class StreamedSheet(WriteOnlyWorksheet):
    """openpyxl's write-only worksheet for rows of ready cells (`styled`, or None for an empty
    one): each is placed as it is, where openpyxl would first try to read it as a value."""

    def _get_writer(self):
        if self._writer is None:
            self._writer = StreamedWriter(self)
            self._writer.write_top()

    def written(self):
        """The rows are all in: the elements kept for them go (the workbook keeps its sheets,
        and their writers, until it is saved)."""
        getattr(self._writer, "elements", {}).clear()

    def _values_to_row(self, values, row_idx):
        for column, cell in enumerate(values, 1):
            if cell is not None:
                cell.column, cell.row = column, row_idx
                yield cell


class StreamedWriter(WorksheetWriter):
    """openpyxl's sheet writer, writing each distinct text or number cell's XML element once
    and placing it again wherever the same value and style repeat (only its reference, "r",
    changes): the same XML as openpyxl writes cell by cell, without working out each cell's
    attributes, style index and content again. Any other cell is written by openpyxl."""

    KEPT = 5_000  # distinct elements kept per sheet; beyond that each is made for its cell

    def __init__(self, ws):
        super().__init__(ws)
        self.elements = {}

    def write_row(self, xf, row, row_idx):
        attrs = {"r": f"{row_idx}"}
        attrs.update(self.ws.row_dimensions.get(row_idx, {}))
        with xf.element("row", attrs):
            for cell in row:
                element = self.element(cell)
                if element is None:
                    openpyxl_write_cell(xf, self.ws, cell, cell.has_style)
                else:
                    element.set("r", f"{get_column_letter(cell.column)}{row_idx}")
                    xf.write(element)

    def element(self, cell):
        """The cell's <c> element (its "r" to be set), or None for openpyxl to write it."""
        value, data_type = cell._value, cell.data_type
        if value is None or value == "" or cell.hyperlink or cell._comment is not None:
            return None
        if data_type == "s" and isinstance(value, str):
            content = value
        elif data_type == "n" and isinstance(value, (int, float)) and not isinstance(value, bool):
            content = safe_string(value)
        else:
            return None
        style = cell._style
        key = (id(style), data_type, content)
        found = self.elements.get(key)
        if found is not None:
            return found[1]
        # As openpyxl's cell writer: the style's index when the cell has a style, then the type.
        attrs = {"r": ""}
        if any(style):
            attrs["s"] = f"{self.ws.parent._cell_styles.add(style)}"
        attrs["t"] = "inlineStr" if data_type == "s" else "n"
        element = Element("c", attrs)
        if data_type == "s":
            space = {f"{{{XML_NS}}}space": "preserve"} if value != value.strip() else {}
            SubElement(SubElement(element, "is"), "t", space).text = value
        else:
            SubElement(element, "v").text = content
        if len(self.elements) < self.KEPT:
            # The style is held with its element, so its id is not reused while kept.
            self.elements[key] = (style, element)
        return element


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
    written = {}
    for row in sheet.rows:
        ws.append([write_cell(ws, styles, item, texts, written) for item in row])


# --- printing -----------------------------------------------------------------------------------

# Column widths are in characters of the default font; a Chinese character takes two.
MIN_WIDTH, MAX_WIDTH = 10, 40
# Wider than this (in characters) and a sheet prints landscape: A4 portrait holds about 90.
PORTRAIT_WIDTH = 90
FOOTER_PAGE = gettext_noop("第 &P 页，共 &N 页")


def text_width(text):
    """Display width of a text: CJK and full-width characters count two, the rest one."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


WIDTH_ROWS = 1000  # a column's width is read from its first thousand rows


def column_width(sheet, index, texts=None):
    """Wide enough for the header's words and the longest value (of the first WIDTH_ROWS
    rows), capped so long notes wrap."""
    header = sheet.headers[index]
    cells = [row[index] for row in sheet.rows[:WIDTH_ROWS] if index < len(row)]
    texts = texts or Texts()
    longest = max(
        (text_width(texts(c) if isinstance(c.value, str) else c.text) for c in cells), default=0
    )
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
        with language_pinned():
            write_sheet(ws, sheet, heading)
        ws.written()
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
