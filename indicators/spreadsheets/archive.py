"""Download everything: one zip of every published value, as Open SDG publishes its data.

- `数据/全部数据_长表.csv` and `.xlsx`: the tidy long table, one row per published value
  (plan, subject, metric, period, value, unit, source, status);
- `数据/宽表/<指标代码>.csv`: one wide table per metric, subjects × years (pandas pivot);
- `元数据/`: plans, metrics (with their notes), subjects, targets, documents;
- `README.txt`: what every file and column holds, in Chinese.

Only approved values appear. Statuses come from `tracking.track()`, as on the pages.
"""

import zipfile
from collections import defaultdict
from io import BytesIO, StringIO

from django.utils import timezone, translation

from indicators.domain import tracking
from indicators.engine import formatting
from indicators.models import Actual, Document, Metric, Plan, Subject, Target
from indicators.spreadsheets import formats


class _Pandas:
    """pandas, imported on the first download: a worker serving pages never pays its ~100 MB."""

    def __getattr__(self, name):
        with formats.LIBRARIES:  # never while openpyxl is imported with numpy hidden
            import pandas

        return getattr(pandas, name)


pd = _Pandas()

TIDY_COLUMNS = [
    "规划",
    "对象代码",
    "对象",
    "对象类别",
    "指标代码",
    "指标",
    "年份",
    "统计期",
    "数值",
    "单位",
    "来源文件",
    "出处",
    "审核状态",
    "进度状态",
    "备注",
]

README = """北辰区制造业倍增指标看板 · 全部公开数据
生成时间：{generated}（北京时间）
本压缩包只包含已审核公布的数据，共 {count} 条实际值。

一、文件
  数据/全部数据_长表.csv、数据/全部数据_长表.xlsx
      长表（每条实际值一行，同一数值只出现一次）。CSV 为 UTF-8 编码（带 BOM，Excel 可直接打开）。
  数据/宽表/<指标代码>.csv
      每个指标一张宽表：行是对象（全区、产业链、属地、园区），列是年份（非全年数据的列名带统计期，
      如“2025年1-10月”），单元格是数值。
  元数据/规划.csv      各规划的名称、文号、基期年份与目标年份。
  元数据/指标.csv      各指标的名称、单位、增长口径、方向和说明。
  元数据/对象.csv      全区、各产业链、属地和园区的代码、名称与类别。
  元数据/基数与目标.csv 各规划为各对象设定的基数与目标，及其出处。
  元数据/来源文件.csv  数据所依据的文件。

二、长表的列
  规划        为该对象、该指标设定了目标的规划（简称），有多个时以“、”分隔；没有目标的为空。
  对象代码    对象的代码，与看板网址和接口（/api/）中的代码一致。
  对象        对象名称。
  对象类别    全区、产业链、属地或园区。
  指标代码    指标的代码，与看板网址和接口中的代码一致。
  指标        指标名称。
  年份        数据所属年份。
  统计期      全年数据为空；非全年数据写明统计期，如“1-10月”（累计数）。
  数值        数值本身，按“单位”一列的单位；百分比写作 39.8，而不是 0.398。
  单位        数值的单位，如 亿元、家、%。
  来源文件    数值出自的文件；工作人员填报的数值为“填报”。
  出处        文件中的位置，如“表1”“附件3 第1行”。
  审核状态    均为“已审核”（未审核的数据不公开）。
  进度状态    按该年及以前的已公布数据，相对各规划目标的进度状态（规划简称：状态），
              由看板的进度引擎计算；非全年数据不参与状态判定。
  备注        数值的说明。

三、宽表
  第一列为对象代码，第二列为对象名称，其余各列为年份（或年份加统计期），单元格为数值，单位见
  元数据/指标.csv。没有数值的格子为空。

数据接口：看板的 /api/ 提供同样的数据（JSON），说明见 /api/docs/。
"""


def _number(value):
    return float(value) if value is not None else None


def period_label(actual):
    return actual.period_label


def progress_statuses(actuals):
    """{(subject_id, metric_id, year): "规划：状态；…"} from the engine, for full-year values."""
    targets = list(Target.objects.select_related("plan", "subject", "metric", "document"))
    years = sorted({a.year for a in actuals if not a.partial})
    found = defaultdict(list)
    for year in years:
        for tracked in tracking.track(targets, year=year):
            latest = tracked.latest
            if latest is not None and latest.year == year:
                key = (tracked.subject.pk, tracked.metric.pk, year)
                found[key].append(f"{tracked.plan.short_name}：{tracked.status.label}")
    return {key: "；".join(values) for key, values in found.items()}


def tidy_frame():
    """Every published value once, as a pandas DataFrame with the README's columns."""
    actuals = list(
        Actual.objects.published()
        .select_related("subject", "metric", "document")
        .order_by("subject__kind", "subject__order", "metric__order", "year", "month", "quarter")
    )
    plans = defaultdict(list)
    for subject_id, metric_id, short in Target.objects.order_by("plan__base_year").values_list(
        "subject_id", "metric_id", "plan__short_name"
    ):
        plans[(subject_id, metric_id)].append(short)
    statuses = progress_statuses(actuals)
    rows = []
    for a in actuals:
        status = (
            "非全年数据，不参与状态判定"
            if a.partial
            else statuses.get((a.subject_id, a.metric_id, a.year), "")
        )
        rows.append(
            {
                "规划": "、".join(plans.get((a.subject_id, a.metric_id), [])),
                "对象代码": a.subject.slug,
                "对象": a.subject.name,
                "对象类别": str(a.subject.get_kind_display()),
                "指标代码": a.metric.slug,
                "指标": a.metric.name,
                "年份": a.year,
                "统计期": a.period_name,
                "数值": _number(a.value),
                "单位": a.metric.unit,
                "来源文件": a.document.title if a.document else "填报",
                "出处": a.source,
                "审核状态": str(a.get_state_display()),
                "进度状态": status,
                "备注": a.note,
            }
        )
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def wide_frames(tidy):
    """{metric slug: DataFrame of subjects × years} built with pandas' pivot."""
    frames = {}
    if tidy.empty:
        return frames
    tidy = tidy.assign(
        期=[
            f"{y}年{p}" if p else f"{y}年"
            for y, p in zip(tidy["年份"], tidy["统计期"], strict=True)
        ]
    )
    for slug, group in tidy.groupby("指标代码", sort=False):
        wide = group.pivot_table(
            index=["对象代码", "对象"], columns="期", values="数值", aggfunc="first", sort=False
        )
        wide = wide.reindex(sorted(wide.columns), axis=1).reset_index()
        wide.columns.name = None
        frames[slug] = wide
    return frames


def metadata_frames():
    plans = pd.DataFrame(
        [
            {
                "规划代码": p.slug,
                "名称": p.name,
                "简称": p.short_name,
                "文号": p.number,
                "制定机关": p.issuer,
                "基期年份": p.base_year,
                "目标年份": p.target_year,
                "出处文件": p.document.title,
            }
            for p in Plan.objects.with_document()
        ]
    )
    metrics = pd.DataFrame(
        [
            {
                "指标代码": m.slug,
                "指标": m.name,
                "单位": m.unit,
                "增长口径": str(m.get_kind_display()),
                "方向": str(m.get_direction_display()),
                "说明": m.description,
            }
            for m in Metric.objects.all()
        ]
    )
    subjects = pd.DataFrame(
        [
            {"对象代码": s.slug, "对象": s.name, "对象类别": str(s.get_kind_display())}
            for s in Subject.objects.all()
        ]
    )
    targets = pd.DataFrame(
        [
            {
                "规划": t.plan.short_name,
                "对象代码": t.subject.slug,
                "对象": t.subject.name,
                "指标代码": t.metric.slug,
                "指标": t.metric.name,
                "单位": t.metric.unit,
                "基期年份": t.baseline_year,
                "基期数值": _number(t.baseline_value),
                "目标年份": t.target_year,
                "目标数值": _number(t.target_value),
                "文件所列年均增速（增加数量）": t.growth_printed,
                "所列数值的含义": t.growth_printed_meaning(),
                "来源文件": t.document.title,
                "出处": t.source,
                "备注": t.note,
            }
            for t in Target.objects.with_related()
        ]
    )
    documents = pd.DataFrame(
        [
            {
                "代码": d.slug,
                "标题": d.title,
                "文号": d.number,
                "发文机关": d.issuer,
                "印发日期": d.issued.isoformat() if d.issued else "",
            }
            for d in Document.objects.all()
        ]
    )
    return {
        "规划": plans,
        "指标": metrics,
        "对象": subjects,
        "基数与目标": targets,
        "来源文件": documents,
    }


def _csv(frame):
    buffer = StringIO()
    # Text a spreadsheet would run as a formula stays text, as in every other export.
    safe = frame.map(formatting.spreadsheet_safe) if not frame.empty else frame
    safe.to_csv(buffer, index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(frame):
    buffer = BytesIO()
    safe = frame.map(formatting.spreadsheet_safe) if not frame.empty else frame
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name="全部数据", index=False)
        sheet = writer.sheets["全部数据"]
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 14
    return buffer.getvalue()


def build(now=None):
    """The archive's bytes."""
    with translation.override("zh-hans"):
        tidy = tidy_frame()
        wide = wide_frames(tidy)
        metadata = metadata_frames()
    generated = timezone.localtime(now or timezone.now())
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(generated=f"{generated:%Y-%m-%d %H:%M}", count=len(tidy)).encode("utf-8"),
        )
        archive.writestr("数据/全部数据_长表.csv", _csv(tidy))
        archive.writestr("数据/全部数据_长表.xlsx", _xlsx(tidy))
        for slug, frame in wide.items():
            archive.writestr(f"数据/宽表/{slug}.csv", _csv(frame))
        for name, frame in metadata.items():
            archive.writestr(f"元数据/{name}.csv", _csv(frame))
    return buffer.getvalue()


def filename(now=None):
    return f"beichen-open-data-{timezone.localtime(now or timezone.now()):%Y%m%d}.zip"
