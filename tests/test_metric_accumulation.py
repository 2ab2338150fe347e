"""Flow or stock, decided per metric: 产值 adds up over the months (1—N月累计), while 亩均产值
(also an amount), a park's area and a count of firms are levels. The rule "a cumulative figure
cannot exceed its later months" and the full-year estimate follow each metric's own flag."""

import pytest
from django.core.exceptions import ValidationError

from indicators.domain import period_figures
from indicators.models import Actual, Metric
from indicators.spreadsheets import importing
from tests.helpers import filled_template, make_actual, text_of

# In November 2026: the 2021–2025 plan has ended and 2026 is the year in progress.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("november_2026")]

TOWN, OUTPUT = "shuangjie", "strategic-output"
TOWN_PAGE = "/indicators/doubling-2021-2025/shuangjie/strategic-output/"


def accumulation(slug):
    return Metric.objects.get(slug=slug).accumulation


def test_the_fixtures_mark_flows_and_stocks_metric_by_metric():
    for flow in (
        "industrial-output",
        "strategic-output",
        "chain-output",
        "park-output",
        "mfg-value-added",
        "hightech-firms-new",
        "city-special-funds",
    ):
        assert accumulation(flow) == Metric.Accumulation.FLOW, flow
    # Amounts that are levels, not running totals.
    for stock in (
        "output-per-mu",
        "tax-per-mu",
        "park-area",
        "chain-fund-size",
        "hightech-firms",
        "industrial-firms",
        "rd-share",
        "industrial-output-yoy",
    ):
        assert accumulation(stock) == Metric.Accumulation.STOCK, stock


def test_a_flows_january_to_september_cannot_exceed_its_january_to_october():
    make_actual(TOWN, OUTPUT, 2026, "34.2", period="months", month=10)
    actual = Actual(
        subject_id=Actual.objects.get(month=10, metric__slug=OUTPUT).subject_id,
        metric=Metric.objects.get(slug=OUTPUT),
        year=2026,
        period="months",
        month=9,
        value="40",
    )
    with pytest.raises(ValidationError) as raised:
        actual.full_clean()
    assert raised.value.message_dict["value"] == [
        "工业战略性新兴产业产值是累计数，2026年1—9月的 40 亿元 不能大于2026年1—10月的 34.2 亿元，请核对。"
    ]


def test_a_stock_amount_may_fall_from_one_month_to_the_next():
    # 亩均产值 at the end of October may be below its level at the end of September.
    make_actual("kaifaqu", "output-per-mu", 2026, "330", period="months", month=10)
    actual = Actual(
        subject=Actual.objects.get(metric__slug="output-per-mu", month=10).subject,
        metric=Metric.objects.get(slug="output-per-mu"),
        year=2026,
        period="months",
        month=9,
        value="354",
    )
    actual.full_clean()  # no error: a level, not a running total


def test_a_flows_quarter_cannot_exceed_the_months_that_hold_it():
    make_actual(TOWN, OUTPUT, 2026, "30.5", period="months", month=9)
    quarter = Actual(
        subject=Actual.objects.get(metric__slug=OUTPUT, month=9).subject,
        metric=Metric.objects.get(slug=OUTPUT),
        year=2026,
        period="quarter",
        quarter=3,
        value="31",
    )
    with pytest.raises(ValidationError) as raised:
        quarter.full_clean()
    assert raised.value.message_dict["value"] == [
        "工业战略性新兴产业产值是累计数，2026年第三季度的 31 亿元 不能大于2026年1—9月的 30.5 亿元，请核对。"
    ]
    quarter.value = "11"
    quarter.full_clean()


def test_the_administrator_flips_a_metric_to_flow_and_the_rule_follows(client, alice):
    metric = Metric.objects.get(slug="output-per-mu")
    metric.accumulation = Metric.Accumulation.FLOW
    metric.save()
    make_actual("kaifaqu", "output-per-mu", 2026, "330", period="months", month=10)
    actual = Actual(
        subject=Actual.objects.get(metric__slug="output-per-mu", month=10).subject,
        metric=metric,
        year=2026,
        period="months",
        month=9,
        value="354",
    )
    with pytest.raises(ValidationError):
        actual.full_clean()
    client.force_login(alice)
    page = client.get(f"/admin/indicators/metric/{metric.pk}/change/").content.decode()
    assert 'name="accumulation"' in page and "流量或存量" in page


def test_a_stock_gets_no_full_year_estimate_and_says_why():
    make_actual("kaifaqu", "output-per-mu", 2026, "330", period="months", month=10)
    actuals = list(Actual.objects.filter(metric__slug="output-per-mu", subject__slug="kaifaqu"))
    estimate = period_figures.estimate_of(
        actuals[-1], actuals, Metric.objects.get(slug="output-per-mu")
    )
    assert estimate.reason == "亩均产值不是逐月累加的量，不推算全年"


def test_three_quarters_of_a_flow_give_an_estimate_of_the_year(client):
    for quarter, value in ((1, "9"), (2, "10"), (3, "11")):
        make_actual(TOWN, OUTPUT, 2026, value, period="quarter", quarter=quarter, state="approved")
    page = text_of(client.get(TOWN_PAGE))
    # 9 + 10 + 11 = 30 for 1—9月; no earlier year's quarters: 30 × 12 ÷ 9 = 40.
    assert "2026年第三季度 11.0 亿元" in page
    assert "预计全年 40.0 亿元（第一至第三季度合计（即1—9月），按1—9月月均值×12/9推算）" in page


def test_a_lone_quarter_says_why_it_gives_no_estimate(client):
    make_actual(TOWN, OUTPUT, 2026, "11", period="quarter", quarter=3, state="approved")
    page = text_of(client.get(TOWN_PAGE))
    assert (
        "不推算全年：季度数只是一个季度的量，不是年初以来的累计数；"
        "缺2026年第1、2季度，无法累计后推算全年"
    ) in page


def test_the_metadata_says_whether_a_figure_is_a_flow(client):
    page = text_of(client.get(TOWN_PAGE))
    assert "流量或存量流量：逐月累加（1—N月累计）" in page
    stock = text_of(client.get("/indicators/doubling-2021-2025/beichen/hightech-firms/"))
    assert "流量或存量存量或时点数：期末水平，不累加" in stock


def test_the_import_refuses_a_quarter_larger_than_the_months_that_hold_it(bob):
    from tests.test_actual_periods import filled

    preview = importing.check(filled([("1—9月", 30.5), ("第三季度", 31)]), "x", bob)
    rows = {r.number: r.errors for r in preview.rows}
    first = min(rows)
    assert rows[first] == [
        f"第{first}行“数值”列：工业战略性新兴产业产值是累计数，2026年1—9月的 30.5 亿元 "
        f"不能小于第{first + 1}行的2026年第三季度 31 亿元，请核对。"
    ]
    assert rows[first + 1] == [
        f"第{first + 1}行“数值”列：工业战略性新兴产业产值是累计数，2026年第三季度的 31 亿元 "
        f"不能大于第{first}行的2026年1—9月 30.5 亿元，请核对。"
    ]
    fine = importing.check(
        filled_template(TOWN, OUTPUT, [("1—9月", 30.5), ("第三季度", 11)]), "x", bob
    )
    assert [r.errors for r in fine.rows] == [[], []]


def test_the_english_metadata_names_a_flow_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(client.get(TOWN_PAGE))
    assert "Flow or stock" in page
    assert "flow: adds up over the months (January to month N)" in page


def test_english_pages_say_in_english_why_a_lone_quarter_gives_no_estimate(client):
    make_actual(TOWN, OUTPUT, 2026, "11", period="quarter", quarter=3, state="approved")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(client.get(TOWN_PAGE))
    assert (
        "No full-year estimate: a quarter is the amount of that quarter alone, not a running total; "
        "2026 quarter(s) 1, 2 missing, so the year cannot be estimated"
    ) in page


def test_the_quarters_estimate_reads_in_english(client):
    for quarter, value in ((1, "9"), (2, "10"), (3, "11")):
        make_actual(TOWN, OUTPUT, 2026, value, period="quarter", quarter=quarter, state="approved")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(client.get(TOWN_PAGE))
    assert "quarters 1 to 3 added up (January to month 9), " in page
