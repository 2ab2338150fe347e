"""tablib's spreadsheet formats, each loaded by the first file it reads or writes.

django-import-export's admin asks tablib, when it is imported (the admin's discovery, as every
worker starts), whether each format is available, and tablib answers by importing the format's
module: openpyxl with numpy and lxml for xlsx, odfpy for ods — some 45 MB in every worker,
almost none of which ever writes a spreadsheet. `load_when_used` registers in their
place a stand-in for each that says what the format is and what it can do (title, extensions,
reading and writing) and hands every read or write to tablib's own format, imported then. The
files written and read are tablib's, byte for byte.

It is called when the apps are listed (indicators/apps.py), before the admin's discovery.

openpyxl itself is imported without numpy (`without_numpy`): it loads numpy (about 10 MB of a
worker's peak) only so that a cell accepts numpy's number types, and nothing here gives it one —
the report, the import template and tablib write Python numbers, and pandas (the open-data
archive) turns its own into Python numbers before openpyxl sees them.
"""

import sys
import threading
from contextlib import contextmanager

from tablib.formats import load_format_class, registry

# Held while openpyxl is imported without numpy, and by whatever imports numpy on purpose
# (pandas, for the open-data archive), so that no thread finds numpy hidden from it.
LIBRARIES = threading.RLock()


@contextmanager
def without_numpy():
    """Imports made inside do not load numpy, unless it is loaded already (then they use it).

    A `None` in `sys.modules` makes `import numpy` raise ImportError (the import system's own
    rule), which openpyxl takes as "numpy is not installed". Once openpyxl is imported the
    guard does nothing, so a later import of it elsewhere finds it as it was first made."""
    with LIBRARIES:
        hidden = "numpy" not in sys.modules and "openpyxl" not in sys.modules
        if hidden:
            sys.modules["numpy"] = None
        try:
            yield
        finally:
            if hidden and "numpy" in sys.modules and sys.modules["numpy"] is None:
                del sys.modules["numpy"]


# tablib's key (also the format's title) → its format class and file extensions, for the
# formats whose modules import a heavy library.
HEAVY = {
    "xlsx": ("tablib.formats._xlsx.XLSXFormat", ("xlsx",)),
    "ods": ("tablib.formats._ods.ODSFormat", ("ods",)),
}


class FormatWhenUsed:
    """A tablib format whose module is imported by the first call of one of its methods."""

    def __init__(self, path, title, extensions):
        self.path, self.title, self.extensions = path, title, extensions
        self._format = None

    def loaded(self):
        if self._format is None:
            with without_numpy():
                self._format = load_format_class(self.path)
        return self._format

    def detect(self, *args, **kwargs):
        return self.loaded().detect(*args, **kwargs)

    def import_set(self, *args, **kwargs):
        return self.loaded().import_set(*args, **kwargs)

    def import_book(self, *args, **kwargs):
        return self.loaded().import_book(*args, **kwargs)

    def export_set(self, *args, **kwargs):
        return self.loaded().export_set(*args, **kwargs)

    def export_book(self, *args, **kwargs):
        return self.loaded().export_book(*args, **kwargs)


def load_when_used():
    """Put a stand-in in tablib's registry for each heavy format tablib has registered (it
    registers one only when its library is installed) and has not loaded yet."""
    for key, (path, extensions) in HEAVY.items():
        if registry._formats.get(key) == path:
            registry.register(key, FormatWhenUsed(path, key, extensions))
