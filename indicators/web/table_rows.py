"""A table's header and body written in one pass: the same cells django-tables2 draws,
without its template loop per cell.

django-tables2's `table.html` draws each cell through the template engine: a loop over the
row's cells, the column's `td` attributes worked out afresh for every cell (inspecting the
column's render method's signature each time), then the cell. A page of a hundred rows of
thirteen columns took well over half of `/status/`'s time that way. `body(table, context)` writes
the `<tbody>` that template's `table.tbody` block writes, byte for byte, from the same values:
each cell is still the table's own column's `render` (or `render_<name>`) of the record's
value, escaped as the template escapes it, and its `td` attributes are the column's own; only
what does not change from row to row (a render method's arguments, attributes without a
callable in them) is worked out once per table instead of once per cell.

The fast way reads a cell from a dict record holding the column's name (what every table of
`indicators.web.tables` shows). Anything else — an accessor through related objects, a model
record, a link — goes through django-tables2's own `BoundRow.get_cell`, so the output is the
same whatever the table. A table it does not cover at all (a column with its own `localize`,
no rows) gets `None`, and the template draws it itself.

`head(table, context, template)` writes the `<thead>` the same way: each header with its
own attributes and, for a column that sorts, the link querystring_replace writes.

A record may carry a memo of its cells (`MEMO`): the rows a long list keeps per data version
and language (`indicators.web.pages.kept_rows`) are then drawn once per kind of table and set
of columns, and every later page showing them reuses the cells (each row's parity is still
the page's own).
"""

import functools
from html import escape

from django.template.base import render_value_in_context
from django.utils import html
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django_tables2.utils import signature

# The whitespace django_tables2/table.html writes around the body, its rows and its cells.
TBODY_OPEN = "\n                <tbody {}>\n                "
TBODY_CLOSE = "\n                </tbody>\n            "
ROW_OPEN = "\n                    \n                    <tr {}>\n                        "
ROW_CLOSE = "\n                    </tr>\n                    \n                "
CELL = "\n                            <td {}>{}</td>\n                        "

# A record's memo of its cells, {(table class, column names): html}: only records whose cells
# follow from the record and the page's language alone carry one (rows kept per data version
# and language, `indicators.web.pages.kept_rows`), so a kept row is drawn once per kind of table.
MEMO = "_drawn_cells"

# What a render method may ask for (django-tables2's BoundRow._optional_cell_arguments).
CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


@functools.cache
def _signature(function, method):
    args, catch_all = signature(function)
    return (args[1:] if method else args), catch_all  # a method's own first argument left out


def arguments(render):
    """django-tables2's `signature(render)`, read once per function rather than per table."""
    function = getattr(render, "__func__", None)
    try:
        return _signature(render, False) if function is None else _signature(function, True)
    except TypeError:  # a callable that cannot be a dict key
        return signature(render)


def varies(attrs):
    """Whether attributes hold a callable (worked out per cell from the record and value)."""
    return any(callable(v) or isinstance(v, dict) for v in attrs.values())


class Cells:
    """How one column's cells are drawn: what is the same for every row, worked out once."""

    def __init__(self, bound_column, table):
        self.bound_column = bound_column
        self.name = bound_column.name
        column = self.column = bound_column.column
        self.table = table
        # A plain name read from a dict record (Accessor.resolve returns record[name] as is).
        self.plain = bound_column.link is None and str(bound_column.accessor) == self.name
        self.render = bound_column.render
        self.empty_values = column.empty_values
        self.default = bound_column.default
        args, catch_all = arguments(self.render)
        self.arguments = None if catch_all else args
        # A render method asking for what no cell has is not called (call_with_appropriate).
        self.callable = catch_all is not None or all(a in CELL_ARGUMENTS for a in args)
        attrs = {**table.attrs, **column.attrs}
        td = attrs.get("td", attrs.get("cell", {}))
        self.td = None if varies(td) else bound_column.attrs["td"].as_html()

    def content(self, row, record):
        """The cell as django-tables2's BoundRow.get_cell gives it."""
        if not (self.plain and isinstance(record, dict) and self.name in record):
            return row.get_cell(self.name)
        value = record[self.name]
        if value in self.empty_values:
            return self.default
        if not self.callable:
            return None
        given = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": self.table,
        }
        if self.arguments is None:
            return self.render(**given)
        return self.render(**{a: given[a] for a in self.arguments})

    def html(self, row, record, context):
        content = self.content(row, record)
        # As BoundRow.items() leaves them, for attributes computed from the cell.
        self.bound_column.current_value = content
        self.bound_column.current_record = record
        td = self.td if self.td is not None else self.bound_column.attrs["td"].as_html()
        if type(content) is str:  # django.utils.html.escape, without its lazy-text check
            text = escape(content)
        elif isinstance(content, str):
            text = conditional_escape(content)
        else:
            text = render_value_in_context(content, context)
        return CELL.format(td, text)


def body(table, context):
    """The table's <tbody> as django_tables2/table.html writes it, or None for a table it
    leaves to that template (see the module's docstring)."""
    columns = list(table.columns)
    if any(c.column.localize is not None for c in columns):
        return None
    rows = table.paginated_rows
    if not len(rows):
        return None
    cells = [Cells(c, table) for c in columns]
    tbody = table.attrs.get("tbody")  # as the template reads table.attrs.tbody.as_html
    parts = [TBODY_OPEN.format(tbody.as_html() if hasattr(tbody, "as_html") else "")]
    drawn = (type(table), tuple(c.name for c in columns))  # what a memo of cells is for
    for row in rows:
        record = row.record
        if table.row_attrs:
            parts.append(ROW_OPEN.format(row.attrs.as_html()))
        else:  # what row.attrs gives without row_attrs: the row's parity
            parts.append(ROW_OPEN.format('class="odd"' if row.row_counter % 2 else 'class="even"'))
        memo = record.get(MEMO) if isinstance(record, dict) else None
        html = None if memo is None else memo.get(drawn)
        if html is None:
            html = "".join([c.html(row, record, context) for c in cells])
            if memo is not None:
                memo[drawn] = html
        parts.append(html)
        parts.append(ROW_CLOSE)
    parts.append(TBODY_CLOSE)
    return mark_safe("".join(parts))


# The header row as each of django-tables2's templates writes it: (its opening, its closing,
# a header cell's opening, a header cell's closing, the indent around a cell's content).
HEADS = {
    "table": (
        "\n                <thead {}>\n                    <tr>\n                    ",
        "\n                    </tr>\n                </thead>\n            ",
        "\n                        <th {}>\n                            ",
        "\n                        </th>\n                    ",
        ("\n                                ", "\n                            "),
    ),
    "bootstrap5": (
        "\n                <thead {}>\n                <tr>\n                ",
        "\n                </tr>\n                </thead>\n            ",
        '\n                    <th {} scope="col">\n                        ',
        "\n                    </th>\n                ",
        ("\n                            ", "\n                        "),
    ),
}
HEAD_AROUND = "\n            "  # before and after the header row, drawn or not


def head(table, context, template):
    """The table's <thead> as django-tables2's `template` ("table" or "bootstrap5") writes it:
    each header with its attributes and, for a column that sorts, the link to sort by it
    (the page's query with the column's next order, as querystring_replace writes it)."""
    if "request" not in context:
        return None  # the template's own tags say what is missing
    opening, closing, th_open, th_close, (indent, outdent) = HEADS[template]
    parts = [HEAD_AROUND]
    if table.show_header:
        thead = table.attrs.get("thead")  # as the template reads table.attrs.thead.as_html
        parts.append(opening.format(thead.as_html() if hasattr(thead, "as_html") else ""))
        query = dict(context["request"].GET)
        field = table.prefixed_order_by_field
        for column in table.columns:
            header = column.header
            header = (
                html.escape(header)
                if type(header) is str
                else render_value_in_context(header, context)
            )
            parts.append(th_open.format(column.attrs["th"].as_html()))
            if column.orderable:
                params = dict(query)
                if field not in ("", None):
                    params[field] = column.order_by_alias.next
                link = html.escape("?" + urlencode(params, doseq=True))
                parts.append(f'{indent}<a href="{link}">{header}</a>{outdent}')
            else:
                parts.append(f"{indent}{header}{outdent}")
            parts.append(th_close)
        parts.append(closing)
    parts.append(HEAD_AROUND)
    return mark_safe("".join(parts))
