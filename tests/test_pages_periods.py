"""The latest period beside the last full year: 同比 and 预计全年 on the overview and a figure's page."""

import pytest
from django.urls import reverse

from indicators.domain import workflow
from indicators.models import Actual, Metric, Subject
from tests.helpers import text_of

# In November 2026: the 2021–2025 plan has ended and 2026 is the year in progress.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2026")]

TOWN_PAGE = "/indicators/doubling-2021-2025/shuangjie/strategic-output/"
ADD_URL = reverse("admin:indicators_actual_add")


def test_the_overview_shows_january_to_october_2025_with_its_stated_growth(client):
    page = text_of(client.get("/"))
    assert "2025年1—10月 1,152.5 亿元，同比 −0.3%" in page
    assert "预计全年 1,383.0 亿元" in page  # 1152.5 × 12 ÷ 10: no 2024 months to go by
    assert "按1—10月月均值×12/10推算" in page


def enter(client, year, value, period="months", month=""):
    data = {
        "subject": Subject.objects.get(slug="shuangjie").pk,
        "metric": Metric.objects.get(slug="strategic-output").pk,
        "year": year,
        "period": period,
        "month": month,
        "quarter": "",
        "period_text": "",
        "value": value,
        "stated_growth": "",
        "note": "",
        "source": "",
    }
    assert client.post(ADD_URL, data).status_code == 302


def approve_all(clerk, reviewer):
    for actual in Actual.objects.filter(subject__slug="shuangjie", state="draft"):
        workflow.submit(actual, clerk)
        workflow.approve(actual, reviewer)


def test_bobs_months_show_growth_on_last_years_months_and_an_estimate(client, bob, rita):
    client.force_login(bob)
    enter(client, 2026, "30.5", month="9")
    enter(client, 2026, "34.2", month="10")
    approve_all(bob, rita)
    page = text_of(client.get(TOWN_PAGE))
    assert "2026年1—10月 34.2 亿元（缺少上年同期数，无法计算同比）" in page
    assert "预计全年 41.0 亿元（按1—10月月均值×12/10推算）" in page

    client.force_login(bob)
    enter(client, 2025, "30", month="10")
    enter(client, 2025, "40", period="year")
    approve_all(bob, rita)
    saved = Actual.objects.filter(subject__slug="shuangjie", metric__slug="strategic-output")
    assert sorted((a.period_label, float(a.value), a.state) for a in saved) == [
        ("2025年", 40.0, "approved"),
        ("2025年1—10月", 30.0, "approved"),
        ("2026年1—10月", 34.2, "approved"),
        ("2026年1—9月", 30.5, "approved"),
    ]
    page = text_of(client.get(TOWN_PAGE))
    assert "2026年1—10月 34.2 亿元，同比 +14.0%" in page  # 34.2 ÷ 30 − 1
    assert "预计全年 45.6 亿元（按2025年1—10月占全年的比重75.0%推算）" in page  # 34.2 ÷ 0.75


def test_a_part_year_figure_never_decides_the_status(client, bob, rita):
    client.force_login(bob)
    enter(client, 2026, "34.2", month="10")
    approve_all(bob, rita)
    response = client.get(TOWN_PAGE)
    assert (
        response.context["tracked"].latest is None or not response.context["tracked"].latest.partial
    )
    assert response.context["row"]["status"].label == "无数据"


def test_the_chart_shows_one_part_year_point_a_year_the_latest(client, bob, rita):
    client.force_login(bob)
    enter(client, 2026, "30.5", month="9")
    enter(client, 2026, "34.2", month="10")
    approve_all(bob, rita)
    chart = client.get(TOWN_PAGE).context["chart"]
    part_year = next(trace for trace in chart["data"] if trace["name"] == "部分年度")
    assert (list(part_year["x"]), list(part_year["y"])) == ([2026], [34.2])
