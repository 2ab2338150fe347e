"""PostgreSQL runs the dashboard's queries without JIT compilation, unless DB_JIT turns it on:
compiling a query that passed the planner's cost threshold took longer than it saved."""

import pytest
from django.db import connection

from tests.helpers import last_line_of_python

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's setting")
def test_the_database_connection_compiles_no_query():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def connection_options(**env):
    code = "from beichen import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    return last_line_of_python(
        code, env={"DB_JIT": None, "BEICHEN_ENV_FILE": "", "SECRET_KEY": "x" * 50, **env}
    )


def test_jit_is_off_on_postgresql_unless_asked_for():
    url = "postgres://postgres@127.0.0.1:5432/beichen"
    assert connection_options(DATABASE_URL=url) == "{'options': '-c jit=off'}"
    assert connection_options(DATABASE_URL=url, DB_JIT="true") == "{'options': '-c jit=on'}"
    sqlite = connection_options(DATABASE_URL="sqlite:///x.sqlite3")
    assert "jit" not in sqlite and "'timeout': 20" in sqlite
