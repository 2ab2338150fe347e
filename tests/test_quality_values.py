"""The data-quality rules read whole-year figures as plain values (`quality.YearFigure`) and
each table once: their findings are the ones the rules gave reading model rows, on the
documents' figures and on generated ones."""

import pytest
from django.core.management import call_command
from django.utils import translation

from indicators.domain import quality
from indicators.models import Actual, Metric, Target
from tests.helpers import approved, make_actual

pytestmark = pytest.mark.django_db


class ModelRows(quality.Data):
    """`quality.Data` as it was: every target and whole-year actual as a model row."""

    def every_target(self):
        return Target.objects.select_related("plan", "subject", "metric", "document")

    @property
    def actuals(self):
        if not hasattr(self, "_rows"):
            actuals = Actual.objects.full_year().defer("updated", "review_comment")
            if self.published_only:
                actuals = actuals.published()
            subjects = {s.pk: s for s in self.subjects}
            metrics = {m.pk: m for m in Metric.objects.all()}
            self._rows = list(actuals)
            for a in self._rows:
                a._state.fields_cache["subject"] = subjects[a.subject_id]
                a._state.fields_cache["metric"] = metrics[a.metric_id]
        return self._rows


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
    """A jump with and without a note, a draft, a fall to zero and a figure after a gap."""
    approved("new-energy", "chain-output", 2025, "400", note="新项目投产")
    approved("biomedicine", "chain-output", 2025, "300")
    make_actual("tcm", "chain-output", 2025, "900")
    approved("automotive", "chain-output", 2025, "0")
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
    for values, rows in both_ways(2024):
        rules = {f.rule for f, *_ in values}
        assert rules >= {"total", "aggregate", "restated", "basis", "yoy"}
        assert len(values) > 200
        assert values == rows
