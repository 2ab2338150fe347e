"""Query-string filters of the API: plan, subject, kind of subject, metric, year and period.

A value that is not one of the choices (an unknown plan, a year that is not a number) is
refused with 400 and a Chinese message naming the parameter, never silently ignored.
"""

import django_filters
from django import forms
from django.core import validators
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from indicators.engine import progress
from indicators.models import Actual, Subject, Target

STATUS_CHOICES = [(s.value, s.label) for s in progress.STATUS_ORDER]


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_MESSAGE = "代码只能包含字母、数字、连字符和下划线。"


@extend_schema_field({"type": "string", "pattern": SLUG_PATTERN})
class SlugFilter(django_filters.CharFilter):
    """A plan, subject or metric by its code (slug); an unknown code matches nothing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validators.RegexValidator(SLUG_PATTERN, SLUG_MESSAGE)])
        super().__init__(*args, **kwargs)


def _slug_filter(field_name, label):
    return SlugFilter(field_name=f"{field_name}__slug", label=label)


@extend_schema_field({"type": "integer", "minimum": 1949, "maximum": 2100})
class YearFilter(django_filters.Filter):
    """A year as a whole number between 1949 and 2100; anything else is refused."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1949)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 11})
class MonthFilter(django_filters.Filter):
    """The N of a 1—N月 cumulative figure, a whole number from 1 to 11."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 11)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "minLength": 1})
class TextFilter(django_filters.CharFilter):
    """Exact text, such as a period “1-10月”."""


class StrictBooleanField(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("true", "是"), ("false", "否")]
        kwargs["coerce"] = lambda value: value == "true"
        kwargs["empty_value"] = None
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return value.lower() if isinstance(value, str) else value


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.Filter):
    """true or false; any other value is refused rather than ignored."""

    field_class = StrictBooleanField


class TargetFilter(django_filters.FilterSet):
    plan = _slug_filter("plan", "规划代码")
    subject = _slug_filter("subject", "对象代码")
    kind = django_filters.ChoiceFilter(
        field_name="subject__kind", choices=Subject.Kind.choices, label="对象类别"
    )
    metric = _slug_filter("metric", "指标代码")
    headline = BooleanFilter(field_name="headline", label="是否倍增核心指标")

    class Meta:
        model = Target
        fields = ["plan", "subject", "kind", "metric", "headline"]


class PreviewMixin(django_filters.FilterSet):
    preview = BooleanFilter(
        label="预览未审核数据（仅对已登录的工作人员有效，其他人始终只看到已公布的数据）",
        method="keep",
    )

    def keep(self, queryset, name, value):
        return queryset


class AssessmentFilter(PreviewMixin, TargetFilter):
    # The assessment's as-of year and status are applied by the view after tracking.
    year = YearFilter(label="评估年份（按该年及以前的已公布数据评估）", method="keep")
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label="状态", method="keep")

    class Meta(TargetFilter.Meta):
        fields = [*TargetFilter.Meta.fields, "year", "status", "preview"]


class ActualFilter(PreviewMixin, django_filters.FilterSet):
    plan = SlugFilter(label="规划代码（该规划设有目标的对象与指标）", method="by_plan")
    subject = _slug_filter("subject", "对象代码")
    kind = django_filters.ChoiceFilter(
        field_name="subject__kind", choices=Subject.Kind.choices, label="对象类别"
    )
    metric = _slug_filter("metric", "指标代码")
    year = YearFilter(field_name="year", label="年份")
    period = django_filters.ChoiceFilter(
        field_name="period", choices=Actual.Period.choices, label="统计期类别"
    )
    month = MonthFilter(field_name="month", label="累计至月份（1—N月的 N）")
    partial = BooleanFilter(method="by_partial", label="是否非全年数据")

    class Meta:
        model = Actual
        fields = [
            "plan",
            "subject",
            "kind",
            "metric",
            "year",
            "period",
            "month",
            "partial",
            "preview",
        ]

    def by_partial(self, queryset, name, value):
        if value:
            return queryset.part_year()
        return queryset.full_year()

    def by_plan(self, queryset, name, value):
        targeted = Target.objects.filter(
            plan__slug=value, subject=OuterRef("subject"), metric=OuterRef("metric")
        )
        return queryset.filter(Exists(targeted))


class SubjectFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Subject.Kind.choices, label="对象类别")

    class Meta:
        model = Subject
        fields = ["kind"]
