"""A town's clerk enters a year's figure in the admin, in a real browser."""

import pytest

from indicators.models import Actual

pytestmark = pytest.mark.browser


def choose(page, field, search, option):
    """Pick an option in the admin's autocomplete box by typing part of its name."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.keyboard.type(search)
    page.click(f".select2-results__option:text-is('{option}')")
    page.wait_for_function(
        f"document.querySelector('#select2-id_{field}-container').textContent.includes('{search}')"
    )


def test_bob_enters_his_towns_high_tech_firms_seeing_unit_baseline_and_target(
    page, live_server, bob
):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", "bob-pass-2024!")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/indicators/actual/add/")
    choose(page, "subject", "双街镇", "双街镇")
    choose(page, "metric", "国家级高新技术企业数量", "国家级高新技术企业数量（家）")
    page.wait_for_function(
        "document.getElementById('actual-reference').textContent.startsWith('单位：')"
    )
    assert (
        page.inner_text("#actual-reference")
        == "单位：家；倍增行动方案：基数 2020年 35，目标 2025年 50"
    )

    page.fill("#id_year", "2025")
    page.fill("#id_value", "-2")
    page.click("input[name=_save]")
    assert "国家级高新技术企业数量不能为负数（填写的是 -2）。" in page.inner_text("#content")

    page.fill("#id_value", "44")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/indicators/actual/")
    saved = Actual.objects.get(subject__slug="shuangjie", metric__slug="hightech-firms", year=2025)
    assert (saved.value, saved.state, saved.entered_by.username) == (44, "draft", "bob")
