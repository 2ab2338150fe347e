"""The overview: five doubling indicators, the doubling chains, chain shares and status counts."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chains.models import Chain
from indicators.models import Actual, Metric, Subject
from tests.helpers import plan_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def carol(db):
    """Carol, a reviewer on the district staff, who may preview figures not yet approved."""
    return get_user_model().objects.create_user("carol", password="carol-pass-2024!", is_staff=True)


def page(client, **params):
    response = client.get("/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_five_doubling_indicators(client):
    html = page(client)
    for name in [
        "工业战略性新兴产业产值",
        "高技术（制造业）产值",
        "“专精特新”企业和小巨人数量",
        "国家级高新技术企业数量",
        "R&amp;D经费投入占营业收入比重",
    ]:
        assert name in html


def test_it_shows_latest_actual_and_completion_of_high_tech_firms(client):
    html = page(client)
    assert "715 家" in html
    assert "89.4%" in html  # 715 ÷ 800


def test_it_shows_each_chains_2024_share_of_industrial_output(client):
    html = page(client)
    assert "1,389.9 亿元" in html
    for share in ["30.6%", "23.3%", "9.4%", "9.1%", "8.4%", "5.4%", "5.0%"]:
        assert share in html
    assert html.index("新材料产业链") < html.index("轻工产业链")


def test_it_shows_the_growth_the_new_energy_chain_still_needs(client):
    html = page(client)
    assert "新能源产业链" in html
    assert "+129.7%/年" in html  # 130.6 亿元 in 2024 → 300 in 2025


def test_the_year_defaults_to_the_latest_year_with_data_and_feeds_the_report_button(client):
    html = page(client)
    assert '<option value="2024" selected>' in html
    assert "/report/workbook/?year=2024" in html
    assert "导出报告（Excel）" in html


def test_an_earlier_year_has_no_chain_shares_and_says_so(client):
    html = page(client, year=2021)
    assert "该年份没有规上工业总产值或产业链产值的实际数据。" in html
    assert "30.6%" not in html


def test_a_nonsense_year_falls_back_to_the_latest(client):
    assert '<option value="2024" selected>' in page(client, year="abc")


def test_it_counts_figures_per_status_of_the_plan_it_follows(client):
    # 2024 lies in both plans' period; the action plan sets 106 of the 111 targets.
    html = page(client)
    assert "共跟踪 106 项指标" in html
    assert "/status/?status=achieved&amp;plan=doubling-2021-2025" in html
    html = client.get("/", {"plan": "industry-14th-fyp"}).content.decode()
    assert "共跟踪 5 项指标" in html


def test_without_any_actuals_the_overview_still_answers(client):
    Actual.objects.all().delete()
    html = page(client)
    assert "暂无实际值" in html


def unapproved_high_tech_firms():
    district = Subject.objects.get(slug="beichen")
    metric = Metric.objects.get(slug="hightech-firms")
    Actual.objects.filter(subject=district, metric=metric, year=2024).update(
        value=760, state=Actual.State.SUBMITTED
    )


def test_staff_preview_shows_unapproved_figures_marked(client, carol):
    unapproved_high_tech_firms()
    client.force_login(carol)
    html = page(client, preview=1)
    assert "760 家" in html
    assert "未审核" in html and 'class="card figure-card unapproved"' in html


def test_the_public_never_sees_unapproved_figures_even_asking_for_preview(client):
    unapproved_high_tech_firms()
    html = page(client, preview=1)
    assert "760 家" not in html
    assert "预览模式" not in html


def add_chains_and_years():
    """Three more chains with targets and five years of actuals each, plus more district years."""
    output = Metric.objects.get(slug="chain-output")
    total = Metric.objects.get(slug="industrial-output")
    for n in range(3):
        chain = Chain.objects.create(
            name=f"测试产业链{n}",
            slug=f"test-chain-{n}",
            number=90 + n,
            group="emerging",
            doubling=True,
        )
        plan_target(chain, output, 10, 20)
        for year in range(2020, 2025):
            Actual.objects.create(
                subject=chain,
                metric=output,
                year=year,
                value=10 + year - 2020,
                state=Actual.State.APPROVED,
            )
    district = Subject.objects.get(slug="beichen")
    for year in (2021, 2022, 2023):
        Actual.objects.create(
            subject=district, metric=total, year=year, value=1200, state=Actual.State.APPROVED
        )


def test_the_overview_query_count_does_not_grow_with_chains_or_years(
    client, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as before:
        page(client)
    add_chains_and_years()
    with django_assert_max_num_queries(len(before)):
        html = page(client)
    assert "测试产业链2" in html


def test_staff_preview_follows_them_from_page_to_page_until_they_leave_it(client, carol):
    unapproved_high_tech_firms()
    client.force_login(carol)
    page(client, preview=1)
    assert "760 家" in page(client)
    assert "退出预览" in page(client)
    assert "760 家" not in page(client, preview=0)
    assert "760 家" not in page(client)


def test_with_many_chains_it_lists_the_twelve_largest_shares_and_says_so(client):
    """Six more chains with 2024 output (1 to 6 亿元): fifteen in all, the three smallest left
    out of the share table, which says it lists the largest twelve."""
    output = Metric.objects.get(slug="chain-output")
    for i in range(1, 7):
        chain = Chain.objects.create(
            name=f"测试产业链{i}",
            slug=f"test-chain-{i}",
            number=90 + i,
            group="emerging",
            order=90 + i,
        )
        Actual.objects.create(
            subject=chain, metric=output, year=2024, value=i, state=Actual.State.APPROVED
        )
    html = page(client)
    assert "列出占比最高的 12 条产业链。" in html
    assert "测试产业链6" in html and "测试产业链4" in html
    assert "测试产业链3" not in html and "测试产业链1" not in html
    assert "30.6%" in html


def test_the_documents_chains_are_all_listed_without_a_note(client):
    html = page(client)
    assert "列出占比最高的" not in html
    assert html.count('href="/chains/') >= 9
