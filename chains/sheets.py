"""The chains' sheet of the report: annex 3, one row per figure."""

from chains.models import Chain
from indicators.domain import sources
from indicators.models import Subject
from indicators.reporting.report import (
    COUNT,
    Cell,
    Sheet,
    _subject_targets,
    _years,
    figure_cells,
    figure_headers,
    named,
    total_rows,
    track_for_report,
)


def chain_sheet(year, plan):
    """Annex 3: each chain's leader, focus, unit and firms, one row per figure of the plan."""
    years = _years(plan, year)
    chains = {c.pk: c for c in Chain.objects.all()}
    descriptive = ["序号", "产业链", "类别", "链长", "发展重点", "副链长责任单位", "产业链龙头企业"]
    sheet = Sheet(
        "产业链",
        "附件3 产业链分工及指标",
        [*descriptive, *figure_headers(plan, years)],
        widths={"发展重点": 30, "产业链龙头企业": 30, "指标": 24, "备注": 30, "来源": 40},
    )
    groups = {value: str(label) for value, label in Chain.Group.choices}  # translated once
    described = {}  # each chain's own cells, made once and shared by its rows
    rows = track_for_report(_subject_targets(plan, Subject.Kind.CHAIN), year)
    for tracked in sorted(rows, key=lambda t: (chains[t.subject.pk].number, t.target.order)):
        chain = chains[tracked.subject.pk]
        if chain.pk not in described:
            described[chain.pk] = [
                Cell(chain.number, COUNT),
                Cell(chain.display_name),
                Cell(groups.get(chain.group, chain.group)),
                Cell(chain.leader, quoted=True),
                named(sources.listed(chain.focus, sources.INDUSTRIES)),
                named(sources.listed(chain.responsible_unit, sources.GOVERNMENT_UNITS)),
                Cell(chain.leading_firms, quoted=True),
            ]
        sheet.rows.append([*described[chain.pk], *figure_cells(tracked, year, years)])
    sheet.add_totals(total_rows(Subject.Kind.CHAIN, sheet.headers, 1, len(descriptive), plan=plan))
    return sheet
