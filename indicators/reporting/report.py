"""The report for one year: every sheet's rows, gathered once through `tracking.track()`.

The workbook (`indicators.spreadsheets.workbook`), the printable page and `manage.py export_report` all
render these rows, so the three always show the same numbers. Only approved actuals count.

A cell is a value plus a format name; percentages are kept as fractions (39.8 % → 0.398) so
Excel stores a real percentage, and figures that cannot be computed are left empty rather
than written as text into a numeric column.
"""

import gc
from bisect import bisect_right
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from operator import itemgetter
from typing import NamedTuple

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from indicators.domain import registry, sources
from indicators.domain.tracking import RECORDED, WITHIN_YEAR, Recorded, assess_target
from indicators.engine import formatting, kinds, progress
from indicators.engine.progress import Text
from indicators.engine.progress import gettext_noop as noop
from indicators.models import (
    Actual,
    Document,
    Measure,
    Metric,
    Plan,
    Subject,
    Target,
    active_language,
    english_page,
    in_page_language,
    language_pinned,
)

# Document titles for the sources column, read once per report instead of once per row.
DOCUMENT_TITLES = ContextVar("document_titles", default=None)
# Cells' values that repeat on thousands of rows (a figure's sources), each made once per
# report build and language (`once`): kept for one build only, so no change of data is missed.
MADE = ContextVar("made", default=None)


def once(key, make):
    """`make()`, or what it made for the same key earlier in this report build."""
    made = MADE.get()
    if made is None:
        return make()
    key = (key, active_language())
    value = made.get(key)
    if value is None:
        value = made[key] = make()
    return value


# Format names the writer and the page both understand (`formatting.cell` turns them to text).
# A figure's cell uses its metric kind's code (amount, count, share, rate) as its format name;
# AMOUNT and COUNT also format figures that are no metric's (serial numbers, output per mu).
AMOUNT, COUNT = kinds.AMOUNT.code, kinds.COUNT.code
PERCENT, NUMBER, YEAR = formatting.PERCENT, formatting.NUMBER, formatting.YEAR
POINTS, POINTS_PA, PER_YEAR = formatting.POINTS, formatting.POINTS_PA, formatting.PER_YEAR
COUNT_PA = formatting.COUNT_PA
TEXT, STATUS, STATED = formatting.TEXT, formatting.STATUS, formatting.STATED
STATED_PERCENT = formatting.STATED_PERCENT


def words(text):
    """A header, sheet name or cell text of the report in the active language: the engine's
    sentences and the catalogue's words translated (the report's rows keep the Chinese)."""
    if isinstance(text, progress.Text):
        return text.translate(gettext)
    return gettext(str(text)) if text else ""


class Cell(NamedTuple):
    """One value and how to show it; `value` is a number, a string, a Status or None.
    (A named tuple: a report at scale makes some 750,000 cells, and a tuple is made several
    times faster than a frozen dataclass, and as unchangeable.)"""

    value: object = None
    fmt: str = TEXT
    # What the number is, beside it: a unit ("85" + "家" → "85家/年" for COUNT_PA, "400家"),
    # and words before it ("五年增加"400家). The workbook writes them into the cell's number
    # format, so the cell stays a number.
    unit: str = ""
    prefix: object = ""  # a progress.Text, translated like the cell's own text
    quoted: bool = False  # the documents' own words (notes, firms, units): no English version

    @property
    def is_number(self):
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)

    @property
    def text(self):
        """The value as the printable page shows it, matching the workbook's number format."""
        value = self.value.label if isinstance(self.value, progress.Status) else self.value
        if isinstance(value, (str, Promise)) and not self.quoted:
            return words(value)
        lang = active_language()
        text = formatting.cell(value, self.fmt, lang, kinds.KINDS.get(self.fmt), self.unit)
        if text and self.is_number and self.prefix:
            return self.prefix_text + text
        return text

    @property
    def prefix_text(self):
        prefix = self.prefix
        return prefix.translate(gettext) if isinstance(prefix, progress.Text) else prefix


# Cells that thousands of rows print alike, made once and shared (a cell cannot change).
NO_PERCENT, NO_NUMBER, NO_YEAR = Cell(None, PERCENT), Cell(None, NUMBER), Cell(None, YEAR)
NO_TEXT, NO_NOTE = Cell(""), Cell("", quoted=True)
STATUS_CELLS = {status: Cell(status, STATUS) for status in progress.Status}


@dataclass
class Sheet:
    """One table of the report: a title, its column headers and rows of cells."""

    name: str
    title: str
    headers: list
    rows: list = field(default_factory=list)
    widths: dict = field(default_factory=dict)  # header → width in characters
    totals: int = 0  # how many of the last rows are 合计 rows (`total_rows`)

    def add_totals(self, rows):
        """The sheet's 合计 rows, after its other rows."""
        self.rows += rows
        self.totals += len(rows)


def quoted_title(plan):
    """A plan's full name in title quotes: 《…》 on Chinese pages, “…” on English ones."""
    return in_page_language(
        lambda: f"“{plan.display_name}”" if english_page() else f"《{plan.name}》"
    )


@dataclass
class Report:
    year: int
    generated: datetime
    plan: object  # the plan the report follows: table 1 and the subjects' sheets
    plans: list  # every plan of the same period in the summary, `plan` last
    sheets: list

    @property
    def title(self):
        names = tuple(quoted_title(p) for p in self.plans)
        message = progress.gettext_noop("北辰区制造业指标报告（{year}年）：{names}")
        return progress.Text(message, year=self.year, names=names)

    @property
    def generated_text(self):
        message = progress.gettext_noop("生成时间：{time}（北京时间）")
        return progress.Text(message, time=f"{timezone.localtime(self.generated):%Y-%m-%d %H:%M}")

    def sheet(self, name):
        return next(s for s in self.sheets if s.name == name)


def metric_cell(metric, value):
    """A figure as its metric's kind writes it: shares as Excel percentages, counts whole,
    amounts to 0.1 (the cell's format is the kind's code)."""
    kind = metric.metric_kind
    return Cell(kind.cell_value(value), kind.code)


def metric_cells(metric, values):
    """`metric_cell` of each of `values`, the metric's kind looked up once (a row of the
    report has six or more)."""
    kind = metric.metric_kind
    cell_value, code = kind.cell_value, kind.code
    return [Cell(cell_value(value), code) for value in values]


def ratio_cell(result):
    """Completion and progress from the engine: a fraction, or empty when not computable."""
    return Cell(result, PERCENT) if progress.computable(result) else NO_PERCENT


def pace_cell(metric, result):
    """Growth per year in the plan's convention: a rate for amounts, points or units per year
    (a count per year with its unit, whole when it is whole: "85家/年", never "85.0/年")."""
    if not progress.computable(result):
        return NO_NUMBER
    convention = metric.metric_kind.convention
    if convention is progress.Kind.COMPOUND:
        return Cell(result, PERCENT)
    if convention is progress.Kind.POINTS:
        return Cell(result, POINTS_PA)
    return Cell(result, COUNT_PA, unit=metric.display_unit)


# Table 1's column for counts and shares is the increase over the plan's years ("400" firms
# from 2020 to 2025), not a yearly rate: its cell says so.
INCREASE = progress.gettext_noop("{span}年增加")
CHINESE_DIGITS = "零一二三四五六七八九十"


def increase_words(figure):
    """ "五年增加" for a plan of five years (the documents' own count)."""
    span = figure.target_year - figure.baseline_year
    return progress.Text(INCREASE, span=CHINESE_DIGITS[span] if 0 < span <= 10 else span)


def planned_cell(tracked):
    """Table 1's 年均增速（增加数量）: a rate for amounts, the total increase for the others."""
    # The figure the target was assessed on (a target without a baseline has none).
    figure = tracked.assessment.figure if tracked.assessment else tracked.target.figure()
    if figure is None:
        return Cell(None, NUMBER)
    if figure.kind is progress.Kind.COMPOUND:
        return ratio_cell(progress.planned_growth(figure))
    change = progress.planned_change(figure)
    if figure.kind is progress.Kind.POINTS:
        return Cell(change, POINTS, prefix=increase_words(figure))
    cell = metric_cell(tracked.metric, change)
    return Cell(
        cell.value, cell.fmt, unit=tracked.metric.display_unit, prefix=increase_words(figure)
    )


def source_text(tracked, actual=None):
    """Where the row's figures come from: the target's table and the actual's (the same
    sentence for every row of the same target table and actual's source, made once)."""
    target = tracked.target
    return once((source_text, *_sources(target, actual)), lambda: _source_text(target, actual))


def source_cell(tracked, actual=None):
    """`source_text` as a row's 来源 cell, made once and shared by the rows it names."""
    key = (source_cell, *_sources(tracked.target, actual))
    return once(key, lambda: Cell(source_text(tracked, actual)))


def _sources(target, actual):
    """What a row's sources sentence is made from."""
    key = (target.document_id, target.source)
    return key if actual is None else (*key, actual.document_id, actual.source)


def _source_text(target, actual):
    parts = [
        Text(
            noop("基数与目标：{where}"),
            where=sources.document_source(target.document, target.source),
        )
    ]
    if actual is not None:
        if actual.document_id == target.document_id:
            origin = Text(noop("同上"))
        else:
            titles = DOCUMENT_TITLES.get() or {}
            entered = Text(noop("填报"))
            origin = titles.get(actual.document_id, entered) if actual.document_id else entered
        parts.append(Text(noop("实际值：{where}"), where=origin_and_source(origin, actual.source)))
    return sources.joined(parts)


def origin_and_source(origin, source):
    """A document (or 填报) and the place in it: “北辰区…报告 一（一）3 智能创新”."""
    if not source:
        return origin
    return Text(noop("{origin} {source}"), origin=origin, source=sources.locator(source))


FULL_COLUMNS = ("subject_id", "metric_id", *RECORDED[:5])
YEAR_COLUMN = FULL_COLUMNS.index("year")
PART_COLUMNS = ("pk", *RECORDED)


def _last_whole_year(year):
    """A target's latest year up to `year` with an approved whole-year figure, for a subquery."""
    actuals = Actual.objects.published().full_year()
    actuals = actuals.filter(
        subject_id=OuterRef("subject_id"), metric_id=OuterRef("metric_id"), year__lte=year
    )
    return Subquery(actuals.order_by("-year").values("year")[:1])


def _latest_part_year(year):
    """The pk of a target's latest approved part-year figure up to `year` and after its last
    whole year (the annotation `last_whole`), for a subquery: only the figures after the last
    whole year are looked at, not every month of every year."""
    actuals = Actual.objects.published().exclude(period=Actual.Period.YEAR)
    actuals = actuals.filter(
        subject_id=OuterRef("subject_id"),
        metric_id=OuterRef("metric_id"),
        year__lte=year,
        year__gt=Coalesce(OuterRef("last_whole"), 0),
    )
    return Subquery(actuals.order_by("-year", WITHIN_YEAR.desc(), "-pk").values("pk")[:1])


class ReportTarget(NamedTuple):
    """A target as the report's sheets read it, without a model row (a sheet at scale reads
    thousands): the columns its cells and assessment read, its plan, subject, metric and
    document shared by every target of the sheet (`report_targets`), and the pks of its latest
    part-year figures (`_latest_part_year`)."""

    plan: Plan
    subject: Subject
    metric: Metric
    counted_in: Metric | None
    document: Document
    pk: int
    plan_id: int
    subject_id: int
    metric_id: int
    counted_in_id: int | None
    document_id: int
    source: str
    category: str
    headline: bool
    order: int
    baseline_year: int
    baseline_value: object
    target_year: int
    target_value: object
    part_now: int | None
    part_then: int | None

    figure = Target.figure


TARGET_COLUMNS = ReportTarget._fields[5:]  # after the objects it refers to


def report_targets(targets):
    """`targets` (a queryset annotated with `part_now` and `part_then`) as `ReportTarget`s, in
    its order: the target columns in one query, and the plans, subjects, metrics (a target's
    own and the one it is counted in) and documents they refer to in one query each, each
    object shared by all its targets (a few plans and metrics for thousands of targets, not
    made again for every row)."""
    rows = list(targets.values_list(*TARGET_COLUMNS))
    plan, subject, metric, counted_in, document = (
        TARGET_COLUMNS.index(f"{name}_id") for name in ReportTarget._fields[:5]
    )

    def read(model, *columns):
        return model.objects.in_bulk({row[c] for row in rows for c in columns} - {None})

    plans, subjects, documents = read(Plan, plan), read(Subject, subject), read(Document, document)
    metrics = read(Metric, metric, counted_in)
    return [
        ReportTarget(
            plans[row[plan]],
            subjects[row[subject]],
            metrics[row[metric]],
            metrics.get(row[counted_in]),
            documents[row[document]],
            *row,
        )
        for row in rows
    ]


def _whole_years(pairs, base, year):
    """{(subject_id, metric_id): its whole years up to `year`, as rows of `FULL_COLUMNS` by
    year} for `pairs`, kept as read (only those a target keeps become figures: `since_base`).
    A target keeps its years after `base` (the earliest base year) and the last two up to it,
    so the years from the one before `base` are read, and earlier ones only for the figures
    that lack one of those two (a second query, where any does)."""
    published = Actual.objects.published().filter(period=Actual.Period.YEAR, year__lte=year)

    def read(pairs, years):
        found = defaultdict(list)
        rows = published.filter(
            years,
            subject_id__in={s for s, _ in pairs},
            metric_id__in={m for _, m in pairs},
        )
        for row in rows.order_by("year").values_list(*FULL_COLUMNS):
            key = row[:2]
            if key in pairs:
                found[key].append(row)
        return found

    full = read(pairs, Q(year__gte=base - 1))
    short = {
        pair for pair in pairs if len(rows := full.get(pair, ())) < 2 or rows[1][YEAR_COLUMN] > base
    }
    if short:
        for pair, earlier in read(short, Q(year__lt=base - 1)).items():
            full[pair] = earlier + full.get(pair, [])
    return full


def track_for_report(targets, year):
    """`tracking.track(targets, year, recent=True)` for what the report's sheets print, in
    three queries (four when a figure lacks a year just before the base year) however many
    targets and years: each target's whole-year figures up to `year` as plain values, and
    only its latest part-year figure after the last whole year (the one its status reason
    names), up to `year` and up to the year in progress; of the whole years up to the base
    year, only the last two are kept (`since_base`), and earlier ones are read only where
    they are needed (`_whole_years`). Each target is a `ReportTarget`, not a model row. Every
    cell the report makes from these is the same as from `track()` (a test compares them);
    `actuals` holds those figures only, so 同比 and 预计全年 and the status history cannot be
    read from it."""
    targets = report_targets(
        targets.select_related(None)
        .annotate(last_whole=_last_whole_year(year))
        .annotate(part_now=_latest_part_year(year + 1), part_then=_latest_part_year(year))
    )
    pairs = {(t.subject_id, t.metric_id) for t in targets}
    pairs |= {(t.subject_id, t.counted_in_id) for t in targets if t.counted_in_id}
    full = {}
    if pairs:
        base = min(min(t.baseline_year, t.plan.base_year) for t in targets)
        full = _whole_years(pairs, base, year)
    part_pks = {pk for t in targets for pk in (t.part_now, t.part_then) if pk is not None}
    parts = {
        pk: Recorded(*row)
        for pk, *row in Actual.objects.filter(pk__in=part_pks).values_list(*PART_COLUMNS)
    }
    tracked = []
    for t in targets:
        whole = [
            Recorded(*row[2:]) for row in since_base(full.get((t.subject_id, t.metric_id), []), t)
        ]
        last = whole[-1].year if whole else None
        later = [
            parts[pk]
            for pk in dict.fromkeys((t.part_then, t.part_now))
            if pk is not None and (last is None or parts[pk].year > last)
        ]
        one = assess_target(t, [*whole, *later], year=year)
        if t.counted_in_id:
            other = full.get((t.subject_id, t.counted_in_id), [])
            one = replace(one, other_basis=tuple(Recorded(*row[2:]) for row in other))
        tracked.append(one)
    return tracked


def since_base(whole, target):
    """A target's whole years (rows of `FULL_COLUMNS`, by year) that a sheet's cells can tell
    apart: those after its base year and its plan's, and the last two up to it. The columns of years start after the
    plan's base year; the status, completion, progress and growth still needed follow from the
    latest year; the notes name the years missing after the base year and say whether there
    are no whole years, one, or more (two earlier years stand for any number)."""
    base = min(target.baseline_year, target.plan.base_year)
    after = bisect_right(whole, base, key=itemgetter(YEAR_COLUMN))
    return whole[max(after - 2, 0) :]


def _latest(tracked, year):
    full = [a for a in tracked.actuals if not a.partial and a.year <= year]
    return full[-1] if full else None


def progress_cell(a):
    """较基数进度: a percentage for amounts and counts; a share's distance from its target in
    percentage points, as the report words it ("超目标2.8个百分点")."""
    if a is None:
        return NO_PERCENT
    if a.latest is not None and (words := progress.versus_target(a.figure, a.latest.value)):
        return Cell(words)
    return ratio_cell(a.progress)


def note_cell(tracked, latest):
    """备注: why the status is 无数据 (beside a completion that may be shown), then the
    actual's own note."""
    reason = tracked.status_reason
    note = latest.note if latest else ""
    if reason:
        return Cell(progress.Text(NOTE_WITH_REASON, reason=reason, note=note))
    return NO_NOTE if note == "" and type(note) is str else Cell(note, quoted=True)


NO_DATA_REASON = "无数据原因："  # how a 备注 that says why there is no status begins
NOTE_WITH_REASON = progress.gettext_noop("无数据原因：{reason}。{note}")


def assessment_cells(tracked, year):
    """完成度, 较基数进度, 尚需年均增速 and 状态 of one tracked target as of `year`."""
    a = tracked.assessment
    metric = tracked.metric
    return [
        ratio_cell(tracked.completion),
        progress_cell(a),
        pace_cell(metric, a.required_growth) if a else NO_NUMBER,
        STATUS_CELLS[tracked.status],
    ]


def base_header(plan):
    """The baseline column's header, named by the plan's base year: “<base year>年基数”."""
    return Text(noop("{year}年基数"), year=plan.base_year)


def target_header(plan):
    """The target column's header, named by the plan's target year: “<target year>年目标”."""
    return Text(noop("{year}年目标"), year=plan.target_year)


def summary_headers(plan):
    return [
        "规划",
        "指标类别",
        "关键指标",
        "单位",
        base_header(plan),
        target_header(plan),
        *SUMMARY_TAIL,
    ]


SUMMARY_TAIL = [
    "当年实际",
    "实际年份",
    "完成度",
    "较基数进度",
    "尚需年均增速",
    "状态",
    "备注",
    "来源",
]


def key_targets(plan):
    """A plan's key figures: its headline targets (the action plan's table 1), or, for a plan
    that marks none (the 14th plan's report table), its district targets."""
    targets = Target.objects.for_plan(plan).with_related()
    if targets.filter(headline=True).exists():
        return targets.filter(headline=True).order_by("order")
    return targets.filter(subject__kind=Subject.Kind.DISTRICT).order_by("order")


def summary_sheet(year, plans):
    """Each plan's key figures (the post-evaluation report's table, the action plan's table 1)."""
    sheet = Sheet(
        "汇总",
        "关键指标完成情况",
        summary_headers(plans[-1]),
        widths={"规划": 12, "关键指标": 30, "备注": 40, "来源": 48},
    )
    tracked_rows = [t for plan in plans for t in track_for_report(key_targets(plan), year)]
    for tracked in tracked_rows:
        target, latest = tracked.target, _latest(tracked, year)
        category = target.category or ("倍增指标" if target.headline else "")
        sheet.rows.append(
            [
                Cell(target.plan.display_short_name),
                Cell(category),
                Cell(target.metric.display_name),
                Cell(target.metric.display_unit),
                metric_cell(target.metric, target.baseline_value),
                metric_cell(target.metric, target.target_value),
                metric_cell(target.metric, latest.value if latest else None),
                Cell(latest.year if latest else None, YEAR),
                *assessment_cells(tracked, year),
                note_cell(tracked, latest),
                source_cell(tracked, latest),
            ]
        )
    return sheet


def _years(plan, year):
    """The plan's years up to the report's: one 年实际 column each."""
    return list(range(plan.base_year + 1, year + 1))


def figure_headers(plan, years):
    return [
        "指标",
        "单位",
        base_header(plan),
        target_header(plan),
        "年均增速（增加数量）",
        *[Text(noop("{year}年实际"), year=y) for y in years],
        "完成度",
        "较基数进度",
        "尚需年均增速",
        "状态",
        "备注",
        "来源",
    ]


def metric_name_cells(metric):
    """A metric's 指标 and 单位 cells, made once per report build and shared by its rows."""
    return once(
        (metric_name_cells, metric.pk),
        lambda: (Cell(metric.display_name), Cell(metric.display_unit)),
    )


def figure_cells(tracked, year, years):
    """指标 to 来源 of one figure: its base and target, each year's whole-year figure (empty
    where there is none; the first of a year counts) and its state as of `year`."""
    target = tracked.target
    metric = target.metric
    by_year, latest = {}, None  # and its latest whole year up to `year` (`_latest`)
    for a in tracked.actuals:
        if not a.partial:
            by_year.setdefault(a.year, a.value)
            if a.year <= year:
                latest = a
    base, goal, *yearly = metric_cells(
        metric, [target.baseline_value, target.target_value, *map(by_year.get, years)]
    )
    return [
        *metric_name_cells(metric),
        base,
        goal,
        planned_cell(tracked),
        *yearly,
        *assessment_cells(tracked, year),
        note_cell(tracked, latest),
        source_cell(tracked, latest),
    ]


def headline_sheet(year, plan):
    """Table 1: the plan's headline indicators (the five doubling ones), with each year's actual."""
    years = _years(plan, year)
    sheet = Sheet(
        "五项倍增指标",
        "表1 制造业倍增主要指标",
        ["序号", *figure_headers(plan, years)],
        widths={"指标": 30, "备注": 40, "来源": 48},
    )
    tracked_rows = track_for_report(Target.objects.headline().filter(plan=plan), year)
    for number, tracked in enumerate(tracked_rows, start=1):
        sheet.rows.append([Cell(number, COUNT), *figure_cells(tracked, year, years)])
    return sheet


def _subject_targets(plan, kind):
    return (
        Target.objects.filter(plan=plan, subject__kind=kind)
        .with_related()
        .order_by("subject__order", "subject__slug", "order", "metric__order")
    )


def measure_sheet(plan):
    """Section 三: the plan's measures (twelve in five projects), with the units responsible."""
    sheet = Sheet(
        "工作举措",
        "五大工程十二项举措",
        ["工程序号", "工程", "责任单位", "举措序号", "举措", "内容", "来源"],
        widths={"工程": 20, "责任单位": 36, "举措": 28, "内容": 80, "来源": 16},
    )
    measures = Measure.objects.filter(project__plan=plan).select_related("project")
    for measure in measures.order_by("number"):
        project = measure.project
        sheet.rows.append(
            [
                Cell(project.number, COUNT),
                named(project.display_name),
                named(sources.listed(project.responsible_units, sources.GOVERNMENT_UNITS)),
                Cell(measure.number, COUNT),
                named(measure.display_title),
                Cell(measure.text, quoted=True),
                Cell(sources.locator(measure.source)),
            ]
        )
    return sheet


def named(text):
    """A cell of the documents' names or short words, in English where english.yaml has them
    and quoted (marked as Chinese) where it has not."""
    return Cell(text, quoted=sources.still_chinese(text))


def finding_cell(kind, value):
    """A finding's number as its metric's kind writes it (`metric_cell`), or as it is when it
    is no one metric's (`kind` None)."""
    if kind is None:
        return Cell(formatting.to_float(value), NUMBER)
    return Cell(kind.cell_value(value), kind.code)


def quality_sheet(year):
    """The data-quality findings on approved figures, each with both numbers and sources.

    A rule's and a level's words, a subject's, a metric's and a year's cells repeat on
    thousands of rows: each is made once for the sheet and shared by its rows (a cell never
    changes), as is the source of every missing value."""
    from indicators.domain import quality

    sheet = Sheet(
        "数据质量",
        "数据质量核查结果",
        [
            "规则",
            "级别",
            "对象",
            "指标",
            "单位",
            "年份",
            "另一处或合计",
            "本处数值",
            "差额",
            "说明",
            "来源",
        ],
        widths={"对象": 20, "指标": 28, "说明": 60, "来源": 40},
    )
    # A missing value has no document behind it; the dashboard's own records are the source.
    records = Cell(Text(noop("看板{year}年填报记录"), year=year))
    labels, subjects, metrics, years = {}, {None: Cell("")}, {None: (Cell(""), Cell(""), None)}, {}
    for finding in quality.findings(published_only=True, year=year):
        key = (finding.rule, finding.level)
        if key not in labels:
            labels[key] = (Cell(finding.rule_label), Cell(finding.level_label))
        subject, metric = finding.subject, finding.metric
        subject_key = subject.pk if subject else None
        if subject_key not in subjects:
            subjects[subject_key] = Cell(str(subject))
        metric_key = metric.pk if metric else None
        if metric_key not in metrics:
            metrics[metric_key] = (
                Cell(metric.display_name),
                Cell(metric.display_unit),
                metric.metric_kind,
            )
        name, unit, kind = metrics[metric_key]
        if finding.year not in years:
            years[finding.year] = Cell(finding.year, YEAR)
        sheet.rows.append(
            [
                *labels[key],
                subjects[subject_key],
                name,
                unit,
                years[finding.year],
                finding_cell(kind, finding.expected),
                finding_cell(kind, finding.stated),
                finding_cell(kind, finding.difference),
                Cell(finding.message),
                Cell(finding.source) if finding.source else records,
            ]
        )
    return sheet


def stated_cell(metric, value):
    """A recorded figure as stated: counts whole, shares as percentages, amounts every digit."""
    kind = metric.metric_kind
    if kind.percent:
        # The report's "同比下降0.3%" and "增加值增速1%": every stated digit, none added.
        return Cell(kind.cell_value(value), STATED_PERCENT)
    if kind.whole:
        return metric_cell(metric, value)
    return Cell(formatting.to_float(value), STATED)


def period_text(actual):
    """The period a figure covers as the office writes it: 2024年, 2025年1—10月, 2021-2025年累计."""
    return actual.period_label


RECORDED_HEADERS = ["对象", "指标", "单位", "统计期", "数值", "备注", "来源"]


def recorded_sheet(year):
    """Every approved figure no target tracks, and every partial period: the report's other
    figures (93.1%, 5,444 个, 2025年1-10月 1,152.5 亿元 …) as stated, with period and source."""
    from indicators.domain.tracking import untracked_actuals

    sheet = Sheet(
        "其他数据",
        "未设目标的数据与部分期间数据（按原文，含统计期与出处）",
        RECORDED_HEADERS,
        widths={"对象": 20, "指标": 36, "统计期": 20, "备注": 50, "来源": 48},
    )
    titles = DOCUMENT_TITLES.get() or {}
    for actual in untracked_actuals(year=year):
        entered = Text(noop("填报"))
        origin = titles.get(actual.document_id, entered) if actual.document_id else entered
        sheet.rows.append(
            [
                Cell(actual.subject.display_name),
                Cell(actual.metric.display_name),
                Cell(actual.metric.display_unit),
                Cell(period_text(actual)),
                stated_cell(actual.metric, actual.value),
                Cell(actual.note, quoted=True),
                Cell(origin_and_source(origin, actual.source)),
            ]
        )
    return sheet


def total_rows(scope, headers, label_column, metric_column, attribute_columns=None, plan=None):
    """The 合计 rows of one kind of subject for its sheet: as the document states them, and
    summed from its rows where that differs (only its kind's targets of the totals' metrics
    are read, as plain values: `quality.KindRows`). A row is `width` cells in the figure layout
    (指标, 单位, 基数, 目标 from `metric_column`); descriptive totals (annex 2's area and
    firms) go in `attribute_columns` {metric slug: column}."""
    from indicators.domain.quality import stated_total_lines

    attribute_columns = attribute_columns or {}
    width, source_column = len(headers), headers.index("来源")
    note_column = headers.index("备注") if "备注" in headers else None
    rows = []
    for line in stated_total_lines(scope, plan):
        for label, values in (("文件所列合计", line.stated), ("分项相加", line.summed)):
            if label == "分项相加" and not line.differs:
                continue
            row = [Cell() for _ in range(width)]
            where = sources.locator(line.source)
            row[label_column] = Cell(
                Text(noop("{label}（{source}）"), label=Text(label), source=where)
            )
            row[source_column] = Cell(sources.document_source(line.document, line.source))
            if note_column is not None and line.differs:
                row[note_column] = Cell("文件所列合计与分项之和不一致，两者并列，见数据质量表")
            if line.attribute:
                column = attribute_columns.get(line.metric.slug)
                if column is None:
                    continue
                row[column] = stated_cell(line.metric, values[0])
            else:
                row[metric_column] = Cell(line.metric.display_name)
                row[metric_column + 1] = Cell(line.metric.display_unit)
                for offset, value in ((2, values[0]), (3, values[1])):
                    if value is not None:
                        row[metric_column + offset] = stated_cell(line.metric, value)
            rows.append(row)
    return rows


def default_year():
    """The latest year with an approved full-year actual, else last year."""
    from indicators.domain.tracking import latest_year

    return latest_year() or timezone.localdate().year - 1


def period_plans(plan):
    """The plans of `plan`'s period (same base and target year) that set targets, `plan` last."""
    same = Plan.objects.with_targets().filter(
        base_year=plan.base_year, target_year=plan.target_year
    )
    return [*(p for p in same if p.pk != plan.pk), plan]


def build(year, plan=None, now=None, streamed=False):
    """Every sheet of the report for `year`, from approved actuals only.

    `plan` is the plan the report follows (by default the one whose period holds `year`, else
    the latest); the summary also lists the key figures of the other plans of its period.
    With `streamed`, `sheets` is an iterator that builds each sheet when the one before it has
    been taken (a workbook writes a sheet and lets it go before the next is built: the
    memory of one sheet, not of all of them); it can be read once.
    """
    plan = plan or Plan.objects.for_year(year)
    if plan is None:
        raise Plan.DoesNotExist("没有设定目标的规划，无法生成报告。")
    plans = period_plans(plan)
    sheets = report_sheets(year, plan, plans)
    return Report(
        year=year,
        generated=now or timezone.now(),
        plan=plan,
        plans=plans,
        sheets=sheets if streamed else list(sheets),
    )


def report_sheets(year, plan, plans):
    """The report's sheets in order, each built when it is asked for."""
    # final.py builds its cells with this module's Cell and Sheet, so it is imported here.
    from indicators.reporting.final import ended_plans, final_sheet

    titles = {d.pk: d.display_title for d in Document.objects.all()}
    made = {}
    builders = [
        partial(summary_sheet, year, plans),
        partial(headline_sheet, year, plan),
        *(partial(kind.report_sheet, year, plan) for kind in registry.kinds() if kind.report_sheet),
        partial(recorded_sheet, year),
        partial(measure_sheet, plan),
        partial(quality_sheet, year),
    ]
    builders += [partial(final_sheet, ended) for ended in ended_plans()]
    for builder in builders:
        token = DOCUMENT_TITLES.set(titles)
        made_token = MADE.set(made)
        try:
            with language_pinned(), collection_paused():
                sheet = builder()
        finally:
            DOCUMENT_TITLES.reset(token)
            MADE.reset(made_token)
        yield sheet
        del sheet  # let it go before the next one is built


@contextmanager
def collection_paused():
    """Python's cyclic garbage collector held off while a sheet is built. A sheet at scale
    makes hundreds of thousands of cells and figures that live until it is written, none in a
    reference cycle: each full collection walked them all again (a third of the workbook's
    time at 100× data), and reclaimed nothing; they are freed as usual when let go. The
    collector resumes after the block (on an error too), unless it was off before it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def valid_year(value):
    """A report year from a query string or the command line, or None when unusable."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    low, high = Actual.year_bounds()
    return year if low <= year <= high else None
