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


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_data_quality_rows_share_their_cells_and_read_as_each_finding(language):
    """The 数据质量 sheet makes a rule's, a subject's, a metric's and a year's cells once and
    shares them between rows: each row still reads as its own finding, cell for cell."""
    from indicators.domain import quality
    from indicators.engine import formatting
    from indicators.engine.progress import Text, gettext_noop
    from indicators.reporting.report import NUMBER, YEAR, Cell

    def number(f, value):
        if f.metric:
            return report.metric_cell(f.metric, value)
        return Cell(formatting.to_float(value), NUMBER)

    with translation.override(language), language_pinned():
        sheet = report.quality_sheet(2024)
        found = quality.findings(published_only=True, year=2024)
        rows = [
            [
                Cell(f.rule_label),
                Cell(f.level_label),
                Cell(str(f.subject) if f.subject else ""),
                Cell(f.metric.display_name if f.metric else ""),
                Cell(f.metric.display_unit if f.metric else ""),
                Cell(f.year, YEAR),
                number(f, f.expected),
                number(f, f.stated),
                number(f, f.difference),
                Cell(f.message),
                Cell(f.source or Text(gettext_noop("看板{year}年填报记录"), year=2024)),
            ]
            for f in found
        ]
        assert {f.rule for f in found} >= {"total", "aggregate", "restated", "basis"}
        assert {f.subject is None for f in found} == {True, False}
        assert sheet.rows == rows
        assert [report.words(c.value) for row in sheet.rows for c in row[9:]] == [
            report.words(c.value) for row in rows for c in row[9:]
        ]
    subjects = {}
    for row in sheet.rows:
        subjects.setdefault(row[2].value, []).append(row[2])
    assert any(len(cells) > 1 for cells in subjects.values())
    assert all(all(c is cells[0] for c in cells) for cells in subjects.values())
