"""Filters for the status summary: status (computed by the engine), plan and kind of subject."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.domain import data_version
from indicators.engine import progress
from indicators.models import Plan, Subject, Target

STATUS_CHOICES = [(s.value, _(s.label)) for s in progress.STATUS_ORDER]


def plans_by_slug():
    """Every plan by its slug, kept per data version (`data_version.kept`)."""
    return data_version.kept("plans-by-slug", lambda: {p.slug: p for p in Plan.objects.all()})


class PlanField(django_filters.fields.ModelChoiceField):
    """A plan chosen by its slug, found among the kept plans rather than by a query on every
    page: the same plan, or the same error, as the queryset's lookup."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        plan = plans_by_slug().get(value) if isinstance(value, str) else None
        if plan is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return plan


class PlanFilter(django_filters.ModelChoiceFilter):
    field_class = PlanField


class FigureFilter(django_filters.FilterSet):
    plan = PlanFilter(
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
