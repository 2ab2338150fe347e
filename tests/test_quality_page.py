"""The 数据质量 page: what a visitor and a staff member see."""

import pytest
from django.urls import reverse

from indicators.models import Actual, Metric, Subject

pytestmark = pytest.mark.django_db

URL = reverse("indicators:quality")


def draft_jump():
    """New energy's 2025 output entered at 300 against 2024's 130.6, not yet approved."""
    return Actual.objects.create(
        subject=Subject.objects.get(slug="new-energy"),
        metric=Metric.objects.get(slug="chain-output"),
        year=2025,
        value=300,
    )


def test_a_visitor_sees_the_documents_own_inconsistencies(client):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "2020年在链企业数量合计 312 家，9 个产业链分项之和为 322 家，相差 -10 家。",
        "园区占地面积合计 7484 公顷，21 个园区分项之和为 7485 公顷，相差 -1 公顷。",
        "2024年北辰区在链企业产值 1294.1 亿元，9 个产业链之和为 1294.3 亿元，相差 -0.2 亿元。",
        "“正文 二（一）高端装备制造”为 53 家，“附件3”为 55 家。",
    ):
        assert expected in text


def test_completeness_shows_each_group_with_its_share(client):
    response = client.get(URL)
    rows = {r.group.slug: r for r in response.context["completeness"]}
    assert response.context["year"] == 2024
    assert (rows["new-energy"].filled, len(rows["new-energy"].expected)) == (2, 4)
    assert "50.0%" in response.content.decode()


def test_a_visitor_does_not_see_unapproved_figures(client):
    draft_jump()
    response = client.get(URL)
    assert [f for f in response.context["problems"].data if f.rule == "yoy"] == []
    assert "尚未审核" not in response.content.decode()


def test_staff_see_unapproved_figures_marked_as_such(client, carol):
    draft_jump()
    client.force_login(carol)
    text = client.get(URL).content.decode()
    assert "您以工作人员身份查看：检查包含尚未审核的数值。" in text
    assert "新能源产业链2025年在链企业产值 300 亿元，上年（2024年）为 130.6 亿元" in text


def test_another_year_can_be_chosen(client):
    response = client.get(URL, {"year": "2023"})
    assert response.context["year"] == 2023
    assert "2023年实际值填报情况" in response.content.decode()


def test_an_unreadable_year_is_named_in_the_message(client):
    response = client.get(URL, {"year": "二〇二四"})
    assert response.context["year"] == 2024
    assert "年份“二〇二四”无法识别，请填写四位数字，如 2024；下面显示最近一年。" in (
        response.content.decode()
    )


def test_the_page_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # The rules read each table once (plans, documents, subjects, metrics, targets, the
    # whole-year figures as values …), however many figures there are.
    with django_assert_max_num_queries(15):
        client.get(URL)


def test_the_navigation_links_to_the_page(client):
    assert f'href="{URL}"' in client.get(reverse("indicators:home")).content.decode()
