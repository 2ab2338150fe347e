"""The 终期评估 sheet of each ended plan: final value, completion and verdict per figure.

The same rows as the /plans/<plan>/final/ page (`indicators.domain.closing`), written as cells
for the workbook and the printable report.
"""

from dataclasses import dataclass

from indicators.domain import closing, sources
from indicators.engine import progress
from indicators.engine.progress import Text
from indicators.models import active_language, in_page_language
from indicators.reporting.report import (
    COUNT,
    NO_PERCENT,
    NO_TEXT,
    NO_YEAR,
    YEAR,
    Cell,
    Sheet,
    metric_cells,
    metric_name_cells,
    once,
    ratio_cell,
    source_cell,
)

HEADERS = [
    "序号",
    "对象",
    "指标",
    "单位",
    "基数",
    "目标",
    "目标年份实际值",
    "完成度",
    "终期结论",
    "最近全年实际值",
    "实际年份",
    "预计（最新统计期）",
    "尚缺",
    "来源",
]


@dataclass
class FinalSheet(Sheet):
    """A report sheet that is an ended plan's final assessment, knowing its plan."""

    plan: object = None


def final_sheet(plan):
    """One plan's final assessment as a report sheet; its counts by verdict in the title."""
    assessment = closing.final_assessment(plan, values=True)
    noop = progress.gettext_noop
    counts = tuple(
        Text(noop("{verdict} {count} 项"), verdict=Text(v.label), count=n)
        for v, n in assessment.counts
    )
    sheet = FinalSheet(
        Text(noop("终期评估-{plan}"), plan=in_page_language(lambda: plan.display_short_name[:25])),
        Text(
            noop("{plan} 终期评估（{year}年）：{counts}"),
            plan=in_page_language(lambda: plan.display_name),
            year=plan.target_year,
            counts=sources.joined(list(counts), sources.COMMA),
        ),
        HEADERS,
        widths={
            "对象": 18,
            "指标": 30,
            "最近全年实际值": 14,
            "预计（最新统计期）": 48,
            "尚缺": 20,
            "来源": 48,
        },
        plan=plan,
    )
    # Cells that repeat on thousands of rows, made once each and shared: a verdict's, a year's
    # and 尚缺's (nothing, or one sentence for every figure of the plan: `closing._missing`).
    verdicts = {verdict: Cell(verdict.label) for verdict in closing.Verdict}
    years, missing_cells = {}, {"": NO_TEXT}
    for number, row in enumerate(assessment.rows, start=1):
        t, last, missing = row.target, row.last_full_year, row.missing
        metric = t.metric
        base, goal, final, latest = metric_cells(
            metric,
            [
                t.baseline_value,
                t.target_value,
                row.final.value if row.final else None,
                last.value if last else None,
            ],
        )
        sheet.rows.append(
            [
                Cell(number, COUNT),
                subject_cell(t.subject),
                *metric_name_cells(metric),
                base,
                goal,
                final,
                ratio_cell(row.completion) if row.final else NO_PERCENT,
                verdicts[row.verdict],
                latest,
                (years.get(last.year) or years.setdefault(last.year, Cell(last.year, YEAR)))
                if last
                else NO_YEAR,
                Cell(row.period.text(metric.display_unit, active_language()))
                if row.period
                else NO_TEXT,
                missing_cells.get(missing) or missing_cells.setdefault(missing, Cell(missing)),
                source_cell(row.tracked, row.final or (row.period and row.period.actual)),
            ]
        )
    return sheet


def subject_cell(subject):
    """A subject's 对象 cell, made once per report build and shared by its figures' rows (a
    district's, chain's or town's name on each of its figures)."""
    return once((subject_cell, subject), lambda: Cell(subject.display_name))


def ended_plans(today=None):
    """Every plan whose target year has passed: a final sheet each."""
    return closing.plans_for(None, today).ended


def final_sheets(today=None):
    """A sheet for every plan whose target year has passed."""
    return [final_sheet(plan) for plan in ended_plans(today)]
