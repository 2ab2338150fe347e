"""The direction of dependencies is checked by import-linter (`.importlinter`, run by `make lint`)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["beichen", "indicators", "chains", "parks", "api"]


def lint_imports(cwd):
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def tree_copy(tmp_path):
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_layers_hold_as_the_code_stands(tree_copy):
    result = lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_core_module_importing_a_subject_app_breaks_the_contract(tree_copy):
    tracking = tree_copy / "indicators" / "domain" / "tracking.py"
    tracking.write_text(tracking.read_text() + "\nfrom chains.models import Chain  # noqa\n")
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "The core imports no subject app" in result.stdout
    assert "indicators.domain.tracking -> chains.models" in result.stdout


def test_the_engine_importing_django_breaks_the_contract(tree_copy):
    progress = tree_copy / "indicators" / "engine" / "progress.py"
    progress.write_text(progress.read_text() + "\nimport django  # noqa\n")
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "indicators.engine.progress -> django" in result.stdout
