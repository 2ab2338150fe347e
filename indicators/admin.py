"""The admin where staff enter each year's figures and administrators manage plans."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import (
    Actual,
    Document,
    Measure,
    Metric,
    Plan,
    Project,
    StatedTotal,
    Statement,
    Subject,
    Target,
)


def targets_summary(subject_id, metric_id):
    """Rows (plan, baseline, target) a person sees beside the value they type."""
    targets = Target.objects.filter(subject_id=subject_id, metric_id=metric_id).select_related(
        "plan", "metric"
    )
    return [
        {
            "plan": str(t.plan),
            "unit": t.metric.unit,
            "baseline": f"{t.baseline_year}年 {t.baseline_value.normalize():f}"
            if t.baseline_value is not None
            else f"{t.baseline_year}年 —",
            "target": f"{t.target_year}年 {t.target_value.normalize():f}",
        }
        for t in targets
    ]


class SubjectKindFilter(admin.SimpleListFilter):
    title = "对象类别"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Subject.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(subject__kind=self.value())
        return queryset


class SubjectOfKindFilter(admin.SimpleListFilter):
    """Filter by one chain, or one locality (its own figures and its parks')."""

    kind = None

    def lookups(self, request, model_admin):
        return Subject.objects.filter(kind=self.kind).values_list("pk", "name")

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.kind == Subject.Kind.LOCALITY:
            locality = self.value()
            return queryset.filter(
                Q(subject_id=locality) | Q(subject__park__managed_by_id=locality)
            )
        return queryset.filter(subject_id=self.value())


class ChainFilter(SubjectOfKindFilter):
    title = "产业链"
    parameter_name = "chain"
    kind = Subject.Kind.CHAIN


class LocalityFilter(SubjectOfKindFilter):
    title = "属地（含所辖园区）"
    parameter_name = "locality"
    kind = Subject.Kind.LOCALITY


class PlanFilter(admin.SimpleListFilter):
    """Actuals of figures a plan sets a target for."""

    title = "规划"
    parameter_name = "plan"

    def lookups(self, request, model_admin):
        return Plan.objects.values_list("pk", "short_name")

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        pairs = Target.objects.filter(plan_id=self.value()).values_list("subject_id", "metric_id")
        condition = Q(pk__in=[])
        for subject_id, metric_id in pairs:
            condition |= Q(subject_id=subject_id, metric_id=metric_id)
        return queryset.filter(condition)


class ActualForm(forms.ModelForm):
    class Meta:
        model = Actual
        fields = ["subject", "metric", "year", "value", "partial", "period", "note", "source"]
        error_messages = {
            "value": {"invalid": "数值只能填写数字，如 1389.9。"},
            "year": {"invalid": "年份只能填写四位数字，如 2025。"},
        }

    def clean(self):
        cleaned = super().clean()
        subject, metric, year = (cleaned.get(k) for k in ("subject", "metric", "year"))
        if self.instance.pk is None and subject and metric and year:
            existing = Actual.objects.filter(subject=subject, metric=metric, year=year).first()
            if existing is not None:
                # Entering a figure again edits the one already there (one per year).
                self.replaced_value = existing.value
                self.instance = existing
        return cleaned


@admin.register(Actual)
class ActualAdmin(SimpleHistoryAdmin):
    form = ActualForm
    list_display = ["subject", "metric", "year", "value_with_unit", "partial", "state", "updated"]
    list_filter = [
        "year",
        SubjectKindFilter,
        ChainFilter,
        LocalityFilter,
        PlanFilter,
        "state",
        "partial",
    ]
    search_fields = ["subject__name", "metric__name", "note", "source"]
    list_select_related = ["subject", "metric"]
    autocomplete_fields = ["subject", "metric"]
    readonly_fields = ["reference", "state", "document", "entered_by", "updated"]
    fieldsets = [
        (None, {"fields": ["subject", "metric", "year", "value", "reference"]}),
        ("统计期与说明", {"fields": ["partial", "period", "note", "source", "document"]}),
        ("审核", {"fields": ["state", "entered_by", "updated"]}),
    ]
    history_list_display = ["value", "state"]

    class Media:
        js = ["admin/js/actual_reference.js"]

    @admin.display(description="数值", ordering="value")
    def value_with_unit(self, obj):
        return f"{obj.value.normalize():f} {obj.metric.unit}"

    @admin.display(description="单位、基数与目标")
    def reference(self, obj):
        if not obj.pk:
            return format_html(
                '<span id="actual-reference">{}</span>', "选择对象和指标后显示单位、基数与目标。"
            )
        return format_html('<span id="actual-reference">{}</span>', render_reference(obj))

    def get_urls(self):
        extra = [
            path(
                "reference/",
                self.admin_site.admin_view(self.reference_view),
                name="indicators_actual_reference",
            )
        ]
        return extra + super().get_urls()

    def reference_view(self, request):
        subject_id, metric_id = request.GET.get("subject"), request.GET.get("metric")
        metric = Metric.objects.filter(pk=metric_id).first() if metric_id else None
        if not (subject_id and metric and str(subject_id).isdigit()):
            return JsonResponse({"unit": "", "targets": []})
        return JsonResponse(
            {"unit": metric.unit, "targets": targets_summary(subject_id, metric.pk)}
        )

    def save_model(self, request, obj, form, change):
        if obj.entered_by_id is None:
            obj.entered_by = request.user
        if getattr(form, "replaced_value", None) is not None:
            messages.info(
                request,
                f"{obj.subject}的“{obj.metric.name}”{obj.year}年已有数值 "
                f"{form.replaced_value.normalize():f}，已改为修改该条记录。",
            )
        super().save_model(request, obj, form, change)


def render_reference(obj):
    rows = targets_summary(obj.subject_id, obj.metric_id)
    if not rows:
        return f"单位：{obj.metric.unit}；该指标没有规划目标。"
    return format_html(
        "单位：{}；{}",
        obj.metric.unit,
        format_html_join(
            "；", "{}：基数 {}，目标 {}", ((r["plan"], r["baseline"], r["target"]) for r in rows)
        ),
    )


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = [
        "plan",
        "subject",
        "metric",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
        "growth_printed",
        "source",
    ]
    list_filter = ["plan", "subject__kind", "headline", "metric"]
    search_fields = ["subject__name", "metric__name", "source", "note"]
    list_select_related = ["plan", "subject", "metric"]
    autocomplete_fields = ["subject", "metric"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "name", "number", "base_year", "target_year", "document"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "issuer", "issued"]


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "direction", "slug"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "slug"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]

    def has_add_permission(self, request):
        # Chains, localities and parks are added under their own sections.
        return False


@admin.register(StatedTotal)
class StatedTotalAdmin(SimpleHistoryAdmin):
    list_display = ["source", "scope", "metric", "role", "year", "value", "document"]
    list_filter = ["document", "scope", "role"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["source", "subject", "metric", "year", "value", "document"]
    list_filter = ["document", "subject__kind", "year"]
    search_fields = ["subject__name", "metric__name", "source", "printed"]


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "responsible_units", "plan"]
    inlines = [MeasureInline]


class TargetInline(admin.TabularInline):
    """A subject's baselines and targets, read-only beside its description."""

    model = Target
    extra = 0
    fields = [
        "plan",
        "metric",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
        "growth_printed",
        "source",
    ]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False
