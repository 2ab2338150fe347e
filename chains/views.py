"""Chain pages: the sortable list of the nine chains and one page per chain."""

import re

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from chains.models import Chain
from chains.tables import ChainTable
from indicators.domain import tracking
from indicators.models import Statement, Target
from indicators.web.tables import ExportViewMixin, FigureTable, export_response, figure_rows
from indicators.web.views import CHAIN_OUTPUT, figure_chart, published_only


def chain_row(chain, output):
    """A chain's descriptive fields joined with its tracked output row (None without a target)."""
    row = {
        "number": chain.number,
        "name": chain.name,
        "url": reverse("chains:detail", args=[chain.slug]),
        "group": chain.get_group_display(),
        "leader": chain.leader,
        "responsible_unit": chain.responsible_unit,
        "unit": "亿元",
    }
    if output:
        [figures] = figure_rows([output])
        row.update({k: v for k, v in figures.items() if k not in ("url", "subject")})
    return row


class ChainListView(ExportViewMixin, SingleTableMixin, TemplateView):
    template_name = "chains/list.html"
    table_class = ChainTable
    table_pagination = False
    export_name = "chains"

    def get_table_data(self):
        chains = list(Chain.objects.order_by("number"))
        outputs = tracking.track(
            Target.objects.filter(
                subject__kind="chain", metric__slug=CHAIN_OUTPUT, plan__slug="doubling-2021-2025"
            ),
            published_only=published_only(self.request),
        )
        by_chain = {t.subject.pk: t for t in outputs}
        return [chain_row(c, by_chain.get(c.pk)) for c in chains]


def detail(request, slug):
    chain = get_object_or_404(Chain, slug=slug)
    published = published_only(request)
    tracked = tracking.track(Target.objects.filter(subject=chain), published_only=published)
    lang = get_language()
    figures = [{"tracked": t, "chart": figure_chart(t, lang, height=300)} for t in tracked]
    statements = (
        Statement.objects.filter(subject=chain)
        .select_related("metric", "document")
        .order_by("metric__order", "year")
    )
    table = FigureTable(figure_rows(tracked), orderable=False)
    if download := export_response(request, table, chain.slug):
        return download
    context = {
        "chain": chain,
        "table": table,
        "figures": figures,
        "statements": statements,
        # Annex 3 lists a second row of firms for two chains, joined here with "；".
        "leading_firms": [f for f in re.split("[、；]", chain.leading_firms) if f],
        "preview": not published,
    }
    return render(request, "chains/detail.html", context)
