"""generate_scale_data: a larger Beichen for benchmarks, on top of the documents' own figures."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chains.models import Chain
from indicators.domain import data_version
from indicators.models import Actual, Target
from parks.models import Locality, Park

pytestmark = pytest.mark.django_db


def generate(factor):
    out = StringIO()
    call_command("generate_scale_data", "--factor", str(factor), stdout=out)
    return out.getvalue()


def test_factor_two_doubles_localities_parks_and_chains_with_fifteen_years_of_figures():
    before = {m: m.objects.count() for m in (Locality, Park, Chain)}
    documents = dict(
        Actual.objects.filter(subject__slug="new-energy", metric__slug="chain-output").values_list(
            "year", "value"
        )
    )
    version = data_version.current()
    generate(2)
    assert {m: m.objects.count() for m in (Locality, Park, Chain)} == {
        m: 2 * n for m, n in before.items()
    }
    twin = Chain.objects.get(slug="new-energy-x2")
    assert twin.name == "新能源产业链（2）" and not twin.doubling
    assert set(Target.objects.filter(subject=twin).values_list("plan__slug", flat=True)) == set(
        Target.objects.filter(subject__slug="new-energy").values_list("plan__slug", flat=True)
    )
    figures = Actual.objects.filter(subject=twin, metric__slug="chain-output")
    years = figures.filter(period="year")
    assert sorted(years.values_list("year", flat=True)) == list(range(2010, 2025))
    assert set(figures.values_list("state", flat=True)) == {"approved"}
    months = figures.filter(period="months", year=2024).order_by("month")
    assert list(months.values_list("month", flat=True)) == list(range(1, 12))
    full_year = years.get(year=2024).value
    assert months.first().value < months.last().value < full_year * Decimal("1.05")
    # the documents' own figures are untouched, and pages cached before are not served again
    assert (
        dict(
            Actual.objects.filter(
                subject__slug="new-energy",
                metric__slug="chain-output",
                year__in=documents,
                source__in=Actual.objects.filter(subject__slug="new-energy")
                .exclude(source="规模测试数据")
                .values("source"),
            ).values_list("year", "value")
        )
        == documents
    )
    assert data_version.current() != version


def test_running_it_twice_adds_nothing():
    generate(2)
    counts = (Target.objects.count(), Actual.objects.count())
    assert "新增对象 0，新增目标 0，新增实际值 0" in generate(2)
    assert (Target.objects.count(), Actual.objects.count()) == counts


def test_a_factor_below_one_is_refused_in_chinese():
    with pytest.raises(CommandError, match="--factor 须为不小于1的整数。"):
        generate(0)
