"""Staff export the figures they select in the admin (django-import-export)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Actual, Target
from indicators.spreadsheets.resources import ActualResource, TargetResource

pytestmark = pytest.mark.django_db


def export(client, model, queryset):
    resource = {"actual": ActualResource, "target": TargetResource}[model]
    columns = {f"{resource.__name__.lower()}_{name}": "on" for name in resource._meta.fields}
    response = client.post(
        reverse(f"admin:indicators_{model}_export"),
        {
            "format": "0",
            "resource": "0",
            "export_items": list(queryset.values_list("pk", flat=True)),
            **columns,
        },
    )
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(response.content)).active


def test_selected_actuals_export_with_chinese_headers_and_numbers(client, alice):
    client.force_login(alice)
    chains = Actual.objects.filter(metric__slug="chain-output", subject__kind="chain", year=2024)
    sheet = export(client, "actual", chains)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("对象", "对象代码", "指标", "指标代码", "单位", "年份", "数值")
    values = {row[1]: row[6] for row in rows[1:]}
    assert values["new-energy"] == 130.6 and values["new-materials"] == 425.1
    assert len(values) == 9


def test_a_formula_in_a_note_leaves_the_admin_export_as_text(client, alice):
    client.force_login(alice)
    actual = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2024)
    Actual.objects.filter(pk=actual.pk).update(note='=HYPERLINK("http://example.com","x")')
    sheet = export(client, "actual", Actual.objects.filter(pk=actual.pk))
    note = sheet.cell(row=2, column=13)
    assert note.data_type == "s"
    assert note.value == '\'=HYPERLINK("http://example.com","x")'


def test_baselines_and_targets_export_as_numbers(client, alice):
    client.force_login(alice)
    table_1 = Target.objects.filter(headline=True).order_by("order")
    rows = list(export(client, "target", table_1).iter_rows(values_only=True))
    assert rows[0] == (
        "规划",
        "对象",
        "指标",
        "单位",
        "基期年份",
        "基期数值",
        "目标年份",
        "目标数值",
        "文件所列年均增速（增加数量）",
        "所列数值的含义",
        "出处",
    )
    # Table 1's column holds a yearly rate for amounts, a five-year increase for the others.
    assert [(r[5], r[7], r[8], r[9]) for r in rows[1:]] == [
        (330, 700, "16%", "年均增速"),
        (100, 200, "15%", "年均增速"),
        (40, 80, "40", "五年增加量"),
        (400, 800, "400", "五年增加量"),
        (1.2, 2.4, "1.2", "五年增加百分点"),
    ]


def test_a_town_clerk_cannot_export_another_towns_figures(client, bob):
    client.force_login(bob)
    other = Actual.objects.filter(subject__slug="new-energy")
    response = client.post(
        reverse("admin:indicators_actual_export"),
        {"format": "0", "resource": "0", "export_items": list(other.values_list("pk", flat=True))},
    )
    assert b"new-energy" not in response.content
