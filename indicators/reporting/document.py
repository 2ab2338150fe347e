"""The evaluation report as a Word document, in the register of the district's own report.

`indicators.reporting.report.build()` gathers the rows once (the same rows as the workbook
and the printable page); this module only writes them as sentences and tables. Every
number in the text is a cell of those rows, formatted as the report prints it (39.8%,
1389.9亿元, 715家); a figure with no published value gets a sentence saying so.
"""

from collections import Counter
from io import BytesIO

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from indicators.engine import progress
from indicators.models import Actual, Document, Plan
from indicators.reporting import report
from indicators.reporting.final import FinalSheet

BODY_FONT, HEADING_FONT = "仿宋", "黑体"
# Statuses after which no further growth is needed: reached before the target year, or the
# target-year verdict; two different words for two different facts.
REACHED = {"提前达到", "达成"}
NUMERALS = "一二三四五六七八九十"
OPENING_METRICS = ["industrial-output", "mfg-value-added", "mfg-va-gdp-share"]


# --- reading the report's rows ------------------------------------------------------------------


class Row:
    """One row of a report sheet, read by header: row["完成度"] is the cell's printed text."""

    def __init__(self, sheet, cells):
        self.cells = dict(zip(sheet.headers, cells, strict=False))

    def cell(self, header):
        return self.cells.get(header) or report.Cell()

    def __getitem__(self, header):
        # The document prints 1389.9亿元 as the district's report does, without separators.
        return self.cell(header).text.replace(",", "")

    def value(self, header):
        """The printed value with its unit: 39.8%, 1389.9亿元, 715家; empty when there is none."""
        text = self[header]
        unit = self["单位"]
        if not text or text.endswith("%"):
            return text
        return f"{text}{unit}"

    @property
    def base_header(self):
        """The baseline's header (“<base year>年基数”), named by the plan the report follows."""
        return next((h for h in self.cells if h.endswith("年基数")), "")

    @property
    def target_header(self):
        return next((h for h in self.cells if h.endswith("年目标")), "")

    @property
    def has_actual(self):
        return bool(self["当年实际"] or self.latest_header)

    @property
    def latest_header(self):
        years = [h for h in self.cells if h.endswith("年实际") and self[h]]
        return years[-1] if years else ""


def rows(sheet):
    return [Row(sheet, cells) for cells in sheet.rows]


def plan_rows(rep, plan):
    summary = rows(rep.sheet("汇总"))
    return [r for r in summary if plan is None or r["规划"] == plan.short_name]


# --- sentences ----------------------------------------------------------------------------------


def figure_sentence(row, year, name=None):
    """“2024年，制造业增加值占GDP比重为39.8%，……完成目标的107.6%，状态为提前达到。”"""
    name = name or row["关键指标"] or row["指标"]
    target = row.value(row.target_header)
    if "当年实际" in row.cells:
        actual, actual_year = row.value("当年实际"), row["实际年份"]
    else:
        header = row.latest_header
        actual, actual_year = (row.value(header), header[:4]) if header else ("", "")
    if not actual:
        return f"{name}：截至{year}年尚无已公布的实际值，暂无法评估完成情况（{row.target_header}为{target}）。"
    when = f"{actual_year}年" if actual_year else f"{year}年"
    parts = [f"{when}，{name}为{actual}"]
    if actual_year and actual_year != str(year):
        parts[0] += f"（{year}年数据尚未公布，采用{actual_year}年数据）"
    if base := row.value(row.base_header):
        parts.append(f"{row.base_header}为{base}")
    parts.append(f"{row.target_header}为{target}")
    if completion := row["完成度"]:
        parts.append(f"完成目标的{completion}")
    if (versus := row["较基数进度"]).endswith("个百分点"):  # a share, as the report words it
        parts.append(versus)
    status = row["状态"]
    if status:
        reason = no_data_reason(row)
        parts.append(f"状态为“{status}”" + (f"（{reason}）" if reason else ""))
    if status == progress.Status.REACHED.label:
        parts.append(f"已提前达到{row.target_header}")
    elif status in REACHED:
        parts.append(f"已达到{row.target_header}")
    elif required := required_text(row):
        parts.append(f"实现目标尚需{required}")
    return "，".join(parts) + "。"


def no_data_reason(row):
    """Why a row's status is 无数据, from its 备注 ("无数据原因：<reason>。<note>"), or ""."""
    note = row["备注"]
    if not note.startswith(report.NO_DATA_REASON):
        return ""
    return note.removeprefix(report.NO_DATA_REASON).split("。", 1)[0]


def status_text(row):
    """The 状态 cell; 无数据 says why, so a completion beside it is never left unexplained."""
    reason = no_data_reason(row)
    return f"{row['状态']}（{reason}）" if reason else row["状态"]


def required_text(row):
    """尚需年均增速 in words, by the plan's convention: 年均增长42.1%, 年均提高2.60个百分点, 年均增加85家."""
    cell = row.cell("尚需年均增速")
    text = row["尚需年均增速"]
    if not text:
        return ""
    if cell.fmt == report.PERCENT:
        return f"年均增长{text}"
    if cell.fmt == report.POINTS_PA:
        return f"年均提高{text.removesuffix('个百分点/年')}个百分点"
    # A count per year: 85家/年 → 年均增加85家.
    return f"年均增加{text.removesuffix('/年')}"


def status_summary(rows_, label):
    counts = Counter(r["状态"] for r in rows_ if r["状态"])
    if not counts:
        return f"{label}均尚无可评估的数据。"
    parts = "，".join(f"{status}{n}项" for status, n in counts.most_common())
    return f"{label}共{len(rows_)}项，其中{parts}。"


def opening(year):
    """The district's headline figures of the year, from published actuals."""
    actuals = {
        a.metric.slug: a
        for a in Actual.objects.published()
        .filter(
            subject__kind="district", year=year, period="year", metric__slug__in=OPENING_METRICS
        )
        .select_related("metric")
    }
    clauses = []
    for slug in OPENING_METRICS:
        if actual := actuals.get(slug):
            cell = report.metric_cell(actual.metric, actual.value)
            text = cell.text.replace(",", "")
            unit = "" if actual.metric.unit == "%" else actual.metric.unit
            clauses.append(f"{actual.metric.name}{text}{unit}")
    if not clauses:
        return f"{year}年全区规模以上工业总产值等总量指标尚无已公布的数据。"
    return f"{year}年，全区" + "，".join(clauses) + "。"


# --- writing ------------------------------------------------------------------------------------


def _font(run_or_style, name, size=None, bold=None):
    font = run_or_style.font
    font.name = name
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def new_document(title):
    doc = WordDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.4)
    _font(doc.styles["Normal"], BODY_FONT, 12)
    for name in ("Heading 1", "Heading 2", "Title"):
        _font(doc.styles[name], HEADING_FONT, bold=True)
    doc.core_properties.title = title
    doc.core_properties.author = "北辰区制造业倍增指标看板"
    return doc


def paragraph(doc, text, indent=True):
    p = doc.add_paragraph(text)
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)
    return p


def table(doc, headers, body, caption):
    caption_p = doc.add_paragraph()
    caption_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(caption_p.add_run(caption), HEADING_FONT, 11, bold=True)
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(t.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(header), HEADING_FONT, 10, bold=True)
    for values in body:
        cells = t.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(value or "—"), BODY_FONT, 10)
    doc.add_paragraph()
    return t


def actual_text(row, year):
    """The 2024年实际 cell as the document prints it: 49.8%（2023）when an earlier year stands in."""
    value = row.value("当年实际")
    if value and row["实际年份"] and row["实际年份"] != str(year):
        value += f"（{row['实际年份']}）"
    return value


def write_plan_section(doc, rep, plan, heading):
    year = rep.year
    plan_rows_ = plan_rows(rep, plan)
    doc.add_heading(heading, level=2)
    paragraph(doc, status_summary(plan_rows_, f"《{plan.name}》跟踪的关键指标"))
    for row in plan_rows_:
        paragraph(doc, figure_sentence(row, year))
    table(
        doc,
        [
            "指标类别",
            "关键指标",
            report.base_header(rep.plan),
            report.target_header(rep.plan),
            f"{year}年实际",
            "完成度",
            "状态",
            "尚需年均增速",
        ],
        [
            [
                row["指标类别"],
                row["关键指标"],
                row.value(row.base_header),
                row.value(row.target_header),
                actual_text(row, year),
                row["完成度"],
                status_text(row),
                "" if row["状态"] in REACHED else required_text(row),
            ]
            for row in plan_rows_
        ],
        f"表：{plan.short_name}关键指标完成情况（{year}年）",
    )


def write_chains(doc, rep, number):
    year = rep.year
    chain_rows = rows(rep.sheet("产业链"))
    doc.add_heading(f"{NUMERALS[number]}、产业链发展情况", level=1)
    paragraph(doc, status_summary(chain_rows, "各产业链跟踪的指标"))
    by_chain = {}
    for row in chain_rows:
        by_chain.setdefault(row["产业链"], []).append(row)
    for name, chain in by_chain.items():
        sentences = "".join(figure_sentence(r, year, name=r["指标"]) for r in chain)
        paragraph(doc, f"{name}。{sentences}")
    progress_table(
        doc, rep, chain_rows, "产业链", f"表：产业链指标完成情况（{year}年，行动方案附件3）"
    )


def progress_table(doc, rep, figure_rows, name_header, caption):
    """One row per figure: whose, which, base, target, the year's actual, completion, status."""
    year_header = f"{rep.year}年实际"
    headers = [name_header, "指标", report.base_header(rep.plan), report.target_header(rep.plan)]
    table(
        doc,
        [*headers, year_header, "完成度", "状态"],
        [
            [
                r[name_header],
                r["指标"],
                r.value(r.base_header),
                r.value(r.target_header),
                r.value(year_header) if year_header in r.cells else "",
                r["完成度"],
                status_text(r),
            ]
            for r in figure_rows
        ],
        caption,
    )


def write_subjects(doc, rep, number, sheet_name, name_header, title):
    year = rep.year
    subject_rows = rows(rep.sheet(sheet_name))
    doc.add_heading(f"{NUMERALS[number]}、{title}", level=1)
    paragraph(doc, status_summary(subject_rows, f"各{name_header}跟踪的指标"))
    missing = [f"{r[name_header]}{r['指标']}" for r in subject_rows if not r.latest_header]
    if missing:
        paragraph(doc, f"以下指标截至{year}年尚无已公布的实际值：{'、'.join(missing)}。")
    progress_table(
        doc, rep, subject_rows, name_header, f"表：{rep.sheet(sheet_name).title}（{year}年）"
    )


def write_final(doc, rep, number, sheet):
    """An ended plan's 终期评估: its verdicts counted, and each figure's final value beside its
    target; a figure still 待补数 shows its latest whole-year actual for reference."""
    doc.add_heading(f"{NUMERALS[number]}、《{sheet.plan.name}》终期评估", level=1)
    final_rows = rows(sheet)
    paragraph(doc, f"{report.words(sheet.title)}。")
    if not final_rows:
        return
    pending = [r for r in final_rows if r["尚缺"]]
    if pending:
        paragraph(
            doc,
            f"目标年份全年数据尚未公布的{len(pending)}项指标暂列为待补数，"
            "表中列出其最近全年实际值供参考，数据公布后据实评估。",
        )
    table(
        doc,
        ["对象", "指标", "基数", "目标", "目标年份实际值", "完成度", "终期结论", "最近全年实际值"],
        [
            [
                r["对象"],
                r["指标"],
                r.value("基数"),
                r.value("目标"),
                r.value("目标年份实际值"),
                r["完成度"],
                r["终期结论"],
                f"{r.value('最近全年实际值')}（{r['实际年份']}年）" if r["最近全年实际值"] else "",
            ]
            for r in final_rows
        ],
        f"表：{sheet.plan.short_name}终期评估（{sheet.plan.target_year}年）",
    )


def write_quality(doc, rep, number):
    findings = rows(rep.sheet("数据质量"))
    doc.add_heading(f"{NUMERALS[number]}、数据质量核查", level=1)
    if not findings:
        paragraph(doc, f"对{rep.year}年已审核数据的核查未发现问题。")
        return
    counts = Counter(r["级别"] for r in findings)
    levels = "，".join(f"{level}{n}条" for level, n in counts.most_common())
    paragraph(doc, f"对已审核数据的核查共发现{len(findings)}条需要说明的情况，其中{levels}。")
    for index, r in enumerate(findings, start=1):
        where = "，".join(
            x for x in (r["对象"], r["指标"], f"{r['年份']}年" if r["年份"] else "") if x
        )
        source = f"（来源：{r['来源']}）" if r["来源"] else ""
        paragraph(doc, f"{index}. 【{r['级别']}·{r['规则']}】{where}：{r['说明']}{source}")


def write_sources(doc, rep, number):
    doc.add_heading(f"{NUMERALS[number]}、数据来源", level=1)
    for index, document in enumerate(Document.objects.all(), start=1):
        number_text = f"（{document.number}）" if document.number else ""
        issuer = f"，{document.issuer}" if document.issuer else ""
        paragraph(doc, f"{index}. 《{document.title}》{number_text}{issuer}。", indent=False)
    paragraph(
        doc,
        f"本报告由北辰区制造业倍增指标看板根据已审核公布的数据生成，{rep.generated_text}。"
        "各项完成度、状态与尚需年均增速由看板的进度引擎计算，计算方法见各指标页面。",
    )


def build(rep, plan=None):
    """The Word document for `rep` (a `report.Report`); `plan` limits the indicator sections."""
    plans = [plan] if plan else sorted(rep.plans, key=lambda p: -p.base_year)
    title = f"北辰区制造业发展指标评估报告（{rep.year}年）"
    doc = new_document(title)
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    names = "、".join(f"《{p.name}》" for p in plans)
    sub = doc.add_paragraph(f"评估依据：{names}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("一、总体目标指标完成情况", level=1)
    paragraph(doc, opening(rep.year))
    for index, p in enumerate(plans):
        write_plan_section(doc, rep, p, f"（{NUMERALS[index]}）{p.short_name}主要指标完成情况")
    number = 1
    # The chains', localities' and parks' sections: those of the plan the report follows,
    # when it is written about and sets targets for them.
    subject_sheets = [s for s in rep.sheets if s.name in ("产业链", "属地", "园区")]
    if rep.plan in plans and any(s.rows for s in subject_sheets):
        write_chains(doc, rep, number)
        write_subjects(doc, rep, number + 1, "属地", "属地", "各属地指标完成情况")
        write_subjects(doc, rep, number + 2, "园区", "园区", "工业园区指标完成情况")
        number += 3
    for sheet in rep.sheets:
        if isinstance(sheet, FinalSheet) and plan in (None, sheet.plan):
            write_final(doc, rep, number, sheet)
            number += 1
    write_quality(doc, rep, number)
    write_sources(doc, rep, number + 1)
    return doc


def to_bytes(doc):
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def filename(rep, plan=None):
    suffix = f"-{plan.slug}" if plan else ""
    return f"beichen-evaluation-{rep.year}{suffix}.docx"


def plan_for(slug):
    """A plan by its code, or None when the code names no plan."""
    return Plan.objects.filter(slug=slug).first() if slug else None
