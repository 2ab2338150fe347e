"""Security: login lockout, production settings, no known passwords, CSRF, escaping, login-only mode."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from indicators.models import Actual, Metric, Subject
from parks.models import Park

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
ADMIN_LOGIN = reverse("admin:login")
XSS = "<script>alert(1)</script>"


def production_env(**extra):
    env = dict(os.environ)
    env.update(
        BEICHEN_ENV_FILE="",  # a server has no development .env
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="dashboard.beichen.gov.cn",
        DJANGO_SETTINGS_MODULE="beichen.settings",
    )
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


# -- lockout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("hours, minutes", [(1, 60), (2, 120)])
def test_the_lockout_message_names_the_configured_wait(client, alice, settings, hours, minutes):
    settings.AXES_COOLOFF_TIME = hours
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(ADMIN_LOGIN, {"username": "alice", "password": "wrong"})
    assert f"请 {minutes} 分钟后再试" in response.content.decode()


def test_repeated_failed_logins_lock_the_account_with_a_chinese_message(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(ADMIN_LOGIN, {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(ADMIN_LOGIN, {"username": "alice", "password": "wrong"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "账号已暂时锁定" in text
    assert "连续登录失败 5 次，该账号已被暂时锁定。请 60 分钟后再试，或联系系统管理员解锁。" in text
    # Even the right password is refused while the lock lasts.
    response = client.post(ADMIN_LOGIN, {"username": "alice", "password": "alice-pass-2024!"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_lifted_by_an_administrator(client, alice):
    from axes.utils import reset

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(ADMIN_LOGIN, {"username": "alice", "password": "wrong"})
    reset(username="alice")
    response = client.post(ADMIN_LOGIN, {"username": "alice", "password": "alice-pass-2024!"})
    assert response.status_code == 302


def test_the_site_login_page_is_also_protected(client, olivia):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "olivia", "password": "wrong"})
    response = client.post(url, {"username": "olivia", "password": "olivia-pass-2024!"})
    assert response.status_code == 429


# -- production settings ----------------------------------------------------------------------


def test_check_deploy_reports_nothing_under_production_settings():
    result = run(["manage.py", "check", "--deploy"], production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("debug", ["false", "true"])
def test_settings_refuse_to_start_without_a_secret_key_there_is_no_built_in_one(debug):
    env = production_env(DEBUG=debug)
    del env["SECRET_KEY"]
    result = run(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


# -- no known passwords -----------------------------------------------------------------------


def test_loading_the_documents_and_roles_creates_no_account():
    assert get_user_model().objects.count() == 0


def test_ensure_admin_creates_a_random_password_shown_once(capsys, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = re.search(r"随机密码（只显示这一次，请妥善保存）：(\S+)", out).group(1)
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(password)
    assert len(password) >= 16
    for guess in ("admin", "password", "123456", "admin123", "beichen"):
        assert not admin.check_password(guess)
    # A second installation gets another password.
    admin.delete()
    call_command("ensure_admin")
    again = re.search(r"：(\S+)$", capsys.readouterr().out.strip()).group(1)
    assert again != password


def test_ensure_admin_creates_nothing_when_an_administrator_exists(alice, capsys):
    call_command("ensure_admin")
    assert "已有管理员账号，未创建新账号。" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


# -- CSRF ---------------------------------------------------------------------------------------


def test_an_admin_post_without_a_csrf_token_is_refused(bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    before = Actual.objects.count()
    response = client.post(
        reverse("admin:indicators_actual_add"),
        {"subject": 1, "metric": 1, "year": 2025, "value": "1"},
    )
    assert response.status_code == 403
    assert Actual.objects.count() == before


def test_a_login_without_a_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-pass-2024!"})
    assert response.status_code == 403


def test_a_workflow_post_without_a_csrf_token_is_refused(carol):
    actual = Actual.objects.filter(subject__slug="new-energy").first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    url = reverse("admin:indicators_actual_transition", args=[actual.pk])
    assert client.post(url, {"transition": "submit"}).status_code == 403


def test_the_login_form_carries_a_token_and_only_the_language_switch_goes_without(client):
    """Published pages are cached for every visitor, so they hold no per-visitor token; the
    one form on them, the language switch, is exempt — forging it only changes a language."""
    text = client.get(reverse("login")).content.decode()
    # The header's search box only reads (GET): no token, nothing to forge.
    forms = [f for f in text.split("<form")[1:] if 'method="post"' in f.split(">", 1)[0]]
    assert len(forms) == 2
    for form in forms:
        has_token = 'name="csrfmiddlewaretoken"' in form
        assert has_token == (reverse("set_language") not in form.split(">", 1)[0])
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    assert strict.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403


# -- escaping ---------------------------------------------------------------------------------


@pytest.fixture
def script_park():
    park = Park.objects.get(slug="shuangyuan")
    park.name = XSS
    park.save()
    return park


def test_a_park_named_like_a_script_shows_as_text_in_the_admin(client, alice, script_park):
    client.force_login(alice)
    text = client.get(reverse("admin:parks_park_changelist")).content.decode()
    assert XSS not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_park_named_like_a_script_shows_as_text_on_its_page(client, script_park):
    response = client.get(reverse("parks:park", args=[script_park.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert XSS not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_source_like_a_script_shows_as_text_on_the_quality_page(client, alice):
    # A jump of more than 50% on 2024's 130.6 makes the figure (and its source) appear.
    Actual.objects.create(
        subject=Subject.objects.get(slug="new-energy"),
        metric=Metric.objects.get(slug="chain-output"),
        year=2025,
        value=300,
        source=XSS,
    )
    client.force_login(alice)
    text = client.get(reverse("indicators:quality")).content.decode()
    assert XSS not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# -- login-only mode ----------------------------------------------------------------------------


@override_settings(BEICHEN_PUBLIC=False)
def test_when_not_public_every_page_asks_for_a_login(client):
    for url in (reverse("indicators:home"), reverse("indicators:quality")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"


@override_settings(BEICHEN_PUBLIC=False)
def test_when_not_public_the_login_page_itself_is_open(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(ADMIN_LOGIN).status_code == 200


@override_settings(BEICHEN_PUBLIC=False)
def test_when_not_public_an_official_reads_after_logging_in(client, olivia):
    client.force_login(olivia)
    assert client.get(reverse("indicators:quality")).status_code == 200


def test_when_public_pages_are_open_to_visitors(client):
    assert client.get(reverse("indicators:quality")).status_code == 200


# -- spreadsheet injection ----------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","点击")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_page_exports_neutralise_a_formula_like_text(text):
    from indicators.engine import formatting

    assert formatting.spreadsheet_safe(text) == "'" + text
    assert formatting.spreadsheet_safe(1389.9) == 1389.9


@pytest.mark.parametrize("text", FORMULAS)
def test_the_report_workbook_writes_a_formula_like_note_as_text(text):
    from io import BytesIO

    from openpyxl import Workbook, load_workbook

    from indicators.spreadsheets import workbook

    book = Workbook()
    workbook.write_text(book.active["A1"], text)
    buffer = BytesIO()
    book.save(buffer)
    cell = load_workbook(BytesIO(buffer.getvalue())).active["A1"]
    assert (cell.data_type, cell.value) == ("s", text)


@override_settings(BEICHEN_PUBLIC=False)
def test_when_not_public_the_language_can_still_be_switched_on_the_login_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
