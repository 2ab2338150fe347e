"""Small readers the tests share: figures re-read from the database as plain numbers."""

import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.html import strip_tags

from indicators.models import Actual, Metric, Plan, StatedTotal, Statement, Subject, Target
from parks.models import Locality, Park

ACTION_PLAN = "doubling-2021-2025"
FOURTEENTH = "industry-14th-fyp"


def num(value):
    """A Decimal from the database as the document prints it: 330, 4.3, 0.5."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def target(subject, metric, plan=ACTION_PLAN):
    t = Target.objects.get(plan__slug=plan, subject__slug=subject, metric__slug=metric)
    return num(t.baseline_value), num(t.target_value)


def actual(subject, metric, year):
    return num(Actual.objects.get(subject__slug=subject, metric__slug=metric, year=year).value)


def statement(source, subject, metric, year):
    s = Statement.objects.get(source=source, subject__slug=subject, metric__slug=metric, year=year)
    return num(s.value)


def stated_total(source, metric, role, year):
    return num(
        StatedTotal.objects.get(source=source, metric__slug=metric, role=role, year=year).value
    )


def plan(slug=ACTION_PLAN):
    return Plan.objects.get(slug=slug)


def stated_parks_output_2025(value="80"):
    """A 合计 of the parks' 2025 output as staff enter it in the admin (a total of actuals,
    in the action plan's document)."""
    return StatedTotal.objects.create(
        plan=plan(),
        document=plan().document,
        source="测试合计",
        metric=Metric.objects.get(slug="park-output"),
        scope=Subject.Kind.PARK,
        role=StatedTotal.Role.ACTUAL,
        year=2025,
        value=value,
    )


def make_actual(subject="new-energy", metric="chain-output", year=2025, value="140", **extra):
    """An actual written straight to the database (a draft unless `state` says otherwise)."""
    return Actual.objects.create(
        subject=Subject.objects.get(slug=subject),
        metric=Metric.objects.get(slug=metric),
        year=year,
        value=value,
        **extra,
    )


def approved(subject, metric, year, value, **extra):
    """A published figure, as a reviewer's approval leaves it."""
    return make_actual(subject, metric, year, value, state=Actual.State.APPROVED, **extra)


def text_of(response):
    """The page as a reader sees it: tags removed, whitespace collapsed."""
    return " ".join(strip_tags(response.content.decode()).split())


def read_page(client, url):
    """GET a page that must answer 200; its text without scripts, entities unescaped."""
    response = client.get(url)
    assert response.status_code == 200
    body = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def entry_form(subject, metric, year, value, **extra):
    """What the admin's entry form posts for one figure (subject and metric by slug)."""
    return {
        "subject": Subject.objects.get(slug=subject).pk,
        "metric": Metric.objects.get(slug=metric).pk,
        "year": year,
        "value": value,
        "period": "year",
        "month": "",
        "quarter": "",
        "period_text": "",
        "stated_growth": "",
        "note": "",
        "source": "",
        **extra,
    }


ROOT = Path(__file__).resolve().parent.parent


def last_line_of_python(script, *args, env=None):
    """The last line a fresh Python process printed running `script` with `args`, started in
    the project as a worker is (the tests' settings), with `env` changing its environment
    (a value of None removes the variable)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
    }
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return out.strip().splitlines()[-1]


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed"
)


def libreoffice_convert(source: Path, to: str, timeout: int = 240) -> Path:
    """Convert `source` with headless LibreOffice (`to` as soffice's --convert-to takes it,
    e.g. "pdf"), with a profile of its own beside the file; returns the converted file."""
    folder = source.parent
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return folder / f"{source.stem}.{to.split(':')[0]}"


def filled_template(subject, metric, rows, year=2026):
    """The import template of `year` with one row per (period text, value) for one figure."""
    from indicators.spreadsheets import importing
    from indicators.spreadsheets.workbook import to_bytes

    wb = importing.template(year)
    ws = wb[importing.SHEET_NAME]
    column = {name: i + 1 for i, name in enumerate(importing.HEADERS)}
    template_row = next(
        r
        for r in range(2, ws.max_row + 1)
        if (ws.cell(r, column["对象代码"]).value, ws.cell(r, column["指标代码"]).value)
        == (subject, metric)
    )
    original = [c.value for c in ws[template_row]]
    for period, value in rows:
        cells = list(original)
        cells[column["统计期"] - 1] = period
        cells[column["数值"] - 1] = value
        ws.append(cells)
    return to_bytes(wb)


def plan_target(subject, metric, baseline, target):
    """A target of the action plan (2020 → 2025) for a subject a test made."""
    return Target.objects.create(
        plan=plan(),
        subject=subject,
        metric=metric,
        baseline_year=2020,
        baseline_value=baseline,
        target_year=2025,
        target_value=target,
        document=Target.objects.first().document,
        source="测试",
    )


def more_parks(n):
    """`n` more parks of 天穆镇, each with an output target and a 2023 output: park i has
    10 公顷 and i + 1 亿元 (so the last one has the highest output per mu)."""
    town = Locality.objects.get(slug="tianmu")
    output = Metric.objects.get(slug="park-output")
    for i in range(n):
        park = Park.objects.create(
            name=f"测试园区{i}", slug=f"test-park-{i}", managed_by=town, area_ha=10, order=100 + i
        )
        plan_target(park, output, 1, 2)
        approved(park.slug, "park-output", 2023, Decimal(i + 1))


def mixed_final_figures():
    """Figures of the doubling plan in every state a final row can be in, approved unless said:
    a whole 2025 beside its 1—10月 (the whole year decides), a draft whole 2025 beside an
    approved 1—9月 (still 待补数, the months shown), a last whole year two years before the
    target year (2022) with 1—6月 of 2024 and 2025, quarters of 2024 and 2025, and quarters
    of 2025 of a figure with no whole year."""
    months, quarter = Actual.Period.MONTHS, Actual.Period.QUARTER
    approved("new-energy", "chain-output", 2025, "900")
    approved("new-energy", "chain-output", 2025, "700", period=months, month=10)
    approved("new-energy", "chain-output", 2024, "600", period=months, month=10)
    make_actual("biomedicine", "chain-output", 2025, "50")
    approved("biomedicine", "chain-output", 2025, "40", period=months, month=9)
    Actual.objects.filter(
        subject__slug="tcm", metric__slug="chain-output", year=2024, period=Actual.Period.YEAR
    ).delete()
    approved("tcm", "chain-output", 2022, "60")
    approved("tcm", "chain-output", 2024, "30", period=months, month=6)
    approved("tcm", "chain-output", 2025, "36", period=months, month=6)
    for year, number, value in ((2024, 1, "25"), (2024, 2, "30"), (2025, 1, "28"), (2025, 2, "33")):
        approved("high-end-equipment", "chain-output", year, value, period=quarter, quarter=number)
    approved("beichen", "hightech-firms", 2025, 715)
    for number, value in ((1, "10"), (2, "25")):  # no whole year ever: quarters of 2025 alone
        approved("beichen", "hightech-output", 2025, value, period=quarter, quarter=number)


def asked_twice_at_once(ask, started, release):
    """`ask` in two threads: the second starts once the first has `started` its work and is
    given time to reach where it waits; then the first's work is let go (`release`)."""
    first, second = threading.Thread(target=ask), threading.Thread(target=ask)
    first.start()
    assert started.wait(5)
    second.start()
    time.sleep(0.3)  # the second is waiting by now
    release.set()
    first.join(5), second.join(5)
