"""The data-quality rules read whole-year figures in one pass as plain values
(`quality.Data`: kept `YearFigure`s, the year-on-year jumps, the parts' sums) and each table
once: their findings are the ones the rules give reading every figure as a model row, on the
documents' figures and on generated ones."""

from collections import defaultdict
from decimal import Decimal
from functools import cached_property

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import translation

from indicators.domain import quality
from indicators.models import Actual, Document, Metric, Statement, Subject, Target
from tests.helpers import approved, make_actual

pytestmark = pytest.mark.django_db


class ModelRows(quality.Data):
    """`quality.Data` as it was: every target and whole-year actual as a model row, every
    figure kept for the rules that look figures up, every pair of consecutive years handed to
    rule 4 and the chains' and localities' figures of every metric grouped for rule 2 from the
    rows themselves, not in the one pass over plain values."""

    def every_target(self):
        return Target.objects.select_related("plan", "subject", "metric", "document")

    @cached_property
    def _read(self):
        actuals = Actual.objects.full_year().defer("updated", "review_comment")
        if self.published_only:
            actuals = actuals.published()
        subjects = {s.pk: s for s in self.subjects}
        metrics = {m.pk: m for m in Metric.objects.all()}
        rows = list(actuals)
        for a in rows:
            a._state.fields_cache["subject"] = subjects[a.subject_id]
            a._state.fields_cache["metric"] = metrics[a.metric_id]
        by_key = {(a.subject_id, a.metric_id, a.year): a for a in rows}
        jumps = [
            (a, by_key[(a.subject_id, a.metric_id, a.year - 1)])
            for a in rows
            if (a.subject_id, a.metric_id, a.year - 1) in by_key
        ]
        groups = defaultdict(list)
        for a in rows:
            groups[(a.subject.kind, a.metric_id, a.year)].append(a)
        expected = quality.expected_parts(self)
        parts = {}
        for (kind, metric_id, year), group in groups.items():
            part = parts[(kind, metric_id, year)] = quality.PartSum()
            part.summed = sum((a.value for a in group), Decimal(0))
            part.ids = [a.pk for a in group]
            part.orders = [a.subject.order for a in group]
            subjects_of_group = {a.subject_id for a in group}
            part.expected = len(expected.get((kind, metric_id), set()) & subjects_of_group)
        years_of = defaultdict(set)
        for a in rows:
            years_of[(a.subject_id, a.metric_id)].add(a.year)
        years = {
            pair: (min(found), sum(1 << (y - min(found)) for y in found))
            for pair, found in years_of.items()
        }
        return rows, jumps, parts, years


def read(finding):
    """A finding as the page and the report show it, in both languages."""
    rows = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rows.append(finding.as_row())
    return (finding, finding.actual_ids, finding.scope, rows)


def both_ways(year=None):
    for published_only in (True, False):
        values = quality.findings(published_only=published_only, year=year)
        rows = quality.findings(year=year, data=ModelRows(published_only=published_only))
        yield [read(f) for f in values], [read(f) for f in rows]


def unusual_figures():
    """A jump with and without a note, a draft, a fall to zero, zero again and a rise from
    it, a figure after a gap, changes of exactly the threshold (50%) and a hair beyond it,
    and a town's “新增” count that disagrees with its stock."""
    approved("new-energy", "chain-output", 2025, "400", note="新项目投产")
    approved("new-materials", "chain-output", 2030, "200")
    approved("new-materials", "chain-output", 2031, "300")
    approved("new-materials", "chain-output", 2032, "450.0001")
    document = Document.objects.first()
    Statement.objects.create(
        subject=Subject.objects.get(slug="xiaodian"),
        metric=Metric.objects.get(slug="hightech-firms"),
        year=2020,
        value=40,
        document=document,
        source="表1",
    )
    approved("xiaodian", "hightech-firms", 2024, "70", document=document)
    approved("xiaodian", "hightech-firms-new", 2024, "20", document=document)
    approved("biomedicine", "chain-output", 2025, "300")
    make_actual("tcm", "chain-output", 2025, "900")
    approved("automotive", "chain-output", 2025, "0")
    approved("automotive", "chain-output", 2026, "0")
    approved("automotive", "chain-output", 2027, "5")
    approved("light-industry", "chain-output", 2019, "10")


@pytest.mark.parametrize("year", [None, 2024, 2025])
def test_the_documents_findings_read_from_values_are_the_ones_read_from_rows(year):
    unusual_figures()
    for values, rows in both_ways(year):
        assert len(values) > 20
        assert values == rows


def test_generated_findings_read_from_values_are_the_ones_read_from_rows():
    unusual_figures()
    call_command("generate_scale_data", "--factor", "2", "--seed", "11", verbosity=0)
    # Listed in another order than they were made (the figures are read in the order made).
    Subject.objects.filter(kind__in=quality.PART_KINDS).update(order=10_000 - F("order"))
    Metric.objects.update(order=1_000 - F("order"))
    for values, rows in both_ways(2024):
        rules = {f.rule for f, *_ in values}
        assert rules >= {"total", "aggregate", "restated", "basis", "yoy"}
        assert len(values) > 200
        assert values == rows


def test_words_made_once_per_call_read_as_words_made_for_every_finding(monkeypatch):
    # A metric's name and unit, a place in a document and a finding's sources are made once
    # per call (`quality.once`) and shared by the findings that repeat them.
    unusual_figures()
    call_command("generate_scale_data", "--factor", "2", "--seed", "11", verbosity=0)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            shared = [read(f) for f in quality.findings(published_only=True, year=2024)]
            monkeypatch.setattr(quality, "once", lambda key, make: make())
            made_each_time = [read(f) for f in quality.findings(published_only=True, year=2024)]
            monkeypatch.undo()
        assert {f.rule for f, *_ in shared} >= {"total", "aggregate", "restated", "basis", "yoy"}
        assert [(str(f.message), str(f.source)) for f, *_ in shared] == [
            (str(f.message), str(f.source)) for f, *_ in made_each_time
        ]
        assert shared == made_each_time
