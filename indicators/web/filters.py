"""Filters for the status summary: status (computed by the engine), plan and kind of subject."""

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators.engine import progress
from indicators.models import Plan, Subject, Target

STATUS_CHOICES = [(s.value, _(s.label)) for s in progress.STATUS_ORDER]


class FigureFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        queryset=Plan.objects.all(), to_field_name="slug", label=_("规划"), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        field_name="subject__kind",
        choices=Subject.Kind.choices,
        label=_("对象类别"),
        empty_label=_("全部"),
    )
    # Status is computed per figure, so the view applies it after tracking; this only validates.
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, label=_("状态"), empty_label=_("全部"), method="by_status"
    )

    class Meta:
        model = Target
        fields = ["plan", "kind", "status"]

    def by_status(self, queryset, name, value):
        return queryset
