"""The committed translation catalogues (.mo) are compiled from their .po files, so a clone
shows every translation without gettext installed; a .po edited without recompiling fails."""

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def messages(catalog):
    return {
        (m.context, m.id if isinstance(m.id, str) else m.id[0]): (
            m.string if isinstance(m.string, str) else tuple(m.string)  # plural forms
        )
        for m in catalog
        if m.id
        and m.string
        and not m.fuzzy
        and (m.string if isinstance(m.string, str) else all(m.string))
    }


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_the_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as po, open(folder / "django.mo", "rb") as mo:
        source, compiled = messages(read_po(po)), messages(read_mo(mo))
    assert source == compiled
    assert len(source) > 100
