"""The whole-year index on PostgreSQL carries the columns the pages and the report print (so
the whole-year figures are read from it, not from table pages shared with the monthly ones),
and the migrations hold every change of the models (none is left for `makemigrations`)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_migrations_hold_every_change_of_the_models():
    out = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE columns are PostgreSQL's")
def test_on_postgresql_the_index_carries_the_columns_the_report_prints():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'indicators_actual_whole_year'"
        )
        (definition,) = cursor.fetchone()

    assert definition.endswith(
        "(subject_id, metric_id, year) INCLUDE (id, state, value, document_id, note, source) "
        "WHERE ((period)::text = 'year'::text)"
    )
