"""Admin exports of the rows staff select (django-import-export), with Chinese headers.

Yearly figures come *in* through `indicators/spreadsheets/importing.py`, which reports each bad cell;
these resources only take figures *out* of the admin, e.g. every figure sent back for a
town, to hand to the person who will correct them.
"""

from import_export import fields, resources, widgets

from indicators.engine import periods
from indicators.engine.formatting import spreadsheet_safe, to_float
from indicators.models import Actual, Target


def number(attribute, header):
    """A column that reaches the spreadsheet as a number, not as text."""
    return fields.Field(attribute, header, widget=widgets.FloatWidget(coerce_to_string=False))


class SafeResource(resources.ModelResource):
    """Text that a spreadsheet would run as a formula (=, +, -, @) is exported as text."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))


class ActualResource(SafeResource):
    subject = fields.Field("subject__name", "对象")
    subject_slug = fields.Field("subject__slug", "对象代码")
    metric = fields.Field("metric__name", "指标")
    metric_slug = fields.Field("metric__slug", "指标代码")
    unit = fields.Field("metric__unit", "单位")
    year = number("year", "年份")
    value = number("value", "数值")
    period = fields.Field("period", "统计期")
    period_text = fields.Field("period_text", "原文统计期")
    stated_growth = number("stated_growth", "同比增速（原文，%）")
    state = fields.Field("state", "审核状态")
    review_comment = fields.Field("review_comment", "审核意见")
    note = fields.Field("note", "备注")
    source = fields.Field("source", "出处")

    class Meta:
        model = Actual
        fields = export_order = (
            "subject",
            "subject_slug",
            "metric",
            "metric_slug",
            "unit",
            "year",
            "value",
            "period",
            "period_text",
            "stated_growth",
            "state",
            "review_comment",
            "note",
            "source",
        )

    def get_export_queryset(self, request=None):
        return super().get_export_queryset(request).select_related("subject", "metric")

    def dehydrate_value(self, actual):
        return to_float(actual.value)

    def dehydrate_period(self, actual):
        return periods.label(actual.period, actual.month, actual.quarter, actual.period_text)

    def dehydrate_stated_growth(self, actual):
        return to_float(actual.stated_growth)

    def dehydrate_state(self, actual):
        return actual.get_state_display()


class TargetResource(SafeResource):
    plan = fields.Field("plan__short_name", "规划")
    subject = fields.Field("subject__name", "对象")
    metric = fields.Field("metric__name", "指标")
    unit = fields.Field("metric__unit", "单位")
    baseline_year = number("baseline_year", "基期年份")
    baseline_value = number("baseline_value", "基期数值")
    target_year = number("target_year", "目标年份")
    target_value = number("target_value", "目标数值")
    growth_printed = fields.Field("growth_printed", "文件所列年均增速（增加数量）")
    growth_meaning = fields.Field(column_name="所列数值的含义")
    source = fields.Field("source", "出处")

    class Meta:
        model = Target
        fields = export_order = (
            "plan",
            "subject",
            "metric",
            "unit",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "growth_printed",
            "growth_meaning",
            "source",
        )

    def dehydrate_growth_meaning(self, target):
        return target.growth_printed_meaning()

    def dehydrate_baseline_value(self, target):
        return to_float(target.baseline_value)

    def dehydrate_target_value(self, target):
        return to_float(target.target_value)
