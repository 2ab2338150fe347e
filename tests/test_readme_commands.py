"""Every command the README prints works as printed, in a fresh copy of the project.

The copy holds what a clone holds (tracked files, no .env, no database); it shares this
checkout's .venv, so `make setup` there only writes .env, migrates and loads the documents,
as `make run` and `make test` do on a fresh clone. Then each README command runs exactly as
printed, after `. .venv/bin/activate`, with nothing of the suite's environment around it.
"""

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

BASE_DIR = Path(__file__).resolve().parent.parent
README = (BASE_DIR / "README.md").read_text(encoding="utf-8")

# Each `python manage.py …` command of the README, and the settings the README says it runs
# under ("development" after `make run`/`make test`, or the production variables it names).
COMMANDS = {
    "python manage.py load_documents": "development",
    "python manage.py export_report --year 2024 --output report.xlsx": "development",
    "python manage.py export_report --year 2024 --format docx --output report.docx": "development",
    "python manage.py setup_roles": "development",
    "python manage.py collectstatic": "production",
    "python manage.py check --deploy": "production",
    # Printed with a placeholder for the reader to fill in (FILE, N); their own tests run them
    # (tests/test_backup.py, tests/test_generate_scale_data.py), not this file.
    "python manage.py backup --output FILE": "placeholder",
    "python manage.py restore FILE --replace": "placeholder",
    "python manage.py generate_scale_data --factor N": "placeholder",
}

# Variables a developer's shell does not have after a fresh clone (the suite sets some).
SUITE_ONLY = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "BEICHEN_ENV_FILE")


def readme_commands():
    """`python manage.py …` in the text, and such lines in code blocks ("…" names them all)."""
    found = set(re.findall(r"`(python manage\.py [^`…]+)`", README)) | set(
        re.findall(r"^(python manage\.py .+?)\s*(?:#.*)?$", README, re.MULTILINE)
    )
    return found


def test_the_list_below_is_every_command_the_readme_prints():
    assert readme_commands() == set(COMMANDS)


def test_the_readme_says_to_activate_the_virtual_environment_first():
    assert ". .venv/bin/activate" in README


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A copy of the project as a clone has it, set up by `make setup`."""
    root = tmp_path_factory.mktemp("clone") / "beichen"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = BASE_DIR / name
        if source.is_file() and not source.is_symlink():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    assert not (root / ".env").exists() and not (root / "db.sqlite3").exists()
    (root / ".venv").symlink_to(Path(sys.prefix))
    result = subprocess.run(
        ["make", "setup"],
        cwd=root,
        env=shell_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def shell_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in SUITE_ONLY}
    env.update(extra)
    return env


def run(clone, command, **extra):
    script = f". .venv/bin/activate && {command}"
    return subprocess.run(
        ["bash", "-c", script],
        cwd=clone,
        stdin=subprocess.DEVNULL,
        env=shell_env(**extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def production(clone):
    return {
        "BEICHEN_ENV_FILE": "",  # a server has no development .env
        "DEBUG": "false",
        "SECRET_KEY": "production-key-" + "k" * 40,
        "ALLOWED_HOSTS": "dashboard.beichen.gov.cn",
        "DATABASE_URL": f"sqlite:///{clone / 'db.sqlite3'}",
    }


def test_make_setup_writes_a_private_development_env(clone):
    lines = (clone / ".env").read_text().splitlines()
    assert "DEBUG=true" in lines
    [key] = [line.split("=", 1)[1] for line in lines if line.startswith("SECRET_KEY=")]
    assert len(key) >= 50
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=BASE_DIR)
    assert ignored.returncode == 0


def test_load_documents_as_printed(clone):
    result = run(clone, "python manage.py load_documents")
    assert result.returncode == 0, result.stderr
    # `make setup` loaded them already; loading twice changes nothing, as the README says.
    assert result.stdout.splitlines()[-1] == "数据已是最新，未作改动。"


def test_export_report_as_printed_writes_the_2024_workbook(clone):
    result = run(clone, "python manage.py export_report --year 2024 --output report.xlsx")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已生成 report.xlsx：2024年报告")
    summary = load_workbook(clone / "report.xlsx")["汇总"]
    assert round(summary["I3"].value, 3) == 1.076  # 39.8 ÷ 37, the report's own completion


def test_export_report_as_printed_writes_the_2024_word_report(clone):
    command = "python manage.py export_report --year 2024 --format docx --output report.docx"
    result = run(clone, command)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(clone / "report.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "2024" in body


def test_setup_roles_as_printed(clone):
    result = run(clone, "python manage.py setup_roles")
    assert result.returncode == 0, result.stderr


def test_collectstatic_as_printed_for_production(clone):
    result = run(clone, "python manage.py collectstatic", **production(clone))
    assert result.returncode == 0, result.stderr
    assert (clone / "staticfiles" / "css" / "dashboard.css").is_file()
    assert (clone / "staticfiles" / "staticfiles.json").is_file()  # the hashed manifest


def test_check_deploy_as_printed_reports_nothing_under_production_settings(clone):
    result = run(clone, "python manage.py check --deploy", **production(clone))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_a_secret_key_a_server_refuses_to_start(clone):
    env = production(clone)
    del env["SECRET_KEY"]
    result = run(clone, "python manage.py check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
