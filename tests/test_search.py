"""The header's search box: Olivia, a district official, types a name, an abbreviation or a code."""

import pytest

from indicators.web.search import initials

pytestmark = pytest.mark.django_db


def search(client, q):
    return client.get("/search/", {"q": q})


def test_pinyin_initials_of_chinese_names():
    assert initials("新能源") == "xny"
    assert initials("双街镇") == "sjz"
    assert initials("R&D经费投入占营业收入比重") == "rdjftrzyysrbz"


@pytest.mark.parametrize(
    "query, page",
    [
        ("新能源", "/chains/new-energy/"),
        ("xny", "/chains/new-energy/"),
        ("XNY", "/chains/new-energy/"),
        ("双街", "/towns/shuangjie/"),
        ("双街镇", "/towns/shuangjie/"),
        ("new-energy", "/chains/new-energy/"),
        ("万发工业区", "/parks/wanfa/"),
    ],
)
def test_one_clear_hit_lands_on_its_page(client, query, page):
    response = search(client, query)
    assert response.status_code == 302
    assert response["Location"] == page


def test_several_parks_named_science_park_are_listed_to_choose_from(client):
    response = search(client, "科技园")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/parks/binhai-hitech-beichen/">滨海高新区北辰科技园</a>' in html
    assert 'href="/parks/binhai-hitech-east/">滨海高新区科技园环东片区</a>' in html
    assert "找到 2 项" in html


def test_a_figure_name_lists_that_figure_for_each_plan_and_subject(client):
    html = search(client, "国家级高新技术企业数量").content.decode()
    assert "/indicators/industry-14th-fyp/beichen/hightech-firms/" in html
    assert "/indicators/doubling-2021-2025/beichen/hightech-firms/" in html


def test_a_measure_is_found_by_its_title(client):
    from indicators.models import Measure

    measure = Measure.objects.order_by("number").first()
    response = search(client, measure.title)
    assert response.status_code == 302
    assert response["Location"] == f"/measures/#measure-{measure.number}"


def test_nothing_found_says_so_in_chinese(client):
    html = search(client, "火星基地").content.decode()
    assert "没有找到与“火星基地”相关的指标、产业链、属地、园区或举措。" in html


def test_every_page_has_the_search_box_in_its_header(client):
    for url in ("/", "/chains/", "/towns/shuangjie/", "/quality/"):
        html = client.get(url).content.decode()
        assert '<form class="site-search" action="/search/" method="get" role="search">' in html
        assert "{#" not in html and "#}" not in html  # no template comment shows on the page
