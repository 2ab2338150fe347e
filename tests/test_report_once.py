"""The report's repeated values: the language read once per sheet, a sources sentence made once
per report build, and the same cells either way."""

import pytest
from django.utils import translation

from indicators.models import active_language, english_page, language_pinned
from indicators.reporting import report

pytestmark = pytest.mark.django_db


def test_a_pinned_block_answers_the_language_it_started_in():
    with translation.override("en"):
        with language_pinned():
            assert active_language() == "en"
            assert english_page()
        with translation.override("zh-hans"), language_pinned():
            assert active_language() == "zh-hans"
            assert not english_page()
        # Outside a block the active language is asked again.
        assert english_page()


def source_cells(rep, name):
    sheet = rep.sheet(name)
    return [row[sheet.headers.index("来源")].value for row in sheet.rows[: -sheet.totals or None]]


def test_rows_of_one_table_share_one_sources_sentence_per_build():
    rep = report.build(2024)
    sources = source_cells(rep, "产业链")
    alike = {}
    for text in sources:
        alike.setdefault(str(text), []).append(text)
    repeated = [texts for texts in alike.values() if len(texts) > 1]
    assert repeated, "the chains' figures come from a few tables"
    assert all(all(t is texts[0] for t in texts) for texts in repeated)
    # A new build makes its own (no value is kept from one build of the data to the next).
    again = source_cells(report.build(2024), "产业链")
    assert again == sources and again[0] is not sources[0]


def test_a_shared_sources_sentence_reads_in_the_page_language():
    with translation.override("en"):
        rep = report.build(2024)
        sheet = rep.sheet("产业链")
        column = sheet.headers.index("来源")
        texts = [report.words(row[column].value) for row in sheet.rows[: -sheet.totals]]
    assert texts[0] == (
        "Baseline and target: Beichen District Action Plan for Doubling High-Quality "
        "Manufacturing (2021–2025), Annex 3"
    )
    assert not any("基数" in t or "附件" in t for t in texts)
