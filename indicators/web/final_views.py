"""The 终期评估 page: an ended plan's figures at its target year, with their verdicts."""

import django_tables2 as tables
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from indicators.domain import closing
from indicators.engine import formatting
from indicators.models import Plan, translated
from indicators.web.pages import TablePage
from indicators.web.tables import (
    BaseTable,
    FigureColumn,
    LinkedTextColumn,
    PercentColumn,
    YearColumn,
    indicator_url,
)


def final_table_row(row):
    t, last = row.target, row.last_full_year
    unit = t.metric.display_unit
    return {
        "url": indicator_url(t),
        "subject": t.subject.display_name,
        "metric": t.metric.display_name,
        "metric_obj": t.metric,
        "unit": unit,
        "baseline": formatting.to_float(t.baseline_value),
        "target": float(t.target_value),
        "final": formatting.to_float(row.final.value) if row.final else None,
        "last_value": formatting.to_float(last.value) if last else None,
        "last_year": last.year if last else None,
        "completion": formatting.to_float(row.completion),
        "verdict": row.verdict.label,
        "verdict_rank": closing.VERDICT_ORDER.index(row.verdict),
        "estimate": row.period.text(unit, get_language()) if row.period else "",
        "missing": translated(row.missing),
    }


class VerdictColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("order_by", ("verdict_rank",))
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        return format_html(
            '<span class="verdict verdict-{}">{}</span>', record["verdict_rank"], gettext(value)
        )

    def value(self, value):
        return gettext(value)


class FinalTable(BaseTable):
    """Each figure of an ended plan: final value, completion and verdict."""

    subject = tables.Column(verbose_name=_("对象"), attrs={"td": {"class": "nowrap"}})
    metric = LinkedTextColumn(verbose_name=_("指标"))
    unit = tables.Column(verbose_name=_("单位"), orderable=False, attrs={"td": {"class": "nowrap"}})
    baseline = FigureColumn(verbose_name=_("基数"))
    target = FigureColumn(verbose_name=_("目标"))
    final = FigureColumn(verbose_name=_("目标年份实际值"))
    completion = PercentColumn(verbose_name=_("完成度"))
    verdict = VerdictColumn(verbose_name=_("终期结论"))
    last_value = FigureColumn(verbose_name=_("最近全年实际值"))
    last_year = YearColumn(verbose_name=_("实际年份"))
    estimate = tables.Column(verbose_name=_("预计（最新统计期）"), orderable=False)
    missing = tables.Column(verbose_name=_("尚缺"), orderable=False)


class FinalAssessmentView(TablePage, TemplateView):
    """/plans/<plan>/final/, or /final/ for the plan that ended last."""

    template_name = "indicators/final.html"
    table_class = FinalTable

    def get(self, request, *args, **kwargs):
        if "plan" in kwargs:
            self.plan = get_object_or_404(Plan, slug=kwargs["plan"])
        else:
            self.plan = closing.latest_ended()
            if self.plan is None:
                raise Http404(gettext("还没有到期的规划。"))
        self.ended = closing.has_ended(self.plan)
        self.assessment = closing.final_assessment(self.plan, published_only=self.published)
        self.export_name = f"{self.plan.slug}-final"
        return super().get(request, *args, **kwargs)

    def get_table_data(self):
        return [final_table_row(r) for r in self.assessment.rows]

    def get_context_data(self, **kwargs):
        kwargs.pop("plan", None)  # the URL's slug; the page shows the Plan itself
        return super().get_context_data(
            plan=self.plan,
            ended=self.ended,
            counts=self.assessment.counts,
            total=len(self.assessment.rows),
            missing=self.assessment.missing,
            other_ended=Plan.objects.filter(target_year__lt=closing.today_year()).exclude(
                pk=self.plan.pk
            ),
            **kwargs,
        )
