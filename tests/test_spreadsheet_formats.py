"""A worker starts without the spreadsheet libraries; the admin's formats load them when used."""

import json
import sys

import pytest
import tablib
from import_export.formats import base_formats
from tablib.formats import load_format_class, registry
from tablib.utils import normalize_input

from indicators.spreadsheets import formats
from tests.helpers import last_line_of_python

# Libraries a page never needs: each is loaded by the download, upload or export that uses it.
HEAVY = ["openpyxl", "numpy", "lxml", "odf", "pandas", "docx", "pypinyin", "plotly"]

STARTUP = """
import json, sys
import django
django.setup()
import beichen.wsgi, beichen.urls
from django.urls import resolve
resolve("/")
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in sys.argv[1:])))
"""


def loaded_at_start():
    """The heavy libraries in sys.modules of a process started as a worker is (settings,
    apps, the admin's discovery, the WSGI application and every URL)."""
    return json.loads(last_line_of_python(STARTUP, *HEAVY))


def test_a_worker_starts_without_the_spreadsheet_libraries():
    assert loaded_at_start() == []


@pytest.mark.parametrize("key", sorted(formats.HEAVY))
def test_a_format_stands_in_for_tablibs_own_until_used(key):
    stand_in, own = registry.get_format(key), load_format_class(formats.HEAVY[key][0])
    assert isinstance(stand_in, formats.FormatWhenUsed)
    assert (stand_in.title, stand_in.extensions) == (own.title, own.extensions)
    for method in ("detect", "import_set", "import_book", "export_set", "export_book"):
        assert hasattr(stand_in, method) == hasattr(own, method), method


@pytest.mark.parametrize("key", sorted(formats.HEAVY))
def test_a_format_writes_and_reads_as_tablibs_own(key):
    own = load_format_class(formats.HEAVY[key][0])
    data = tablib.Dataset(["新能源", "new-energy", 130.6], headers=["对象", "对象代码", "数值"])
    read_by_own = tablib.Dataset()
    own.import_set(read_by_own, normalize_input(data.export(key)))  # written by the stand-in
    read_by_stand_in = tablib.Dataset().load(own.export_set(data), key)
    for back in (read_by_own, read_by_stand_in):
        assert back.headers == ["对象", "对象代码", "数值"]
        assert list(back[0]) == ["新能源", "new-energy", 130.6]


def test_the_admin_offers_the_formats_it_offered_before():
    names = [fmt().get_title() for fmt in base_formats.DEFAULT_FORMATS]
    assert names == ["csv", "xlsx", "tsv", "ods", "json", "yaml", "html"]
    assert [fmt().get_title() for fmt in base_formats.BINARY_FORMATS] == ["xlsx", "ods"]
    assert base_formats.XLSX().can_export() and base_formats.XLSX().can_import()


SPREADSHEETS_WITHOUT_NUMPY = """
import io, json, sys
import django
django.setup()
import tablib
from indicators.spreadsheets import importing, workbook
data = tablib.Dataset(["新能源", 130.6], headers=["对象", "数值"])
written = data.export("xlsx")
sheet = importing.open_sheet(written)
loaded = sorted(name for name in ("openpyxl", "numpy") if name in sys.modules)
from indicators.spreadsheets.archive import pd
frame = pd.DataFrame({"对象": ["新能源"], "家数": pd.array([12], dtype="int64")})
buffer = io.BytesIO()
with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
    frame.to_excel(writer, index=False)
back = pd.read_excel(io.BytesIO(buffer.getvalue()))
print(json.dumps({"loaded": loaded, "back": back.values.tolist()}))
"""


def test_openpyxl_writes_and_reads_without_loading_numpy_and_pandas_still_writes_through_it():
    """The report, the import and tablib's xlsx load openpyxl without numpy (formats.without_numpy);
    the open-data archive then loads pandas and numpy, and its int64 columns still reach the
    sheet, as pandas hands openpyxl Python numbers."""
    result = json.loads(last_line_of_python(SPREADSHEETS_WITHOUT_NUMPY))
    assert result == {"loaded": ["openpyxl"], "back": [["新能源", 12]]}


def test_without_numpy_hides_nothing_once_openpyxl_is_loaded():
    import openpyxl  # noqa: F401  (loaded by this test process one way or another)

    with formats.without_numpy():
        assert sys.modules.get("numpy", "absent") is not None
