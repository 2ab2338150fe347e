"""Every row of the action plan's tables, re-read from the database and compared with
the document (北辰政办发〔2022〕3号)."""

import pytest
from django.db.models import Q

from chains.models import Chain
from indicators.models import Measure, Project, Target
from parks.models import Locality, Park
from tests.helpers import num, stated_total, statement, target

pytestmark = pytest.mark.django_db


def test_the_plan_is_recorded_with_its_document_number_and_span():
    from tests.helpers import plan

    p = plan()
    assert (p.number, p.issuer, p.base_year, p.target_year) == (
        "北辰政办发〔2022〕3号",
        "天津市北辰区人民政府办公室",
        2020,
        2025,
    )
    assert str(p.document.issued) == "2022-04-06"


# 表1: metric, 2020 actual, 2025 target, growth as printed
TABLE_1 = [
    ("strategic-output", "工业战略性新兴产业产值", "亿元", 330, 700, "16%"),
    ("hightech-output", "高技术（制造业）产值", "亿元", 100, 200, "15%"),
    ("srdi-firms", "“专精特新”企业和小巨人数量", "家", 40, 80, "40"),
    ("hightech-firms", "国家级高新技术企业数量", "家", 400, 800, "400"),
    ("rd-share", "R&D经费投入占营业收入比重", "%", 1.2, 2.4, "1.2"),
]


def test_table_1_holds_the_five_doubling_indicators_as_printed():
    rows = Target.objects.headline().filter(plan__slug="doubling-2021-2025")
    got = [
        (
            t.metric.slug,
            t.metric.name,
            t.metric.unit,
            num(t.baseline_value),
            num(t.target_value),
            t.growth_printed,
        )
        for t in rows
    ]
    assert got == TABLE_1
    assert {t.source for t in rows} == {"表1"}


# 附件3: chain → 2020/2025 strategic output, strategic firms, output, firms
ANNEX_3 = {
    "高端装备产业链": (57, 150, 32, 55, 80, 180, 50, 80),
    "生物医药产业链": (14, 25, 9, 15, 16, 30, 12, 20),
    "中医药产业链": (50, 110, 4, 10, 50, 110, 4, 20),
    "新能源产业链": (134, 260, 10, 25, 150, 300, 16, 40),
    "轻工产业链": (2, 10, 2, 5, 200, 350, 50, 80),
    "新材料产业链": (58, 85, 40, 47, 300, 420, 100, 140),
    "汽车与新能源汽车产业链": (6, 20, 1, 5, 80, 120, 30, 50),
    "信息技术应用创新产业链": (0, 20, 0, 3, 40, 80, 10, 20),
    "绿色石化产业链": (10, 20, 13, 15, 90, 150, 50, 70),
}


def column(subject, metric):
    """The (baseline, target) annex 3 prints in a metric's column, whatever its 口径."""
    t = Target.objects.get(
        Q(metric__slug=metric) | Q(counted_in__slug=metric),
        plan__slug="doubling-2021-2025",
        subject__slug=subject,
    )
    return num(t.baseline_value), num(t.target_value)


@pytest.mark.parametrize("name", ANNEX_3)
def test_annex_3_every_chain_has_its_eight_figures(name):
    chain = Chain.objects.get(name=name)
    got = ()
    for metric in ("strategic-output", "strategic-firms", "chain-output", "chain-firms"):
        got += column(chain.slug, metric)
    assert got == ANNEX_3[name]
    sources = set(Target.objects.filter(subject=chain).values_list("source", flat=True))
    assert sources == {"附件3"}


def test_the_it_chains_40_to_80_in_the_output_column_is_tracked_as_revenue():
    # 正文二: "营业收入40亿元 … 营业收入达到80亿元"; annex 3 prints it in the 产值 column.
    t = Target.objects.get(subject__slug="it-innovation", counted_in__slug="chain-output")
    assert (t.metric.slug, num(t.baseline_value), num(t.target_value)) == ("chain-revenue", 40, 80)
    assert "营业收入" in t.note
    assert not Target.objects.filter(subject__slug="it-innovation", metric__slug="chain-output")


def test_annex_3_describes_each_chain_as_printed():
    rows = [
        (c.number, c.name, c.get_group_display(), c.leader, c.responsible_unit, c.leading_firms)
        for c in Chain.objects.all()
    ]
    assert rows == [
        (1, "高端装备产业链", "做大优势产业链", "张炳柱", "工信局", "天锻、中重、精雕"),
        (2, "生物医药产业链", "做强新兴产业链", "", "开发区", "中央药业、中逸安科"),
        (3, "中医药产业链", "做大优势产业链", "", "", "天士力、六中药"),
        (4, "新能源产业链", "做强新兴产业链", "", "", "爱旭、弗兰德"),
        (5, "轻工产业链", "做优传统产业链", "", "科技局", "雅迪实业、乐金电子"),
        (6, "新材料产业链", "做强新兴产业链", "李维东", "合交办", "银龙预应力；江铜华北"),
        (7, "汽车与新能源汽车产业链", "做大优势产业链", "李彩良", "发改委", "本特勒、高丘六和"),
        (
            8,
            "信息技术应用创新产业链",
            "做强新兴产业链",
            "贾春宁",
            "网信办",
            "水泥院、天工院；朝亚、江天",
        ),
        (9, "绿色石化产业链", "做优传统产业链", "许伟", "工信局", "久日新材、伟星建材"),
    ]
    assert Chain.objects.get(number=6).focus == "新材料；铜产品精加工及电线电缆"
    groups = {g: Chain.objects.filter(group=g).count() for g in Chain.Group.values}
    assert groups == {"advantage": 3, "emerging": 4, "traditional": 2}  # “3+4+2”


def test_annex_3_stated_totals_are_kept_as_printed_not_summed():
    source = "附件3 合计目标"
    got = [
        stated_total(source, "strategic-output", "baseline", 2020),
        stated_total(source, "strategic-output", "target", 2025),
        stated_total(source, "strategic-firms", "baseline", 2020),
        stated_total(source, "strategic-firms", "target", 2025),
        stated_total(source, "chain-output", "baseline", 2020),
        stated_total(source, "chain-output", "target", 2025),
        stated_total(source, "chain-firms", "baseline", 2020),
        stated_total(source, "chain-firms", "target", 2025),
    ]
    assert got == [330, 700, 111, 180, 1006, 1740, 312, 500]
    # The rows add up to 322 firms in 2020, not the 312 printed: both are kept.
    firms_2020 = sum(target(c.slug, "chain-firms")[0] for c in Chain.objects.all())
    assert firms_2020 == 322


# 表2: the four chains meant to double
def test_table_2_marks_the_four_doubling_chains_with_their_figures():
    doubling = Chain.objects.doubling().order_by("number")
    assert [c.name for c in doubling] == [
        "高端装备产业链",
        "中医药产业链",
        "新能源产业链",
        "信息技术应用创新产业链",
    ]
    measures = {"it-innovation": "chain-revenue"}  # 正文二: the IT chain's figure is 营业收入
    assert [
        (
            statement("表2", c.slug, measures.get(c.slug, "chain-output"), 2020),
            statement("表2", c.slug, measures.get(c.slug, "chain-output"), 2025),
        )
        for c in doubling
    ] == [(80, 180), (50, 110), (150, 300), (40, 80)]
    growth = [
        Target.objects.get(
            Q(metric__slug="chain-output") | Q(counted_in__slug="chain-output"), subject=c
        ).growth_printed
        for c in doubling
    ]
    assert growth == ["17%", "17%", "15%", "15%"]


# 正文二: the chain paragraphs — (firms, output, strategic firms, strategic output) 2020 then 2025, growth
PARAGRAPHS = {
    "high-end-equipment": ((50, 80, 32, 57), (80, 180, 53, 150), "17%"),
    "tcm": ((4, 50, 4, 50), (20, 110, None, None), "17%"),
    "automotive": ((30, 80, 1, 6), (50, 120, 5, 20), "8%"),
    "new-energy": ((16, 150, 10, 134), (40, 300, 25, 260), "15%"),
    "new-materials": ((100, 300, 40, 58), (140, 420, 47, 85), "7%"),
    "biomedicine": ((12, 16, 9, 14), (20, 30, 15, 25), "13%"),
    "light-industry": ((50, 200, 2, 2), (80, 350, 5, 10), "12%"),
    "green-petrochem": ((50, 90, 13, 10), (70, 150, 15, 20), "11%"),
}


@pytest.mark.parametrize("slug", PARAGRAPHS)
def test_section_2_chain_paragraph_figures_are_kept_with_their_source(slug):
    from indicators.models import Statement

    rows = Statement.objects.filter(subject__slug=slug, source__startswith="正文 二")
    by_key = {(s.metric.slug, s.year): num(s.value) for s in rows}
    metrics = ("chain-firms", "chain-output", "strategic-firms", "strategic-output")
    first, last, growth = PARAGRAPHS[slug]
    assert tuple(by_key.get((m, 2020)) for m in metrics) == first
    assert tuple(by_key.get((m, 2025)) for m in metrics) == last
    assert (
        Target.objects.get(subject__slug=slug, metric__slug="chain-output").growth_printed == growth
    )


def test_the_text_and_annex_3_disagree_on_high_end_equipment_strategic_firms_and_both_stand():
    assert (
        statement("正文 二（一）高端装备制造", "high-end-equipment", "strategic-firms", 2025) == 53
    )
    assert target("high-end-equipment", "strategic-firms") == (32, 55)


def test_the_it_chain_is_measured_by_revenue_in_the_text():
    source = "正文 二（二）信息技术应用创新"
    assert statement(source, "it-innovation", "chain-revenue", 2020) == 40
    assert statement(source, "it-innovation", "chain-revenue", 2025) == 80
    assert statement(source, "it-innovation", "chain-firms", 2020) == 10
    assert statement(source, "it-innovation", "strategic-firms", 2025) == 3
    assert statement(source, "it-innovation", "strategic-output", 2025) == 20
    assert "营业收入" in Chain.objects.get(slug="it-innovation").note


def test_section_2_district_chain_figures():
    assert target("beichen", "chain-firms") == (312, 500)
    assert target("beichen", "chain-output") == (1006, 1740)
    assert target("beichen", "chain-city-share") == (9, 15)
    assert (
        Target.objects.get(subject__slug="beichen", metric__slug="chain-output").growth_printed
        == "11%以上"
    )


# 附件1: locality → strategic output, high-tech firms, high-tech output, SRDI firms (2020, 2025)
ANNEX_1 = {
    "开发区": (273, 417, 160, 420, 91, 181, 25, 48),
    "双街镇": (15, 22, 35, 50, 0, 1, 4, 8),
    "小淀镇": (14, 20, 35, 50, 0.5, 1, 1, 2),
    "北仓镇": (7, 10, 25, 40, 4, 8, 1, 2),
    "双口镇": (6, 9, 25, 35, 0, 1, 0, 1),
    "天穆镇": (6, 9, 10, 10, 4, 6, 1, 2),
    "西堤头镇": (4.3, 6, 15, 35, 0.2, 0.5, 4, 8),
    "宜兴埠镇": (4, 6, 45, 70, 0.3, 0.5, 2, 4),
    "大张庄镇": (0.4, 200, 30, 60, 0, 0, 2, 4),
    "青光镇": (0.3, 1, 20, 30, 0, 1, 0, 1),
}


def test_annex_1_every_locality_row():
    got = {}
    for loc in Locality.objects.all():
        row = ()
        for metric in ("strategic-output", "hightech-firms", "hightech-output", "srdi-firms"):
            row += target(loc.slug, metric)
        got[loc.name] = row
    assert got == ANNEX_1
    assert list(Locality.objects.values_list("name", flat=True))[0] == "开发区"


def test_annex_1_totals_and_the_dazhangzhuang_note():
    source = "附件1 全区合计"
    assert [
        stated_total(source, m, role, year)
        for m in ("strategic-output", "hightech-firms", "hightech-output", "srdi-firms")
        for role, year in (("baseline", 2020), ("target", 2025))
    ] == [330, 700, 400, 800, 100, 200, 40, 80]
    note = Locality.objects.get(name="大张庄镇").note
    assert note == "注：大张庄镇2025年战略性新兴产业工业产值增长支撑因素为江铜华北拉动。"


# 附件2: number, managing locality, name, level, area, firms, industry, 2020, 2025
ANNEX_2 = [
    (1, "开发区", "北辰经济技术开发区", "国家级", 248, 21, "高端装备制造", 100, 150),
    (
        2,
        "开发区",
        "滨海高新区北辰科技园",
        "市级",
        1618,
        40,
        "新能源新材料，生物医药、高端装备制造",
        202,
        260,
    ),
    (3, "开发区", "高端装备制造产业园", "市级", 1547, 42, "高端装备制造", 100, 150),
    (4, "开发区", "医药医疗器械工业园", "市级", 866, 24, "医药医疗器械", 82, 300),
    (5, "开发区", "陆路港物流装备产业园", "市级", 985, 3, "装备制造及物流", 7, 15),
    (6, "开发区", "滨海高新区科技园环东片区", "区级", 319, 49, "装备制造", 214, 300),
    (7, "西堤头镇", "西堤头工业区北区", "区级", 604, 24, "轻工塑料、金属制品", 16, 20),
    (8, "西堤头镇", "西堤头工业区南区", "区以下", 78, 3, "冶金深加工、汽车配件", 7, 9),
    (9, "大张庄镇", "万发工业区", "区级", 130, 2, "新型建材、电子", 9, 20),
    (10, "大张庄镇", "意达工业区", "区级", 118, 3, "汽车零件、冶金", 3, 8),
    (11, "小淀镇", "温家房子村工业区", "区级", 63, 9, "机械制造、电子电气", 3, 5),
    (12, "宜兴埠镇", "宜兴埠镇工业区", "区级", 313, 46, "机械装备、汽车零部件、电线电缆", 62, 80),
    (13, "北仓镇", "屈店工业园", "区以下", 75, 3, "汽车配件、机加工", 1, 2),
    (14, "北仓镇", "京宝工业区", "区级", 78, 6, "涂料、自行车配件", 7, 8),
    (15, "北仓镇", "鸿仓产业园", "区以下", 136, 1, "装备制造", 1, 10),
    (16, "双街镇", "双街工业区", "区级", 7, 2, "门窗制造", 8, 8),
    (17, "双街镇", "双源工业区", "区级", 67, 8, "冶金制品、机械装备", 15, 17),
    (18, "双街镇", "汉沟工业区", "区以下", 40, 3, "线缆制造", 9, 10),
    (19, "双口镇", "双口镇工业区", "市级", 33, 42, "医药物流、机械装备", 30, 32),
    (20, "青光镇", "青光工业区", "区级", 120, 21, "电动车、家具制造", 14, 15),
]


def test_annex_2_every_numbered_park_row():
    got = [
        (
            p.number,
            p.managed_by.name,
            p.name,
            p.get_level_display(),
            num(p.area_ha),
            p.firm_count,
            p.industry,
        )
        + target(p.slug, "park-output")
        for p in Park.objects.filter(number__isnull=False).order_by("number")
    ]
    assert got == ANNEX_2


def test_annex_2_row_without_a_name_keeps_its_figures_and_an_honest_label():
    park = Park.objects.get(named=False)
    assert (
        park.managed_by.name,
        num(park.area_ha),
        park.firm_count,
        park.industry,
        park.representative_firms,
        park.number,
        park.level,
    ) == (
        "双街镇",
        40,
        14,
        "机械装备",
        "隆电电气、佰盟科技",
        None,
        "",
    )
    assert "未列名" in park.name
    assert not Target.objects.filter(subject=park).exists()  # the row prints no output


def test_annex_2_totals_are_kept_as_printed():
    source = "附件2 合计"
    assert stated_total(source, "park-area", "attribute", None) == 7484
    assert stated_total(source, "park-firms", "attribute", None) == 366
    assert stated_total(source, "park-output", "baseline", 2020) == 890
    assert stated_total(source, "park-output", "target", 2025) == 1419
    # The printed area total is one hectare short of its rows: kept, for the checks to report.
    assert sum(num(p.area_ha) for p in Park.objects.all()) == 7485


def test_the_twelve_measures_sit_in_five_projects_with_their_responsible_units():
    projects = [
        (p.number, p.name, [m.number for m in p.measures.all()]) for p in Project.objects.all()
    ]
    assert projects == [
        (1, "实施新动能引育工程", [1, 2, 3]),
        (2, "实施科技创新赋能工程", [4, 5]),
        (3, "实施产业载体提升工程", [6, 7, 8]),
        (4, "实施产业基础保障工程", [9, 10]),
        (5, "实施产业生态优化工程", [11, 12]),
    ]
    assert Project.objects.get(number=3).unit_list == [
        "发改委",
        "工信局",
        "市规划资源局北辰分局",
        "环境生态局",
        "各镇",
        "开发区",
    ]
    assert Measure.objects.get(number=7).title == "优化项目用地资源配置"
    assert "亩均论英雄" in Measure.objects.get(number=7).text
    assert Measure.objects.count() == 12


def test_measure_targets_are_tracked_without_an_invented_baseline():
    t = Target.objects.get(subject__slug="beichen", metric__slug="tech-centers")
    assert (t.baseline_value, num(t.target_value), t.source) == (None, 100, "三（二）4")
