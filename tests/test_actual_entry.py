"""Entering a year's actual figure through the admin, as district staff do."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from indicators.models import Actual, Metric, Subject
from tests.helpers import entry_form as form

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:indicators_actual_add")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def in_november_2026(time_machine):
    """A year is accepted up to the present one: these entries are made in November 2026."""
    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def staff_client(client, alice):
    client.force_login(alice)
    return client


def errors_of(response):
    return response.context["adminform"].form.errors


def test_it_saves_a_new_actual_as_a_draft_by_its_editor(staff_client, alice):
    response = staff_client.post(ADD_URL, form("new-energy", "chain-output", 2025, "188.5"))
    assert response.status_code == 302
    saved = Actual.objects.get(subject__slug="new-energy", metric__slug="chain-output", year=2025)
    assert (saved.value, saved.state, saved.entered_by) == (188.5, "draft", alice)
    assert saved.history.latest().history_user == alice


def test_entering_the_same_year_again_edits_the_existing_row(staff_client):
    staff_client.post(ADD_URL, form("tianmu", "hightech-firms", 2025, "11"))
    response = staff_client.post(ADD_URL, form("tianmu", "hightech-firms", 2025, "12"), follow=True)
    rows = Actual.objects.filter(subject__slug="tianmu", metric__slug="hightech-firms", year=2025)
    assert [r.value for r in rows] == [12]
    messages = [str(m) for m in response.context["messages"]]
    assert "天穆镇的“国家级高新技术企业数量”2025年已有数值 11，已改为修改该条记录。" in messages
    assert [h.value for h in rows.get().history.order_by("history_date")] == [11, 12]


@pytest.mark.parametrize(
    "year",
    [1900, 2200, 2019, 2027],
)
def test_it_refuses_a_year_outside_the_plans_and_the_present(staff_client, year):
    response = staff_client.post(ADD_URL, form("beichen", "rd-share", year, "2.6"))
    assert errors_of(response)["year"] == [
        f"年份须在 2020 年至 2026 年之间（填写的是 {year} 年）。"
    ]
    assert not Actual.objects.filter(metric__slug="rd-share", year=year).exists()


def test_next_year_is_accepted_once_it_has_begun(client, alice, time_machine):
    time_machine.move_to(datetime(2027, 1, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    client.force_login(alice)
    response = client.post(
        ADD_URL, form("beichen", "industrial-output-yoy", 2027, "3.5", period="months", month="1")
    )
    assert response.status_code == 302
    assert Actual.objects.get(metric__slug="industrial-output-yoy", year=2027).value == 3.5


def test_it_refuses_text_in_the_value(staff_client):
    response = staff_client.post(ADD_URL, form("beichen", "rd-share", 2025, "二点六"))
    assert errors_of(response)["value"] == ["数值只能填写数字，如 1389.9。"]


def test_it_refuses_a_negative_amount(staff_client):
    response = staff_client.post(ADD_URL, form("new-energy", "chain-output", 2025, "-5"))
    assert errors_of(response)["value"] == ["在链企业产值不能为负数（填写的是 -5）。"]


def test_it_refuses_a_negative_count(staff_client):
    response = staff_client.post(ADD_URL, form("tianmu", "hightech-firms", 2025, "-1"))
    assert errors_of(response)["value"] == ["国家级高新技术企业数量不能为负数（填写的是 -1）。"]


def test_it_refuses_a_percentage_over_100(staff_client):
    response = staff_client.post(ADD_URL, form("beichen", "rd-share", 2025, "120"))
    assert errors_of(response)["value"] == [
        "R&D经费投入占营业收入比重是百分比，须在 0 到 100 之间（填写的是 120）。"
    ]


def test_it_refuses_a_fraction_of_a_firm(staff_client):
    response = staff_client.post(ADD_URL, form("tianmu", "hightech-firms", 2025, "10.5"))
    assert errors_of(response)["value"] == [
        "国家级高新技术企业数量是家数，须为整数（填写的是 10.5）。"
    ]


def test_a_growth_rate_may_be_negative(staff_client):
    response = staff_client.post(
        ADD_URL,
        form("beichen", "industrial-output-yoy", 2026, "-1.5", period="months", month="3"),
    )
    assert response.status_code == 302
    assert Actual.objects.get(metric__slug="industrial-output-yoy", year=2026).value == -1.5


def test_a_cumulative_figure_must_say_to_which_month(staff_client):
    response = staff_client.post(
        ADD_URL, form("beichen", "industrial-output", 2026, "300", period="months")
    )
    assert errors_of(response)["month"] == ["1—N月累计数须填写累计至几月（1 至 11）。"]


def test_a_figure_for_some_other_period_must_quote_the_document(staff_client):
    response = staff_client.post(
        ADD_URL, form("beichen", "industrial-output", 2026, "300", period="other")
    )
    assert errors_of(response)["period_text"] == ["其他统计期须照录原文，如“2021-2025年累计”。"]


def test_the_form_shows_the_unit_baseline_and_target_of_the_figure(staff_client):
    subject = Subject.objects.get(slug="beichen")
    metric = Metric.objects.get(slug="hightech-firms")
    url = reverse("admin:indicators_actual_reference")
    data = staff_client.get(url, {"subject": subject.pk, "metric": metric.pk}).json()
    assert data == {
        "unit": "家",
        "targets": [
            {
                "plan": "倍增行动方案",
                "unit": "家",
                "baseline": "2020年 400",
                "target": "2025年 800",
            },
            {
                "plan": "工业“十四五”规划",
                "unit": "家",
                "baseline": "2020年 442",
                "target": "2025年 650",
            },
        ],
    }
    actual = Actual.objects.get(subject=subject, metric=metric, year=2024)
    page = staff_client.get(reverse("admin:indicators_actual_change", args=[actual.pk]))
    assert "倍增行动方案：基数 2020年 400，目标 2025年 800" in page.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"year": "2023"}, 1),
        ({"chain": "new-energy"}, 3),
        ({"locality": "kaifaqu"}, 2),
        ({"kind": "chain"}, 9 * 2 + 7 + 4),  # firms, output, share, growth
    ],
)
def test_the_list_filters_by_year_chain_locality_and_kind(staff_client, query, expected):
    params = dict(query)
    for key in ("chain", "locality"):
        if key in params:
            params[key] = Subject.objects.get(slug=params[key]).pk
    response = staff_client.get(reverse("admin:indicators_actual_changelist"), params)
    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


def test_the_plan_filter_lists_only_figures_that_plan_tracks(staff_client):
    from indicators.models import Plan

    plan = Plan.objects.get(slug="industry-14th-fyp")
    response = staff_client.get(reverse("admin:indicators_actual_changelist"), {"plan": plan.pk})
    names = sorted(a.metric.slug for a in response.context["cl"].result_list)
    assert names == [
        "digital-workshops",
        "green-factories",
        "hightech-firms",
        "mfg-va-gdp-share",
        "strategic-va-share",
    ]


def test_search_finds_figures_by_subject_name(staff_client):
    response = staff_client.get(
        reverse("admin:indicators_actual_changelist"), {"q": "新能源产业链"}
    )
    assert response.context["cl"].result_count == 3


def test_the_admin_speaks_chinese_for_every_section(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    for name in ("指标与进度", "产业链", "属地与园区", "登录保护", "登录失败记录", "登录日志"):
        assert name in html
    assert "Access attempts" not in html and "Indicators" not in html


def test_the_entry_form_offers_no_shortcut_to_create_or_delete_subjects_and_figures(staff_client):
    html = staff_client.get(ADD_URL).content.decode()
    assert 'id="add_id_metric"' not in html and 'id="delete_id_metric"' not in html
    assert 'id="change_id_subject"' not in html
