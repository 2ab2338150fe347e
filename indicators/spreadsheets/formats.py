"""tablib's spreadsheet formats, each loaded by the first file it reads or writes.

django-import-export's admin asks tablib, when it is imported (the admin's discovery, as every
worker starts), whether each format is available, and tablib answers by importing the format's
module: openpyxl with numpy and lxml for xlsx, odfpy for ods — some 45 MB in every worker,
almost none of which ever writes a spreadsheet. `load_when_used` registers in their
place a stand-in for each that says what the format is and what it can do (title, extensions,
reading and writing) and hands every read or write to tablib's own format, imported then. The
files written and read are tablib's, byte for byte.

It is called when the apps are listed (indicators/apps.py), before the admin's discovery.
"""

from tablib.formats import load_format_class, registry

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
