"""The localities' and parks' sheets of the report: annexes 1 and 2."""

from decimal import Decimal

from indicators.domain.tracking import track
from indicators.engine import formatting
from indicators.models import Subject
from indicators.reporting.report import (
    AMOUNT,
    COUNT,
    NUMBER,
    Cell,
    Sheet,
    _latest,
    _subject_targets,
    _years,
    figure_cells,
    figure_headers,
    total_rows,
)
from parks.models import MU_PER_HECTARE, Locality, Park


def locality_sheet(year):
    """Annex 1: the indicators broken down by the development zone and the nine towns (ten localities)."""
    years = _years(year)
    localities = {loc.pk: loc for loc in Locality.objects.all()}
    sheet = Sheet(
        "属地",
        "附件1 各属地指标分解",
        ["序号", "属地", "类型", *figure_headers(years)],
        widths={"指标": 28, "备注": 30, "来源": 40},
    )
    rows = track(_subject_targets(Subject.Kind.LOCALITY), year)
    for tracked in sorted(rows, key=lambda t: (localities[t.subject.pk].number, t.target.order)):
        locality = localities[tracked.subject.pk]
        sheet.rows.append(
            [
                Cell(locality.number, COUNT),
                Cell(locality.name),
                Cell(locality.get_type_display()),
                *figure_cells(tracked, year, years),
            ]
        )
    sheet.rows += total_rows(Subject.Kind.LOCALITY, sheet.headers, 1, 3)
    return sheet


def output_per_mu(value, park):
    """亩均产出 in 万元/亩: output (亿元 × 10 000) over the park's area (公顷 × 15)."""
    if value is None or not park.area_ha:
        return Cell(None, AMOUNT)
    return Cell(float(Decimal(value) * 10000 / (park.area_ha * MU_PER_HECTARE)), AMOUNT)


def park_sheet(year):
    """Annex 2: the industrial parks, their output, and output per mu of land."""
    years = _years(year)
    parks = {p.pk: p for p in Park.objects.select_related("managed_by")}
    headers = [
        "序号",
        "园区",
        "管理归属",
        "级别",
        "占地面积（公顷）",
        "规上企业（个）",
        "主导产业",
        "代表性企业",
        *figure_headers(years),
        "2020年亩均产出（2020年产值 ÷ 占地毛面积，万元/亩）",
        "当年亩均产出（当年产值 ÷ 占地毛面积，万元/亩）",
    ]
    sheet = Sheet(
        "园区",
        "附件2 工业园区情况",
        headers,
        widths={"园区": 28, "主导产业": 24, "代表性企业": 30, "备注": 30, "来源": 40},
    )
    tracked_by_park = {t.subject.pk: t for t in track(_subject_targets(Subject.Kind.PARK), year)}
    columns = figure_headers(years)
    blank = [Cell() for _ in columns]
    blank[columns.index("备注")] = Cell("附件2此行无序号、园区名称、级别和产值，按原文保留")
    blank[columns.index("来源")] = Cell("北辰区制造业强区高质量倍增行动方案（2021-2025年） 附件2")
    # Every row of annex 2, the unnamed one under 双街镇 (40 公顷, 14 firms, no output) too.
    for park in sorted(parks.values(), key=lambda p: (p.order, p.slug)):
        tracked = tracked_by_park.get(park.pk)
        latest = _latest(tracked, year) if tracked else None
        sheet.rows.append(
            [
                Cell(park.number, COUNT),
                Cell(park.name if park.named else f"（原表未列园区名称）{park.name}"),
                Cell(park.managed_by.name),
                Cell(park.get_level_display()),
                Cell(formatting.to_float(park.area_ha), NUMBER),
                Cell(park.firm_count, COUNT),
                Cell(park.industry),
                Cell(park.representative_firms),
                *(figure_cells(tracked, year, years) if tracked else blank),
                output_per_mu(tracked.target.baseline_value if tracked else None, park),
                output_per_mu(latest.value if latest else None, park),
            ]
        )
    attributes = {"park-area": 4, "park-firms": 5}
    sheet.rows += total_rows(Subject.Kind.PARK, headers, 1, 8, attributes)
    return sheet
