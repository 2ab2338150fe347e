"""The data-quality rules find the documents' own inconsistencies, computed from the data."""

from decimal import Decimal

import pytest

from indicators.domain import quality
from indicators.models import Actual, Metric, StatedTotal, Subject, Target
from parks.models import Park
from tests.helpers import approved, make_actual, num, stated_parks_output_2025

pytestmark = pytest.mark.django_db


def by_rule(rule, **kwargs):
    return [f for f in quality.findings(**kwargs) if f.rule == rule]


def triples(found):
    """(metric slug, year, stated, expected) as the documents print them."""
    return {(f.metric.slug, f.year, num(f.stated), num(f.expected)) for f in found}


def chain_sum(metric, field, year_field, year):
    rows = Target.objects.filter(
        plan__slug="doubling-2021-2025", subject__kind="chain", metric__slug=metric
    ).filter(**{year_field: year})
    return num(sum(r.__dict__[field] for r in rows))


def test_annex_3_stated_totals_disagree_with_the_sum_of_the_chains():
    annex3 = [f for f in by_rule("total") if f.source.endswith("附件3 合计目标")]
    # The sums come from the nine rows as loaded, not from this test.
    assert chain_sum("chain-firms", "baseline_value", "baseline_year", 2020) == 322
    assert chain_sum("chain-firms", "target_value", "target_year", 2025) == 520
    assert chain_sum("strategic-output", "baseline_value", "baseline_year", 2020) == 331
    assert triples(annex3) == {
        ("chain-firms", 2020, 312, 322),
        ("chain-firms", 2025, 500, 520),
        ("strategic-output", 2020, 330, 331),
    }


def test_the_message_names_the_total_the_sum_and_the_difference():
    message = next(
        f.message
        for f in by_rule("total")
        if f.source.endswith("附件3 合计目标") and f.metric.slug == "chain-firms" and f.year == 2020
    )
    assert message == (
        "《倍增行动方案》附件3 合计目标："
        "2020年在链企业数量合计 312 家，9 个产业链分项之和为 322 家，相差 -10 家。"
    )


def test_annex_2_park_area_total_disagrees_with_the_parks():
    area = [f for f in by_rule("total") if f.metric.slug == "park-area"]
    assert num(sum(p.area_ha for p in Park.objects.all())) == 7485
    assert triples(area) == {("park-area", None, 7484, 7485)}
    assert area[0].scope == "park"


def test_totals_that_add_up_are_not_reported():
    reported = {(f.source, f.metric.slug, f.year) for f in by_rule("total")}
    # Annex 1's locality totals and annex 2's firms and output add up.
    assert not any("附件1" in source for source, _, _ in reported)
    assert not any(slug in ("park-firms", "park-output") for _, slug, _ in reported)


def test_a_stated_total_of_actuals_adds_its_kinds_figures_of_its_year():
    """A 合计 of the parks' 2025 output entered in the admin (role actual) adds the parks'
    approved 2025 figures: not another year's, not a locality's, not a draft (on the page)."""
    approved("hangou", "park-output", 2025, "10.2")
    approved("shuangkou-park", "park-output", 2025, "3.4")
    approved("qingguang-park", "park-output", 2024, "99")
    approved("shuangjie", "park-output", 2025, "50")
    make_actual("yixingbu-park", "park-output", 2025, "61.3")
    stated_parks_output_2025()
    published = [f for f in by_rule("total", published_only=True) if f.source.endswith("测试合计")]
    assert triples(published) == {("park-output", 2025, 80, 13.6)}
    every = [f for f in by_rule("total") if f.source.endswith("测试合计")]
    assert triples(every) == {("park-output", 2025, 80, 74.9)}


def test_the_district_chain_output_of_2024_differs_from_the_nine_chains():
    found = by_rule("aggregate")
    assert triples(found) == {("chain-output", 2024, 1294.1, 1294.3)}
    assert found[0].message == (
        "2024年北辰区在链企业产值 1294.1 亿元，9 个产业链之和为 1294.3 亿元，相差 -0.2 亿元。"
    )


def test_the_2024_chain_firms_add_up_to_the_district_480():
    chains = Actual.objects.filter(subject__kind="chain", metric__slug="chain-firms", year=2024)
    assert sum(a.value for a in chains) == 480
    assert not [f for f in by_rule("aggregate") if f.metric.slug == "chain-firms"]


def test_entered_locality_figures_are_checked_against_the_district(django_user_model):
    # 2024 high-tech firms: the district's 715 against the ten localities once all are entered.
    metric = Metric.objects.get(slug="hightech-firms")
    for locality in Subject.objects.filter(kind="locality"):
        Actual.objects.create(subject=locality, metric=metric, year=2024, value=70)
    found = [f for f in by_rule("aggregate") if f.metric == metric]
    assert triples(found) == {("hightech-firms", 2024, 715, 700)}
    assert found[0].scope == "locality"


def test_a_sum_is_not_checked_while_parts_are_missing():
    metric = Metric.objects.get(slug="hightech-firms")
    Actual.objects.create(
        subject=Subject.objects.get(slug="tianmu"), metric=metric, year=2024, value=9
    )
    assert not [f for f in by_rule("aggregate") if f.metric == metric]


def test_the_same_quantity_stated_differently_in_two_places():
    found = by_rule("restated")
    assert {
        (f.subject.slug, f.metric.slug, f.year, num(f.stated), num(f.expected)) for f in found
    } == {
        # 正文 二（一） says 53 strategic firms by 2025, annex 3 says 55.
        ("high-end-equipment", "strategic-firms", 2025, 53, 55),
        # The action plan's 2020 high-tech firms 400, the report's 442.
        ("beichen", "hightech-firms", 2020, 400, 442),
        # The report: 小巨人 19 in 三（三）1, 20 in 一（一）3.
        ("beichen", "little-giants", 2024, 19, 20),
    }


def test_a_restatement_names_both_places():
    found = next(f for f in by_rule("restated") if f.metric.slug == "hightech-firms")
    assert found.message == (
        "北辰区2020年国家级高新技术企业数量：《倍增行动方案》表1为 400 家，"
        "《工业“十四五”规划》一（二）核心指标完成亮点表为 442 家。"
    )


def test_a_year_on_year_jump_is_reported_with_whether_it_is_explained():
    metric = Metric.objects.get(slug="chain-output")
    new_energy = Subject.objects.get(slug="new-energy")
    Actual.objects.create(subject=new_energy, metric=metric, year=2025, value=200)
    found = by_rule("yoy")
    assert [(f.subject.slug, f.year, num(f.stated), num(f.expected)) for f in found] == [
        ("new-energy", 2025, 200, 130.6)
    ]
    assert found[0].message.endswith("变动 +53.1%，超过 ±50%；提交前须在“备注”中说明原因。")


def test_published_only_findings_ignore_unapproved_figures():
    metric = Metric.objects.get(slug="chain-output")
    new_energy = Subject.objects.get(slug="new-energy")
    Actual.objects.create(subject=new_energy, metric=metric, year=2025, value=200)
    assert by_rule("yoy", published_only=True) == []


def test_completeness_per_group_and_share_filled_for_2024():
    rows = {r.group.slug: r for r in quality.completeness(2024)}
    # Each chain has four figures with a target; the report gives output and firms for 2024.
    new_energy = rows["new-energy"]
    assert (len(new_energy.expected), new_energy.filled, new_energy.share) == (4, 2, 50.0)
    assert {m.slug for _, m in new_energy.missing} == {"strategic-output", "strategic-firms"}
    # 双街镇: its four annex-1 figures and its three parks' output, none entered yet.
    shuangjie = rows["shuangjie"]
    assert (len(shuangjie.expected), shuangjie.filled) == (7, 0)
    assert {s.slug for s, _ in shuangjie.missing} == {
        "shuangjie",
        "shuangjie-park",
        "shuangyuan",
        "hangou",
    }


def test_entering_a_figure_fills_its_group():
    metric = Metric.objects.get(slug="park-output")
    Actual.objects.create(
        subject=Subject.objects.get(slug="shuangyuan"), metric=metric, year=2024, value=16
    )
    shuangjie = next(r for r in quality.completeness(2024) if r.group.slug == "shuangjie")
    assert shuangjie.filled == 1
    assert round(shuangjie.share, 1) == 14.3


def test_missing_figures_are_findings_of_the_latest_year():
    missing = by_rule("missing")
    assert {f.year for f in missing} == {2024}
    assert "天穆镇2024年“国家级高新技术企业数量”尚无实际值。" in {f.message for f in missing}


def test_checking_never_changes_a_source_figure():
    before = list(StatedTotal.objects.values_list("value", flat=True).order_by("pk"))
    quality.findings()
    after = list(StatedTotal.objects.values_list("value", flat=True).order_by("pk"))
    assert before == after


def test_findings_for_one_figure_show_what_concerns_it():
    actual = Actual.objects.get(subject__slug="beichen", metric__slug="chain-output", year=2024)
    assert [f.rule for f in quality.findings_for(actual)] == ["aggregate"]
    chain = Actual.objects.get(subject__slug="tcm", metric__slug="chain-output", year=2024)
    assert [f.rule for f in quality.findings_for(chain)] == ["aggregate"]
    other = Actual.objects.get(subject__slug="beichen", metric__slug="rd-share", year=2024)
    assert quality.findings_for(other) == []


def test_a_finding_reads_as_a_plain_row():
    row = next(f for f in by_rule("total") if f.metric.slug == "park-area").as_row()
    assert (row["rule"], row["level"], row["unit"], row["stated"], row["expected"]) == (
        "合计与分项之和",
        "不一致",
        "公顷",
        Decimal("7484"),
        Decimal("7485"),
    )
