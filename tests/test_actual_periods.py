"""A town's clerk enters 1—N月累计 figures, through the admin form and the spreadsheet import."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Actual, Metric, Subject
from indicators.spreadsheets import importing
from tests.helpers import filled_template

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:indicators_actual_add")
TOWN, OUTPUT = "shuangjie", "strategic-output"  # 双街镇, 工业战略性新兴产业产值 (亿元)


def form(year, value, period="months", month="", quarter="", subject=TOWN, metric=OUTPUT):
    return {
        "subject": Subject.objects.get(slug=subject).pk,
        "metric": Metric.objects.get(slug=metric).pk,
        "year": year,
        "period": period,
        "month": month,
        "quarter": quarter,
        "period_text": "",
        "value": value,
        "stated_growth": "",
        "note": "",
        "source": "",
    }


def stored(year, **period):
    rows = Actual.objects.filter(subject__slug=TOWN, metric__slug=OUTPUT, year=year, **period)
    return [(a.period_label, a.value, a.state) for a in rows.order_by("month")]


def errors_of(response):
    return response.context["adminform"].form.errors


def test_bob_enters_january_to_september_and_october_for_his_town(client, bob):
    client.force_login(bob)
    assert client.post(ADD_URL, form(2026, "30.5", month="9")).status_code == 302
    assert client.post(ADD_URL, form(2026, "34.2", month="10")).status_code == 302
    assert stored(2026) == [
        ("2026年1—9月", Decimal("30.5000"), "draft"),
        ("2026年1—10月", Decimal("34.2000"), "draft"),
    ]


def test_entering_the_same_months_again_edits_that_figure(client, bob):
    client.force_login(bob)
    client.post(ADD_URL, form(2026, "30.5", month="9"))
    client.post(ADD_URL, form(2026, "31", month="9"))
    assert stored(2026) == [("2026年1—9月", Decimal("31.0000"), "draft")]


def test_a_cumulative_figure_cannot_exceed_a_later_months(client, bob):
    client.force_login(bob)
    client.post(ADD_URL, form(2026, "34.2", month="10"))
    response = client.post(ADD_URL, form(2026, "40", month="9"))
    assert errors_of(response)["value"] == [
        "工业战略性新兴产业产值是累计数，2026年1—9月的 40 亿元 不能大于2026年1—10月的 34.2 亿元，请核对。"
    ]
    assert stored(2026) == [("2026年1—10月", Decimal("34.2000"), "draft")]


def test_a_count_of_firms_is_not_cumulative_and_may_fall(client, bob):
    client.force_login(bob)
    client.post(ADD_URL, form(2026, "12", month="9", metric="hightech-firms"))
    response = client.post(ADD_URL, form(2026, "11", month="10", metric="hightech-firms"))
    assert response.status_code == 302


def test_twelve_months_are_the_whole_year(client, bob):
    client.force_login(bob)
    response = client.post(ADD_URL, form(2026, "40", month="12"))
    assert errors_of(response)["month"] == ["1—12月累计即全年数据，请把统计期选为“全年”。"]


def test_a_quarter_needs_its_number(client, bob):
    client.force_login(bob)
    response = client.post(ADD_URL, form(2026, "10", period="quarter"))
    assert errors_of(response)["quarter"] == ["季度数据须填写第几季度（1 至 4）。"]
    response = client.post(ADD_URL, form(2026, "10", period="quarter", quarter="3"))
    assert response.status_code == 302
    assert stored(2026, period="quarter") == [("2026年第三季度", Decimal("10.0000"), "draft")]


def test_one_figure_per_subject_metric_year_and_period_is_a_named_constraint():
    subject, metric = Subject.objects.get(slug=TOWN), Metric.objects.get(slug=OUTPUT)
    Actual.objects.create(
        subject=subject, metric=metric, year=2026, period="months", month=9, value=3
    )
    twin = Actual(subject=subject, metric=metric, year=2026, period="months", month=9, value=4)
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert error.value.messages == [
        "双街镇的“工业战略性新兴产业产值”已有2026年1—9月的数值，请直接修改该条记录。"
    ]
    # A full year and its months live side by side.
    Actual(subject=subject, metric=metric, year=2026, value=40).full_clean()


def filled(rows):
    """The 2026 template with 双街镇's 战新产值 filled in for each (period text, value)."""
    return filled_template(TOWN, OUTPUT, rows)


def test_bob_imports_january_to_september_and_october(bob):
    preview = importing.apply(filled([("1—9月", 30.5), ("1-10月", 34.2)]), "双街.xlsx", bob)
    assert preview.errors == []
    assert stored(2026) == [
        ("2026年1—9月", Decimal("30.5000"), "draft"),
        ("2026年1—10月", Decimal("34.2000"), "draft"),
    ]


def test_the_import_refuses_months_that_shrink_and_a_period_it_cannot_read(bob):
    preview = importing.check(filled([("1—9月", 36), ("1—10月", 34.2), ("上半年", 20)]), "x", bob)
    rows = {r.number: r.errors for r in preview.rows}
    first = min(rows)
    assert rows[first] == [
        f"第{first}行“数值”列：工业战略性新兴产业产值是累计数，2026年1—9月的 36 亿元 "
        f"不能大于第{first + 1}行的2026年1—10月 34.2 亿元，请核对。"
    ]
    assert rows[first + 2] == [
        f"第{first + 2}行“统计期”列：“上半年”不是可识别的统计期，"
        "请填写“全年”、“1—N月”（如“1—10月”）或“第一季度”至“第四季度”。"
    ]
    assert stored(2026) == []
