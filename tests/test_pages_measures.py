"""The twelve measures by project with their responsible units."""

import json

import pytest

from indicators.models import Measure, Project

pytestmark = pytest.mark.django_db


def test_it_lists_the_twelve_measures_under_their_five_projects(client):
    html = client.get("/measures/").content.decode()
    assert Measure.objects.count() == 12
    for project in Project.objects.all():
        assert project.name in html
        for unit in project.unit_list:
            assert unit in html
    for measure in Measure.objects.all():
        assert measure.title in html


def test_the_measures_export_with_their_responsible_units(client):
    rows = json.loads(client.get("/measures/", {"_export": "json"}).content)
    assert [r["序号"] for r in rows] == list(range(1, 13))
    first = Measure.objects.select_related("project").get(number=1)
    assert rows[0]["举措"] == first.title
    assert rows[0]["责任单位"] == first.project.responsible_units
