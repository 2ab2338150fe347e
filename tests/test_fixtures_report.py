"""The post-evaluation report's figures, re-read from the database and compared with it."""

from decimal import Decimal

import pytest

from indicators.models import Actual, Target
from tests.helpers import FOURTEENTH, actual, num, plan, statement, target

pytestmark = pytest.mark.django_db


def test_the_14th_plan_is_a_second_plan_sourced_from_the_report():
    p = plan(FOURTEENTH)
    assert (p.short_name, p.base_year, p.target_year, p.document.slug) == (
        "工业“十四五”规划",
        2020,
        2025,
        "post-evaluation",
    )


# 核心指标完成亮点: category, indicator, 2020 base, 2025 target, actual year, actual
REPORT_TABLE = [
    ("质量效益", "制造业增加值占GDP比重", 36.6, 37, 2024, 39.8),
    ("结构调整", "战略性新兴产业增加值占比", 45, 55, 2023, 49.8),
    ("智能创新", "国家级高新技术企业数量", 442, 650, 2024, 715),
    ("数字经济", "智能工厂/数字化车间数量", 10, 20, 2024, 31),
    ("绿色发展", "国家级/市级绿色工厂数量", 19, 29, 2024, 33),
]


def test_the_report_table_rows_are_kept_with_their_actuals():
    rows = []
    for t in Target.objects.filter(plan__slug=FOURTEENTH).order_by("order"):
        a = Actual.objects.filter(subject=t.subject, metric=t.metric).latest("year")
        rows.append(
            (
                t.category,
                t.metric.name,
                num(t.baseline_value),
                num(t.target_value),
                a.year,
                num(a.value),
            )
        )
    assert rows == REPORT_TABLE


def test_the_one_2023_figure_in_the_report_table_says_so():
    a = Actual.objects.get(metric__slug="strategic-va-share", subject__slug="beichen")
    assert a.year == 2023
    assert "2023" in a.note


def test_both_plans_track_high_tech_firms_with_their_own_baselines():
    assert target("beichen", "hightech-firms") == (400, 800)
    assert target("beichen", "hightech-firms", plan=FOURTEENTH) == (442, 650)
    assert actual("beichen", "hightech-firms", 2024) == 715
    assert Actual.objects.filter(metric__slug="hightech-firms").count() == 1


# 二（一）: chain → firms, output, share of total (2024)
CHAINS_2024 = {
    "new-materials": (115, 425.1, 30.6),
    "light-industry": (101, 324.4, 23.3),
    "new-energy": (16, 130.6, 9.4),
    "high-end-equipment": (110, 126.7, 9.1),
    "automotive": (55, 116.4, 8.4),
    "green-petrochem": (49, 74.8, 5.4),
    "tcm": (4, 69.2, 5),
    "biomedicine": (19, 20.1, None),
    "it-innovation": (11, 7, None),
}


@pytest.mark.parametrize("slug", CHAINS_2024)
def test_each_chain_2024_figures_from_the_report(slug):
    firms, output, share = CHAINS_2024[slug]
    assert actual(slug, "chain-firms", 2024) == firms
    assert actual(slug, "chain-output", 2024) == output
    shares = Actual.objects.filter(subject__slug=slug, metric__slug="output-share-of-total")
    assert (num(shares.get().value) if shares else None) == share


def test_chain_growth_rates_the_report_states():
    assert {
        a.subject.slug: num(a.value)
        for a in Actual.objects.filter(metric__slug="chain-output-yoy").select_related("subject")
    } == {"light-industry": 3.6, "automotive": 3.4, "biomedicine": 7.7, "it-innovation": 27.8}


def test_district_figures_of_2024():
    assert actual("beichen", "industrial-output", 2024) == 1389.9
    assert actual("beichen", "chain-firms", 2024) == 480
    assert actual("beichen", "chain-output", 2024) == 1294.1
    assert actual("beichen", "chain-output-share", 2024) == 93.1
    assert actual("beichen", "rd-share", 2024) == 2.5
    assert actual("beichen", "mfg-value-added", 2024) == 303.89
    assert actual("beichen", "tech-centers", 2024) == 84
    assert actual("beichen", "digital-workshops", 2024) == 31
    assert actual("beichen", "green-factories-national", 2024) == 9
    assert actual("beichen", "green-factories-city", 2024) == 24
    assert actual("beichen", "industrial-firms", 2024) == 580
    assert actual("beichen", "base-stations-5g", 2024) == 5444
    assert actual("beichen", "first-sets", 2020) == 16
    assert actual("beichen", "single-champions", 2020) == 8
    assert actual("kaifaqu", "output-per-mu", 2024) == 354


def test_january_to_october_2025_figures_are_cumulative_to_october():
    partial = {
        a.metric.slug: (num(a.value), a.period_label, a.stated_growth)
        for a in Actual.objects.filter(year=2025, period="months", month=10).select_related(
            "metric"
        )
    }
    assert partial == {
        "industrial-firms": (574, "2025年1—10月", None),
        "industrial-output": (1152.5, "2025年1—10月", Decimal("-0.30")),
        "industrial-output-yoy": (-0.3, "2025年1—10月", None),
        "industrial-va-growth": (1, "2025年1—10月", None),
    }
    assert not Actual.objects.filter(year=2025).full_year().exists()


def test_figures_stated_twice_in_the_report_keep_both_versions():
    assert actual("beichen", "little-giants", 2024) == 20
    assert statement("三（三）1 企业梯度培育工程", "beichen", "little-giants", 2024) == 19
    assert statement("一（一）3 智能创新", "beichen", "hightech-firms", 2020) == 442


def test_every_figure_carries_its_source():
    assert not Actual.objects.filter(document__isnull=True).exists()
    assert not Actual.objects.filter(source="").exists()
    assert not Target.objects.filter(source="").exists()


def test_published_source_figures_load_as_approved():
    assert set(Actual.objects.values_list("state", flat=True)) == {Actual.State.APPROVED}
