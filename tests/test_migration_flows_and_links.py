"""Migration 0010 gives databases loaded before it the flow flags and the measures' figures
the fixtures hold, reading them from the fixtures rather than from a copy in the migration."""

import importlib

import pytest
from django.apps import apps

from indicators.models import Measure, Metric

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "indicators.migrations.0010_metric_accumulation_and_measure_figures"
)


def test_an_older_database_gets_the_fixtures_flows_and_measure_links():
    Metric.objects.update(accumulation="stock")
    for measure in Measure.objects.all():
        measure.metrics.clear()

    migration.flows_and_links(apps, None)

    assert Metric.objects.get(slug="chain-output").accumulation == "flow"
    assert Metric.objects.get(slug="park-area").accumulation == "stock"
    links = {
        m.number: sorted(m.metrics.values_list("slug", flat=True))
        for m in Measure.objects.filter(project__plan__slug="doubling-2021-2025")
    }
    assert links[4] == ["tech-centers", "tech-centers-new"]
    assert links[8] == ["green-factories", "green-factories-national"]
    assert links[9] == ["chain-fund-size"]
    assert links[2] == []
