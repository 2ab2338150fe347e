"""Chain pages: the sortable list of the nine chains and one page per chain."""

import re

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from chains.models import CHAIN_OUTPUT, Chain
from chains.tables import ChainTable
from indicators.domain import sources, tracking
from indicators.domain.quality import stated_total_lines
from indicators.models import Metric, Statement, Subject, Target
from indicators.web.pages import SubjectPage, TablePage
from indicators.web.tables import figure_rows


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

    def get_table_data(self):
        chains = list(Chain.objects.order_by("number"))
        outputs = tracking.track(
            Target.objects.filter(
                Q(metric__slug=CHAIN_OUTPUT) | Q(counted_in__slug=CHAIN_OUTPUT),
                subject__kind=Subject.Kind.CHAIN,
                plan=self.plan,
            ),
            published_only=self.published,
        )
        by_chain = {t.subject.pk: t for t in outputs}
        metric = Metric.objects.get(slug=CHAIN_OUTPUT)
        return [chain_row(c, by_chain.get(c.pk), metric) for c in chains]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            totals=stated_total_lines(Subject.Kind.CHAIN, self.plan), **kwargs
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
