"""Chain pages: the sortable list of the nine chains and one page per chain."""

import re

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from chains.models import CHAIN_OUTPUT, Chain
from chains.tables import ChainTable
from indicators.domain import sources, tracking
from indicators.engine.formatting import to_float
from indicators.models import Metric, Statement, Subject, Target
from indicators.web.pages import (
    SubjectPage,
    TablePage,
    figure_summaries,
    kept_rows,
    list_totals,
    summary_values,
)
from indicators.web.tables import PagedRows, figure_rows

GROUPS = [group for group, _ in Chain.Group.choices]


def chain_row(chain, output, metric):
    """A chain's descriptive fields joined with its tracked output row (None without a target)."""
    row = {
        "number": chain.number,
        "name": chain.display_name,
        "url": reverse("chains:detail", args=[chain.slug]),
        "group": chain.get_group_display(),
        "leader": chain.leader,
        "responsible_unit": sources.listed(chain.responsible_unit, sources.GOVERNMENT_UNITS),
        "metric_obj": metric,
        "unit": metric.display_unit,
    }
    if output:
        [figures] = figure_rows([output])
        row.update({k: v for k, v in figures.items() if k not in ("url", "subject")})
        # The IT chain's revenue target sits in the output column: say so, never assess it.
        row["basis"] = output.status_reason if output.target.counted_in_id else ""
        if output.target.counted_in_id:
            row["metric"] = output.metric.display_name
    return row


class ChainListView(TablePage, TemplateView):
    template_name = "chains/list.html"
    table_class = ChainTable
    export_name = "chains"
    paginated = True

    def outputs(self):
        return Target.objects.filter(
            Q(metric__slug=CHAIN_OUTPUT) | Q(counted_in__slug=CHAIN_OUTPUT),
            subject__kind=Subject.Kind.CHAIN,
            plan=self.plan,
        )

    def get_table_data(self):
        """Every chain's sort values (its fields and its output's summary); the full rows only
        of the page shown, or of every chain to export."""
        found = figure_summaries(self.published)
        targets = {
            t["subject_id"]: t
            for t in self.outputs().values("pk", "subject_id", "baseline_value", "target_value")
        }
        keys = []
        fields = ("pk", "number", "group", "leader", "responsible_unit")
        for chain in Chain.objects.order_by("number").values(*fields):
            target = targets.get(chain["pk"])
            summary = found.get(target["pk"]) if target else None
            keys.append(
                {
                    **chain,
                    "name": chain["number"],
                    "group": GROUPS.index(chain["group"]) if chain["group"] in GROUPS else None,
                    "baseline": target and to_float(target["baseline_value"]),
                    "target": target and to_float(target["target_value"]),
                    **summary_values(summary),
                }
            )
        return PagedRows(keys, self.rows)

    def rows(self, keys):
        """The full rows of `keys`, a page's kept once built (`kept_rows`, per plan)."""
        plan = getattr(self.plan, "pk", None)
        return kept_rows("chains", [k["pk"] for k in keys], self.build_rows, self.published, plan)

    def build_rows(self, pks):
        chains = Chain.objects.all()
        chains = chains.filter(pk__in=pks) if len(pks) <= 900 else chains
        by_pk = {c.pk: c for c in chains}
        outputs = self.outputs().filter(subject__in=list(by_pk))
        # Whole years only: the row shows no part-year figure (its basis note reads the
        # other column's whole years).
        tracked = tracking.track(outputs, published_only=self.published, full_year=True)
        by_chain = {t.subject.pk: t for t in tracked}
        metric = Metric.objects.get(slug=CHAIN_OUTPUT)
        # Without the tracked figure (its model rows, kept with the page's rows): no column reads it.
        return {
            pk: {**chain_row(by_pk[pk], by_chain.get(pk), metric), "tracked": None} for pk in pks
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            totals=list_totals(Subject.Kind.CHAIN, self.plan, self.published), **kwargs
        )


def detail(request, slug):
    chain = get_object_or_404(Chain, slug=slug)
    statements = (
        Statement.objects.filter(subject=chain)
        .select_related("metric", "document")
        .order_by("metric__order", "year")
    )
    return SubjectPage(request, chain).response(
        "chains/detail.html",
        chain=chain,
        statements=statements,
        # Annex 3 lists a second row of firms for two chains, joined here with "；".
        leading_firms=[f for f in re.split("[、；]", chain.leading_firms) if f],
    )
