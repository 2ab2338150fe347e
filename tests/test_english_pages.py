"""English pages read in English: names of subjects, metrics and units come from
fixtures/english.yaml, the engine's words from the English catalogue."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chains.models import Chain
from indicators.domain import sources
from indicators.models import (
    Actual,
    Document,
    Measure,
    Metric,
    Plan,
    Project,
    StatedTotal,
    Statement,
    Subject,
    Target,
)
from indicators.spreadsheets.workbook import HEADER_ROW, TITLE_ROW
from parks.models import Locality, Park
from parks.views import ANNEX_1
from tests.helpers import make_actual

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


class VisibleText(HTMLParser):
    """The text a reader sees, outside <script>/<style> and outside quoted source text
    (elements marked lang="zh-Hans": the documents' own words, firm names, notes)."""

    def __init__(self):
        super().__init__()
        self.hidden, self.seen = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"):
            return
        quoted = dict(attrs).get("lang", "").lower().startswith("zh")
        inside_hidden = bool(self.hidden) and self.hidden[-1]
        self.hidden.append(tag in ("script", "style") or quoted or inside_hidden)

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if not (self.hidden and self.hidden[-1]) and data.strip():
            self.seen.append(data.strip())


def chinese_on(html):
    parser = VisibleText()
    parser.feed(html)
    return [chunk for chunk in parser.seen if CJK.search(chunk)]


def english(client, url):
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_subject_and_metric_has_an_english_name():
    assert list(Subject.objects.filter(name_en="").values_list("slug", flat=True)) == []
    assert list(Metric.objects.filter(name_en="").values_list("slug", flat=True)) == []
    assert not [m.name_en for m in Metric.objects.all() if CJK.search(m.name_en + m.unit_en)]


def test_a_chain_page_in_english_names_the_chain_and_its_metrics_in_english(client):
    html = english(client, reverse("chains:detail", args=["new-energy"]))
    assert "<h1>New energy chain" in html
    assert "Output of the chain&#x27;s firms" in html or "Output of the chain's firms" in html
    # The document's own wording is quoted as printed, marked as Chinese for screen readers.
    assert not [chunk for chunk in chinese_on(html) if "新能源产业链" in chunk]
    assert '<td lang="zh-Hans">新能源产业链 150→300亿元 年均增速15%</td>' in html


def test_the_indicator_page_in_english_names_subject_metric_and_unit(client):
    url = reverse(
        "indicators:indicator", args=["doubling-2021-2025", "beichen", "strategic-output"]
    )
    html = english(client, url)
    assert "<h1>Beichen District · Output of strategic emerging industries</h1>" in html
    assert "100M yuan" in html
    # Only the documents' own words, marked lang="zh-Hans" (the metric's definition), stay Chinese.
    assert not [c for c in chinese_on(html) if "工业战略性新兴产业产值" in c]


def test_chinese_pages_keep_the_documents_names(client):
    html = client.get(reverse("chains:detail", args=["new-energy"])).content.decode()
    assert "<h1>新能源产业链" in html
    assert "New energy chain" not in html


def test_the_worked_calculation_reads_in_english(client):
    url = reverse(
        "indicators:indicator", args=["doubling-2021-2025", "beichen", "strategic-output"]
    )
    html = english(client, url)
    start, end = (
        html.index('id="calc-heading"'),
        html.index("</section>", html.index('id="calc-heading"')),
    )
    assert chinese_on(html[start:end]) == []


# Proper names that stay Chinese on English pages: the language switch offers Chinese in
# Chinese, and the action plan's document number is quoted as issued.
PROPER_NAMES = ("简体中文", "北辰政办发〔2022〕3号")


def chinese_outside_proper_names(html):
    found = []
    for chunk in chinese_on(html):
        for name in PROPER_NAMES:
            chunk = chunk.replace(name, "")
        if CJK.search(chunk):
            found.append(chunk)
    return found


def every_kind_of_page():
    """One URL of every kind of public page, read from the database: lists, one subject of
    each kind, the towns' metric tabs, an indicator page of every plan and kind of subject,
    each plan's final assessment, the documentation and the error pages."""
    urls = [
        "/",
        "/?year=2024",
        "/chains/",
        f"/chains/{Chain.objects.order_by('number').first().slug}/",
        "/parks/",
        f"/parks/{Park.objects.order_by('order').first().slug}/",
        "/towns/",
        f"/towns/{Locality.objects.order_by('number').first().slug}/",
        "/status/",
        "/measures/",
        "/compare/",
        "/quality/",
        "/final/",
        "/report/print/?year=2024",
        "/search/?q=cyl",
        "/search/?q=",
        "/api/docs/",
        "/api/redoc/",
        "/accounts/login/",
    ]
    urls += [f"/towns/?metric={slug}" for slug in ANNEX_1]
    urls += [f"/plans/{plan.slug}/final/" for plan in Plan.objects.with_targets()]
    # Every district figure (their notes and printed growth differ most), and the first
    # figure of every other kind of subject in each plan.
    shown = {}
    targets = Target.objects.with_related().order_by("plan__slug", "subject__order", "order", "pk")
    for t in targets:
        key = (t.plan_id, t.subject.kind, t.pk if t.subject.kind == Subject.Kind.DISTRICT else 0)
        shown.setdefault(key, t)
    urls += [
        reverse("indicators:indicator", args=[t.plan.slug, t.subject.slug, t.metric.slug])
        for t in shown.values()
    ]
    return urls


def chinese_on_english_pages(client):
    client.cookies["django_language"] = "en"
    found = {}
    for url in every_kind_of_page():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert '<html lang="en">' in html or url.startswith("/api/"), url
        if chinese := chinese_outside_proper_names(html):
            found[url] = chinese
    return found


def test_every_kind_of_page_reads_in_english(client):
    assert len(every_kind_of_page()) > 40
    assert chinese_on_english_pages(client) == {}


def test_every_kind_of_page_reads_in_english_for_staff(client, alice):
    # Staff see unapproved figures, the preview marks and the admin link as well: a clerk's
    # draft for 2025, with a note in Chinese (quoted as entered) and no source.
    make_actual("beichen", "strategic-output", 2025, 690, note="全年快报数", entered_by=alice)
    client.force_login(alice)
    client.get("/", {"preview": "1"})
    assert chinese_on_english_pages(client) == {}
    page = english(client, "/indicators/doubling-2021-2025/beichen/strategic-output/")
    assert '<span class="flag">Not yet approved</span>' in page
    assert '<td lang="zh-Hans">全年快报数</td>' in page


def test_the_workbook_names_its_sheets_and_columns_in_english_for_an_english_page(client):
    client.cookies["django_language"] = "en"
    response = client.get("/report/workbook/", {"year": 2024})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == ["Summary", "Doubling indicators", "Chains", "Towns"]
    for sheet in book.worksheets:
        title = sheet.cell(row=TITLE_ROW, column=1).value
        headers = [c.value for c in sheet[HEADER_ROW] if c.value]
        assert not CJK.search(sheet.title + title + "".join(headers)), sheet.title
    summary = book["Summary"]
    assert [c.value for c in summary[HEADER_ROW]][:6] == [
        "Plan",
        "Category",
        "Key indicator",
        "Unit",
        "2020 baseline",
        "2025 target",
    ]
    # A Chinese page's workbook is the government's layout, in Chinese, as before.
    client.cookies["django_language"] = "zh-hans"
    chinese = load_workbook(io.BytesIO(client.get("/report/workbook/", {"year": 2024}).content))
    assert chinese.sheetnames[:4] == ["汇总", "五项倍增指标", "产业链", "属地"]


def test_the_error_page_reads_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert chinese_outside_proper_names(response.content.decode()) == []


def test_english_pages_name_plans_documents_and_sources_in_english(client):
    html = english(client, "/indicators/doubling-2021-2025/beichen/strategic-output/")
    assert (
        "Beichen District Action Plan for Doubling High-Quality Manufacturing (2021–2025)" in html
    )
    assert "Baseline (Table 1)" in html
    footer = html[html.index('<footer class="site-footer">') :]
    assert (
        "Post-Evaluation Report on Beichen District&#x27;s 14th Five-Year Industrial Plan" in footer
    )
    quality = english(client, "/quality/")
    assert "the sum of its 9 industry chain rows is 322 firms" in quality
    assert "Annex 3 total targets" in quality


def test_chinese_pages_keep_the_footer_and_the_findings_as_before(client):
    html = client.get("/quality/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert (
        "数据来源：北辰政办发〔2022〕3号《北辰区制造业强区高质量倍增行动方案（2021-2025年）》；"
        "《北辰区工业经济“十四五”规划后评估报告》。"
    ) in footer
    assert "9 个产业链分项之和为 322 家" in html


def test_the_check_sees_chinese_that_is_not_a_proper_name():
    html = (
        '<html lang="en"><body><p>简体中文</p><p lang="zh-Hans">原文</p><h1>倍增</h1></body></html>'
    )
    assert chinese_outside_proper_names(html) == ["倍增"]


def test_document_locators_read_in_english():
    assert sources.english("表1") == "Table 1"
    assert sources.english("附件3 合计目标") == "Annex 3 total targets"
    assert sources.english("附件3 第1行") == "Annex 3 row 1"
    assert sources.english("正文 二（一）高端装备制造") == "text, section 2 (1) high-end equipment"
    assert sources.english("一（二）核心指标完成亮点表") == (
        "section 1 (2) table of core indicator highlights"
    )
    assert sources.english("三、工作措施（1）1") == "section 3: measures (1) 1"
    # Every locator the documents use reads without Chinese.
    used = set(Target.objects.values_list("source", flat=True))
    for model in (Actual, StatedTotal, Statement, Measure):
        used |= set(model.objects.values_list("source", flat=True))
    assert [s for s in used if CJK.search(sources.english(s))] == []


def test_the_chinese_admin_labels_the_english_names_in_chinese(client, alice):
    client.force_login(alice)
    plan, document = Plan.objects.get(slug="doubling-2021-2025"), Document.objects.first()
    html = client.get(f"/admin/indicators/plan/{plan.pk}/change/").content.decode()
    assert "英文名称" in html and "英文简称" in html
    assert "Doubling action plan" in html  # the value from fixtures/english.yaml
    html = client.get(f"/admin/indicators/document/{document.pk}/change/").content.decode()
    assert "英文标题" in html


def test_the_measures_page_names_projects_measures_and_units_in_english(client):
    html = english(client, "/measures/")
    # The five projects and twelve measures by their names in fixtures/english.yaml.
    assert "<h2>1. New growth drivers project (attracting and cultivating)</h2>" in html
    assert "<strong>Step up investment promotion and services to investors</strong>" in html
    assert "<td >Cultivate firms</td>" in html or "<td>Cultivate firms</td>" in html
    # Responsible units from the glossary, one tag each and joined in the table.
    assert '<span class="tag">Development and Reform Commission</span>' in html
    assert (
        "Development and Reform Commission, Government Services Office, Industry and "
        "Information Technology Bureau, Science and Technology Bureau, the towns, "
        "Development Zone"
    ) in html
    assert "Beichen branch of the Municipal Planning and Natural Resources Bureau" in html
    for chinese in (
        "实施新动能引育工程",
        "实施产业生态优化工程",
        "深入推进招商和服务工作",
        "实施企业培育行动",
        "发改委",
        "政务服务办",
        "市规划资源局北辰分局",
    ):
        assert chinese not in html, chinese
    # The measures' own paragraphs stay quoted in Chinese.
    assert '<p lang="zh-Hans">瞄准北京非首都功能疏解' in html


def test_the_parks_and_chains_name_their_industries_and_units_in_english(client):
    html = english(client, "/parks/")
    assert "doors and windows" in html and "门窗制造" not in html
    assert "pharmaceutical logistics, machinery and equipment" in html
    assert "医药物流" not in html and "高端装备制造" not in html
    # The firms stay quoted in Chinese on a park's own page.
    park = english(client, "/parks/shuangkou-park/")
    assert "<dd>pharmaceutical logistics, machinery and equipment</dd>" in park
    assert '<dd lang="zh-Hans">永大电梯、九州通、三棵树</dd>' in park
    chain = english(client, "/chains/new-materials/")
    assert "<dd>Cooperation and Exchange Office</dd>" in chain
    assert "<dd>new materials, copper finishing, wires and cables</dd>" in chain
    profile = chain[chain.index('<dl class="profile">') : chain.index("</dl>")]
    assert "合交办" not in chain and "铜产品精加工及电线电缆" not in profile
    # The note quotes the annex's wording, in Chinese.
    assert "第二行发展重点为“铜产品精加工及电线电缆”" in chain
    assert "<dd>Industry and Information Technology Bureau</dd>" in english(
        client, "/chains/high-end-equipment/"
    )


def test_chinese_pages_keep_the_names_and_units_as_the_plan_prints_them(client):
    html = client.get("/measures/").content.decode()
    assert "实施新动能引育工程" in html and "深入推进招商和服务工作" in html
    assert '<span class="tag">发改委</span>' in html
    assert "New growth drivers project" not in html
    assert "Development and Reform Commission" not in html
    parks = client.get("/parks/").content.decode()
    assert "医药物流、机械装备" in parks and "pharmaceutical logistics" not in parks


def test_an_indicator_page_names_its_measures_project_and_units_in_english(client):
    html = english(client, "/indicators/doubling-2021-2025/beichen/tech-centers/")
    assert "<span>Build a high-quality industrial system</span>" in html
    assert "<span>Science and Technology Bureau, Industry and Information Technology" in html
    start = html.index("#measure-4")
    measures = html[start : html.index("</ul>", start)]
    assert "打造高质量产业发展体系" not in measures and "科技局" not in measures
    assert chinese_on(measures) == []


def test_the_workbook_names_projects_measures_and_units_in_english(client):
    client.cookies["django_language"] = "en"
    book = load_workbook(io.BytesIO(client.get("/report/workbook/", {"year": 2024}).content))
    values = {c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert "New growth drivers project (attracting and cultivating)" in values
    assert "Cultivate firms" in values
    assert "high-end equipment manufacturing" in values  # annex 2, 北辰经济技术开发区
    assert not {"实施新动能引育工程", "实施企业培育行动", "高端装备制造"} & values


def test_projects_and_measures_take_their_english_names_from_the_fixture():
    missing = [p.name for p in Project.objects.filter(name_en="")]
    missing += [m.title for m in Measure.objects.filter(title_en="")]
    assert missing == []
    assert Measure.objects.get(number=12).title_en == "Cultivate firms"


def test_the_glossaries_read_every_unit_and_industry_of_the_documents(settings):
    from django.utils import translation

    with translation.override("en"):
        listed = [
            sources.listed(p.responsible_units, sources.GOVERNMENT_UNITS)
            for p in Project.objects.all()
        ]
        listed += [
            sources.listed(c.responsible_unit, sources.GOVERNMENT_UNITS)
            for c in Chain.objects.all()
        ]
        listed += [sources.listed(c.focus, sources.INDUSTRIES) for c in Chain.objects.all()]
        listed += [sources.listed(p.industry, sources.INDUSTRIES) for p in Park.objects.all()]
        listed += [sources.listed(m.frequency, sources.FREQUENCIES) for m in Metric.objects.all()]
        # A unit the glossary does not know stays as written.
        assert sources.listed("发改委、某某办", sources.GOVERNMENT_UNITS) == (
            "Development and Reform Commission, 某某办"
        )
    assert [text for text in listed if CJK.search(text)] == []
    assert sources.listed("发改委、某某办", sources.GOVERNMENT_UNITS) == "发改委、某某办"


def test_an_indicator_page_says_how_often_the_figure_is_counted_in_english(client):
    html = english(client, "/indicators/doubling-2021-2025/beichen/hightech-firms/")
    assert "<dd>yearly (cumulative at year end)</dd>" in html
    assert "年度（年末累计）" not in html
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/indicators/doubling-2021-2025/beichen/hightech-firms/")
    assert "<dd>年度（年末累计）</dd>" in chinese.content.decode()


def test_the_search_lists_measures_by_their_english_titles_on_english_pages(client):
    html = english(client, "/search/?q=深入推进")  # the Chinese titles of measures 1 to 3
    results = html[
        html.index('<ul class="search-results">') : html.index(
            "</ul>", html.index("search-results")
        )
    ]
    assert "2. Step up investment promotion and services to investors</a>" in results
    assert '<span class="muted">New growth drivers project (attracting and cultivating)' in results
    assert chinese_on(results) == [] and "深入推进" not in results


def test_the_admin_edits_the_english_names_of_projects_and_measures(client, alice):
    client.force_login(alice)
    project = Project.objects.get(number=1)
    html = client.get(f"/admin/indicators/project/{project.pk}/change/").content.decode()
    assert "英文名称" in html and "英文标题" in html  # the project's, and each measure's inline
    assert 'value="New growth drivers project (attracting and cultivating)"' in html
    assert 'value="Take in the functions Beijing moves out (non-capital functions)"' in html


def test_an_english_name_changed_in_the_admin_shows_on_the_next_english_page(client):
    assert "5. Industrial ecosystem project" in english(client, "/measures/")
    project = Project.objects.get(number=5)
    project.name_en = "Industrial environment project"
    project.save()
    html = english(client, "/measures/")
    assert "<h2>5. Industrial environment project</h2>" in html
    assert "Industrial ecosystem project" not in html


def test_the_print_report_reads_the_parks_industries_and_the_unnamed_row_in_english(client):
    html = english(client, "/report/print/?year=2024")
    assert "<td>pharmaceutical logistics, machinery and equipment</td>" in html
    assert (
        "<td>This row of annex 2 has no number, park name, level or output; kept as the "
        "document prints it</td>"
    ) in html
    assert "<td>Industry and Information Technology Bureau</td>" in html  # chain 1's unit
    for chinese in (
        "医药物流、机械装备",
        "附件2此行无序号",
        "实施新动能引育工程",
        "深入推进招商和服务工作",
    ):
        assert chinese not in html, chinese
    chinese_page = client.get("/report/print/?year=2024", HTTP_COOKIE="django_language=zh-hans")
    assert "附件2此行无序号、园区名称、级别和产值，按原文保留" in chinese_page.content.decode()


def test_an_indicator_page_says_how_the_status_is_judged_and_its_sources_in_english(client):
    html = english(client, "/indicators/doubling-2021-2025/beichen/hightech-firms/")
    assert (
        "<dd>Completion = latest full-year actual ÷ target. Progress ratio R = actual average"
        in html
    )
    assert (
        "<span>The doubling action plan (北辰政办发〔2022〕3号) and the post-evaluation report on "
        "the 14th five-year plan</span>"
    ) in html
    assert "规划年均增加数量" not in html and "“十四五”规划后评估报告</span>" not in html
    share = english(client, "/indicators/doubling-2021-2025/beichen/rd-share/")
    assert "A share&#x27;s progress is measured in percentage points" in share
    # A text an administrator rewrote has no English version: quoted as written.
    metric = Metric.objects.get(slug="hightech-firms")
    metric.assessment_method = "按年末数判定。"
    metric.save()
    html = english(client, "/indicators/doubling-2021-2025/beichen/hightech-firms/")
    assert '<dd lang="zh-Hans">按年末数判定。</dd>' in html


def test_every_shared_metadata_text_reads_in_english():
    from django.utils import translation

    with translation.override("en"):
        texts = {
            sources.metadata_text(text)
            for metric in Metric.objects.all()
            for text in (metric.agency, metric.assessment_method)
        }
    # Only the two figures whose sources name the responsible units keep their own words.
    assert sorted(t[:11] for t in texts if sources.still_chinese(t)) == [
        "倍增行动方案 三（二）",
        "倍增行动方案 三（四）",
    ]


class AllText(VisibleText):
    """Every text a reader sees, quoted Chinese included (outside <script>/<style>)."""

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"):
            return
        self.hidden.append(tag in ("script", "style") or bool(self.hidden and self.hidden[-1]))


def all_chinese(html):
    parser = AllText()
    parser.feed(html)
    found = []
    for chunk in parser.seen:
        for name in PROPER_NAMES:
            chunk = chunk.replace(name, "")
        if CJK.search(chunk):
            found.append(chunk)
    return found


def test_the_parks_list_in_english_quotes_no_chinese_at_all(client):
    # Names, localities, levels and industries all read in English; the firms are on each
    # park's own page.
    assert all_chinese(english(client, "/parks/")) == []


def test_the_measures_page_in_english_quotes_only_the_measures_own_paragraphs(client):
    texts = {" ".join(m.text.split()) for m in Measure.objects.all()}
    quoted = all_chinese(english(client, "/measures/"))
    assert quoted and all(" ".join(chunk.split()) in " ".join(texts) for chunk in quoted)
