"""Several app servers on one database: an import previewed on one server is confirmed on the
other, and both then serve the same figure. Nothing the app keeps between requests lives on
one server's disk (each server here even has its own temporary folder).

Runs in the PostgreSQL pass of `make test` (two gunicorn processes need a database server);
skipped on SQLite.
"""

import os
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from indicators.models import Actual
from indicators.spreadsheets.workbook import to_bytes
from tests.test_import import filled

pytestmark = pytest.mark.django_db(transaction=True)

PORTS = (8151, 8152)
PASSWORD = "alice-pass-2024!"
BASE_DIR = Path(settings.BASE_DIR)


def database_url():
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start(port, tmp_path):
    folder = tmp_path / f"server-{port}"
    folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BEICHEN_TESTING": "true",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TMPDIR": str(folder),  # a server's own disk, as on a separate machine
    }
    log = open(folder / "gunicorn.log", "w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "beichen.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, folder / "gunicorn.log"


def wait_until_up(port, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn on {port} stopped:\n{log.read_text()[-3000:]}")
        try:
            local().get(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise AssertionError(f"gunicorn on {port} did not answer within {seconds} s")


def local():
    """A session that talks to the servers directly, whatever proxy the environment names."""
    session = requests.Session()
    session.trust_env = False
    return session


def csrf(session, url):
    session.get(url, timeout=30)
    return session.cookies["csrftoken"]


@pytest.fixture
def servers(reload_documents, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two app servers need a database server: runs in the PostgreSQL pass")
    started = [start(port, tmp_path) for port in PORTS]
    try:
        for port, (process, log) in zip(PORTS, started, strict=True):
            wait_until_up(port, process, log)
        yield [f"http://127.0.0.1:{port}" for port in PORTS]
    finally:
        for process, _ in started:
            process.terminate()
        for process, _ in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(servers, django_user_model):
    django_user_model.objects.create_superuser("alice", "", PASSWORD)
    one, two = servers
    session = local()
    token = csrf(session, f"{one}/admin/login/")
    response = session.post(
        f"{one}/admin/login/?next=/admin/",
        data={"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]

    data = to_bytes(filled({("beichen", "strategic-output"): 688.5}))
    token = csrf(session, f"{one}/admin/indicators/actual/import/")
    preview = session.post(
        f"{one}/admin/indicators/actual/import/",
        data={"csrfmiddlewaretoken": token},
        files={"file": ("2025年实际值.xlsx", data)},
        timeout=60,
    )
    assert preview.status_code == 200
    assert "将新增 1 条，修改 0 条，无变化 0 条" in preview.text
    upload = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text).group(1)

    token = csrf(session, f"{two}/admin/indicators/actual/import/")
    confirmed = session.post(
        f"{two}/admin/indicators/actual/import/",
        data={"csrfmiddlewaretoken": token, "token": upload},
        allow_redirects=False,
        timeout=60,
    )
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == "/admin/indicators/actual/"

    saved = Actual.objects.get(subject__slug="beichen", metric__slug="strategic-output", year=2025)
    assert saved.value == Decimal("688.5")
    for server in servers:
        page = session.get(f"{server}/admin/indicators/actual/{saved.pk}/change/", timeout=30)
        assert page.status_code == 200
        assert 'name="value" value="688.5000"' in page.text or 'value="688.5"' in page.text
