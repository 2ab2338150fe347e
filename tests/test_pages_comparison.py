"""Both plans' targets for the same quantity side by side."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_high_tech_firms_show_both_plans_against_the_same_2024_actual(client):
    html = client.get("/compare/").content.decode()
    assert "400 家 → 800 家" in html
    assert "442 家 → 650 家" in html
    assert "2024年实际 715 家" in html
    assert "89.4%" in html and "110.0%" in html


def test_the_comparison_exports_one_row_per_plan(client):
    rows = json.loads(client.get("/compare/", {"_export": "json"}).content)
    firms = [r for r in rows if r["指标"] == "国家级高新技术企业数量"]
    assert [(r["基数"], r["目标"], r["最新实际值"]) for r in firms] == [
        (400, 800, 715),
        (442, 650, 715),
    ]
    assert [r["完成度"] for r in firms] == [pytest.approx(89.38), pytest.approx(110.0)]
