"""The localities' and parks' sheets of the report: annexes 1 and 2."""

from typing import NamedTuple

from indicators.domain import sources
from indicators.engine import formatting
from indicators.engine.progress import Text
from indicators.engine.progress import gettext_noop as noop
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
    named,
    total_rows,
    track_for_report,
)
from parks.models import Locality, Park, output_per_mu


def locality_sheet(year, plan):
    """Annex 1: the plan's indicators broken down by the development zone and the nine towns."""
    years = _years(plan, year)
    localities = {loc.pk: loc for loc in Locality.objects.all()}
    sheet = Sheet(
        "属地",
        "附件1 各属地指标分解",
        ["序号", "属地", "类型", *figure_headers(plan, years)],
        widths={"指标": 28, "备注": 30, "来源": 40},
    )
    # Each type's label translated once, and each locality's own cells made once and shared
    # by its rows.
    types = {value: str(label) for value, label in Locality.Type.choices}
    described = {
        pk: [
            Cell(locality.number, COUNT),
            Cell(locality.display_name),
            Cell(types.get(locality.type, locality.type)),
        ]
        for pk, locality in localities.items()
    }
    rows = track_for_report(_subject_targets(plan, Subject.Kind.LOCALITY), year)
    for tracked in sorted(rows, key=lambda t: (localities[t.subject.pk].number, t.target.order)):
        sheet.rows.append([*described[tracked.subject.pk], *figure_cells(tracked, year, years)])
    sheet.add_totals(total_rows(Subject.Kind.LOCALITY, sheet.headers, 1, 3, plan=plan))
    return sheet


class AnnexPark(NamedTuple):
    """A park as its row of annex 2 reads it, without a model row (a park is a subject joined
    to its park, and its managing locality another two: two thousand parks at scale)."""

    pk: int
    number: int | None
    name: str
    name_en: str
    named: bool
    managed_by: Locality
    level: str
    area_ha: object
    firm_count: int | None
    industry: str
    representative_firms: str
    order: int
    slug: str

    display_name = Subject.display_name


def annex_parks():
    """Every park as an `AnnexPark`, its managing locality read once and shared (two queries)."""
    columns = [*AnnexPark._fields]
    columns[columns.index("managed_by")] = "managed_by_id"
    rows = list(Park.objects.values_list(*columns))
    managing = columns.index("managed_by_id")
    localities = Locality.objects.in_bulk({row[managing] for row in rows})
    return [
        AnnexPark(*row[:managing], localities[row[managing]], *row[managing + 1 :]) for row in rows
    ]


def park_name(park):
    """A park as annex 2 names it; the one row that names none says so."""
    if park.named:
        return park.display_name
    return Text(noop("（原表未列园区名称）{name}"), name=park.display_name)


def park_sheet(year, plan):
    """Annex 2: the industrial parks, their output, and output per mu of land."""
    years = _years(plan, year)
    parks = annex_parks()
    headers = [
        "序号",
        "园区",
        "管理归属",
        "级别",
        "占地面积（公顷）",
        "规上企业（个）",
        "主导产业",
        "代表性企业",
        *figure_headers(plan, years),
        Text(noop("{year}年亩均产出（{year}年产值 ÷ 占地毛面积，万元/亩）"), year=plan.base_year),
        "当年亩均产出（当年产值 ÷ 占地毛面积，万元/亩）",
    ]
    sheet = Sheet(
        "园区",
        "附件2 工业园区情况",
        headers,
        widths={"园区": 28, "主导产业": 24, "代表性企业": 30, "备注": 30, "来源": 40},
    )
    tracked = track_for_report(_subject_targets(plan, Subject.Kind.PARK), year)
    tracked_by_park = {t.subject.pk: t for t in tracked}
    columns = figure_headers(plan, years)
    blank = [Cell() for _ in columns]
    blank[columns.index("备注")] = Cell(
        Text(noop("附件2此行无序号、园区名称、级别和产值，按原文保留"))
    )
    blank[columns.index("来源")] = Cell(sources.document_source(plan.document, "附件2"))
    levels = {value: str(label) for value, label in Park.Level.choices}  # translated once
    # Every row of annex 2, the unnamed one under 双街镇 (40 公顷, 14 firms, no output) too.
    for park in sorted(parks, key=lambda p: (p.order, p.slug)):
        tracked = tracked_by_park.get(park.pk)
        latest = _latest(tracked, year) if tracked else None
        sheet.rows.append(
            [
                Cell(park.number, COUNT),
                Cell(park_name(park)),
                Cell(park.managed_by.display_name),
                Cell(levels.get(park.level, park.level)),
                Cell(formatting.to_float(park.area_ha), NUMBER),
                Cell(park.firm_count, COUNT),
                named(sources.listed(park.industry, sources.INDUSTRIES)),
                Cell(park.representative_firms, quoted=True),
                *(figure_cells(tracked, year, years) if tracked else blank),
                Cell(
                    output_per_mu(tracked.target.baseline_value if tracked else None, park.area_ha),
                    AMOUNT,
                ),
                Cell(output_per_mu(latest.value if latest else None, park.area_ha), AMOUNT),
            ]
        )
    attributes = {"park-area": 4, "park-firms": 5}
    sheet.add_totals(total_rows(Subject.Kind.PARK, headers, 1, 8, attributes, plan=plan))
    return sheet
