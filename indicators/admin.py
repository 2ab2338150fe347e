"""The admin where staff enter each year's figures and administrators manage plans."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ExportActionMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from indicators.domain import permissions, quality, workflow
from indicators.engine import formatting
from indicators.models import (
    Actual,
    Assignment,
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
from indicators.spreadsheets import admin_import
from indicators.spreadsheets.resources import ActualResource, TargetResource


def targets_summary(subject_id, metric_id):
    """Rows (plan, baseline, target) a person sees beside the value they type."""
    targets = Target.objects.filter(subject_id=subject_id, metric_id=metric_id).select_related(
        "plan", "metric"
    )
    return [
        {
            "plan": str(t.plan),
            "unit": t.metric.unit,
            "baseline": f"{t.baseline_year}年 {formatting.exact(t.baseline_value)}",
            "target": f"{t.target_year}年 {formatting.exact(t.target_value)}",
        }
        for t in targets
    ]


def object_id(value):
    """A primary key from a URL or form (positive, within a 64-bit integer), or None."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text) or None


def object_id_or_404(value):
    pk = object_id(value)
    if pk is None:
        raise Http404("没有这条记录。")
    return pk


def checked_selection(model_admin):
    """Wrap a ModelAdmin's list actions so a tampered selection (_selected_action=abc) is
    answered with a message, not a server error."""
    respond = model_admin.response_action

    def response_action(request, queryset):
        field = model_admin.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                field.to_python(value)
                if field.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField"):
                    if object_id(value) is None:
                        raise ValidationError(value)
        except ValidationError:
            messages.error(request, "所选记录无效，请重新勾选后再操作。")
            return HttpResponseRedirect(request.get_full_path())
        return respond(request, queryset)

    model_admin.response_action = response_action


# Admin views that take an object's id (Django's, simple-history's, the user admin's).
OBJECT_VIEWS = ["change_view", "history_view", "delete_view", "history_form_view"]
OBJECT_VIEWS += ["user_change_password"]
INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def key_field(field):
    """The field a key finally stores (a chain's key is its subject's id)."""
    while field.is_relation:
        field = field.target_field
    return field


def valid_key(field, value):
    """Whether `value` could be a value of this (key) field, without asking the database."""
    target = key_field(field)
    if target.get_internal_type() in INTEGER_KEYS:
        return object_id(value) is not None
    try:
        target.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


def checked_initial(model_admin):
    """Drop a related object's initial value that cannot be one (…/add/?subject=abc)."""
    initial_data = model_admin.get_changeform_initial_data

    def get_changeform_initial_data(request):
        initial = initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = model_admin.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation:
                continue
            values = value if isinstance(value, list) else [value]
            if not all(valid_key(field, v) for v in values):
                del initial[name]
        return initial

    model_admin.get_changeform_initial_data = get_changeform_initial_data


def checked_export(model_admin):
    """django-import-export's export page builds the list from the query string; a filter it
    cannot apply sends the person back to the list, as the list itself does (?e=1)."""
    export_action = getattr(model_admin, "export_action", None)
    if export_action is None:
        return

    def checked(request, *args, **kwargs):
        try:
            return export_action(request, *args, **kwargs)
        except IncorrectLookupParameters:
            opts = model_admin.model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            return HttpResponseRedirect(f"{url}?e=1")

    model_admin.export_action = checked


def checked_object_ids(model_admin):
    """Answer 404 to an id that cannot be one of this model's (abc, 99999999999999999999)
    before the database is asked: an integer beyond 64 bits is a server error in SQLite."""
    if key_field(model_admin.model._meta.pk).get_internal_type() not in INTEGER_KEYS:
        return
    for name in OBJECT_VIEWS:
        view = getattr(model_admin, name, None)
        if view is None:
            continue

        def checked(request, *args, _view=view, **kwargs):
            raw = args[0] if args else kwargs.get("object_id", kwargs.get("id"))
            object_id_or_404(unquote(str(raw)))
            return _view(request, *args, **kwargs)

        setattr(model_admin, name, checked)


def guard_every_admin(site):
    """Apply the checks above to every page registered on the admin site (ours and the
    packages'); beichen/urls.py calls this once every app's admin is registered."""
    for model_admin in site._registry.values():
        if not getattr(model_admin, "_input_checked", False):
            checked_selection(model_admin)
            checked_object_ids(model_admin)
            checked_initial(model_admin)
            checked_export(model_admin)
            model_admin._input_checked = True


class ChoiceListFilter(admin.SimpleListFilter):
    """A list filter that ignores a value it does not offer (?plan=abc, ?chain=999…)."""

    def value(self):
        value = super().value()
        if value is None:
            return None
        offered = {str(key) for key, label in self.lookup_choices}
        return value if value in offered else None


class SubjectKindFilter(ChoiceListFilter):
    title = _("kind of subject")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Subject.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(subject__kind=self.value())
        return queryset


class SubjectOfKindFilter(ChoiceListFilter):
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
    title = _("industry chain")
    parameter_name = "chain"
    kind = Subject.Kind.CHAIN


class LocalityFilter(SubjectOfKindFilter):
    title = _("locality (with its parks)")
    parameter_name = "locality"
    kind = Subject.Kind.LOCALITY


class PlanFilter(ChoiceListFilter):
    """Actuals of figures a plan sets a target for."""

    title = _("plan")
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
        fields = [
            "subject",
            "metric",
            "year",
            "period",
            "month",
            "quarter",
            "period_text",
            "value",
            "stated_growth",
            "note",
            "source",
        ]
        error_messages = {
            "value": {"invalid": "数值只能填写数字，如 1389.9。"},
            "year": {"invalid": "年份只能填写四位数字，如 2025。"},
            "month": {"invalid": "累计月份只能填写 1 至 11 的整数，如 10。"},
            "quarter": {"invalid": "季度只能填写 1 至 4 的整数。"},
            "stated_growth": {"invalid": "同比增速只能填写数字（百分数），如 -0.3。"},
            "subject": {"invalid_choice": "您没有填报该对象数值的权限，请选择您负责的对象。"},
        }

    opened_version = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "period" in self.fields:
            self.fields["period"].required = False  # left empty, a figure is for the whole year
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version

    def clean_period(self):
        return self.cleaned_data.get("period") or Actual.Period.YEAR

    def check_not_changed_meanwhile(self):
        """Refuse to overwrite a change saved after this form was opened (lost update)."""
        opened = self.cleaned_data.get("opened_version")
        if not self.instance.pk or opened is None:
            return
        current = Actual.objects.filter(pk=self.instance.pk).select_related("metric").first()
        if current is None or current.version == opened:
            return
        # Shown again, the form carries the version now seen: saving it then is deliberate.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = current.version
        latest = current.history.order_by("-history_date", "-history_id").first()
        who = (latest.history_user if latest else None) or "其他人"
        when = timezone.localtime(current.updated).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(
            f"您打开此页后，{who}已于 {when} 将{current}改为 "
            f"{current.value.normalize():f} {current.metric.unit}，"
            f"状态为“{current.get_state_display()}”。为免覆盖对方的修改，本次未保存；"
            "请核对对方的数值后重新填写。"
        )

    def clean(self):
        cleaned = super().clean()
        self.check_not_changed_meanwhile()
        subject, metric, year = (cleaned.get(k) for k in ("subject", "metric", "year"))
        if self.instance.pk is None and subject and metric and year:
            existing = Actual.objects.filter(
                subject=subject,
                metric=metric,
                year=year,
                period=cleaned.get("period") or Actual.Period.YEAR,
                month=cleaned.get("month"),
                quarter=cleaned.get("quarter"),
            ).first()
            if existing is not None:
                if existing.is_locked:
                    self.instance = existing  # one message, not also "already exists"
                    raise ValidationError(
                        f"{existing}已审核，已锁定，不能修改；如需更正，请审核人员重新打开。"
                    )
                # Entering a figure again edits the one already there (one per period).
                self.replaced_value = existing.value
                self.instance = existing
        return cleaned


class WorkflowActionForm(ActionForm):
    reason = forms.CharField(
        label=_("reason or comment"),
        required=False,
        help_text=_("Returning and reopening need a reason."),
        widget=forms.TextInput(attrs={"size": 40}),
    )


def transition_action(name):
    function, label = workflow.TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        modeladmin.apply_transition(request, queryset, name)

    action.__name__ = f"workflow_{name}"
    return admin.action(description=f"{label}所选数值")(action)


@admin.register(Actual)
class ActualAdmin(ExportActionMixin, SimpleHistoryAdmin):
    form = ActualForm
    resource_classes = [ActualResource]
    export_formats = [XLSX, CSV]
    # Keep the figure's own forms (template and import buttons, workflow, findings);
    # django-import-export wraps the list with its export button.
    change_list_template = "admin/indicators/actual/change_list.html"
    change_form_template = None
    show_change_form_export = False
    list_display = [
        "subject",
        "metric",
        "year",
        "period_shown",
        "value_with_unit",
        "state",
        "updated",
    ]
    list_filter = [
        "year",
        SubjectKindFilter,
        ChainFilter,
        LocalityFilter,
        PlanFilter,
        "state",
        "period",
    ]
    search_fields = ["subject__name", "metric__name", "note", "source"]
    list_select_related = ["subject", "metric"]
    autocomplete_fields = ["subject", "metric"]
    readonly_fields = [
        "reference",
        "state",
        "review_comment",
        "document",
        "entered_by",
        "updated",
        "quality_findings",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "subject",
                    "metric",
                    "year",
                    ("period", "month", "quarter"),
                    "value",
                    "reference",
                    "opened_version",
                ]
            },
        ),
        (
            _("period and notes"),
            {"fields": ["stated_growth", "period_text", "note", "source", "document"]},
        ),
        (_("review"), {"fields": ["state", "review_comment", "entered_by", "updated"]}),
        (_("data quality"), {"fields": ["quality_findings"]}),
    ]
    action_form = WorkflowActionForm
    actions = [transition_action(name) for name in workflow.TRANSITIONS]
    history_list_display = ["value", "state"]

    class Media:
        js = ["admin/js/actual_reference.js"]

    def get_valid_export_item_pks(self, request):
        # Only rows this person may see can be picked for export.
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Staff pick an existing subject and figure here; creating or deleting them belongs
        # to the administrators' own pages, not to the entry form.
        for name in ("subject", "metric"):
            if name in form.base_fields:
                widget = form.base_fields[name].widget
                widget.can_add_related = widget.can_change_related = False
                widget.can_delete_related = widget.can_view_related = False
        return form

    @admin.display(description=_("period"), ordering="month")
    def period_shown(self, obj):
        return obj.get_period_display() if obj.period == obj.Period.YEAR else obj.period_label

    @admin.display(description=_("value"), ordering="value")
    def value_with_unit(self, obj):
        return f"{formatting.exact(obj.value)} {obj.metric.unit}"

    @admin.display(description=_("unit, baseline and target"))
    def reference(self, obj):
        if not obj.pk:
            return format_html(
                '<span id="actual-reference">{}</span>', "选择对象和指标后显示单位、基数与目标。"
            )
        return format_html('<span id="actual-reference">{}</span>', render_reference(obj))

    @admin.display(description=_("data-quality checks"))
    def quality_findings(self, obj):
        if not obj.pk:
            return "保存后显示与上年、全区合计和文件其他表述的核对结果。"
        found = quality.findings_for(obj)
        if not found:
            return "未发现问题。"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}：{}</li>", ((f.rule_label, f.message) for f in found)),
        )

    # -- scope: a clerk sees and changes only their subjects; approved figures are locked --

    def get_queryset(self, request):
        return permissions.visible_actuals(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "subject":
            kwargs["queryset"] = permissions.editable_subjects(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or (
            permissions.can_edit(request.user, obj.subject) and not obj.is_locked
        )

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_actions(self, request):
        # Deleting in bulk would bypass the lock; figures are deleted one by one.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def visible(self, request, object_id):
        """The figure with this id that this person may see; 404 for anything else."""
        pk = object_id_or_404(object_id)
        actual = self.get_queryset(request).filter(pk=pk).first()
        if actual is None:
            raise Http404("没有这条数值，或您无权查看。")
        return actual

    def history_view(self, request, object_id, extra_context=None):
        self.visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.visible(request, object_id)
        object_id_or_404(version_id)
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # -- workflow: submit, approve, return, reopen -------------------------------------------

    def apply_transition(self, request, queryset, name):
        function, label = workflow.TRANSITIONS[name]
        reason = request.POST.get("reason", "")
        done = 0
        for actual in queryset.select_related("subject", "metric"):
            try:
                if name == "submit":
                    function(actual, request.user)
                else:
                    function(actual, request.user, reason)
                done += 1
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
        if done:
            messages.success(request, f"已{label} {done} 条数值。")

    def transition_view(self, request, object_id):
        actual = self.visible(request, object_id)
        name = request.POST.get("transition")
        if name not in workflow.TRANSITIONS:
            raise Http404
        self.apply_transition(request, Actual.objects.filter(pk=actual.pk), name)
        return HttpResponseRedirect(reverse("admin:indicators_actual_change", args=[actual.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A malformed id is not found; a figure out of scope gets the admin's own answer.
        actual = self.get_queryset(request).filter(pk=object_id_or_404(object_id)).first()
        extra_context = extra_context or {}
        if actual is not None:
            extra_context["transitions"] = workflow.available(actual, request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        extra = [
            path(
                "reference/",
                self.admin_site.admin_view(self.reference_view),
                name="indicators_actual_reference",
            ),
            path(
                "<path:object_id>/transition/",
                self.admin_site.admin_view(require_POST(self.transition_view)),
                name="indicators_actual_transition",
            ),
        ]
        return extra + admin_import.urls(self) + super().get_urls()

    def reference_view(self, request):
        subject_id = object_id(request.GET.get("subject"))
        metric_id = object_id(request.GET.get("metric"))
        metric = Metric.objects.filter(pk=metric_id).first() if metric_id else None
        if not (subject_id and metric):
            return JsonResponse({"unit": "", "targets": []})
        return JsonResponse(
            {"unit": metric.unit, "targets": targets_summary(subject_id, metric.pk)}
        )

    def save_model(self, request, obj, form, change):
        # The form's subject choices are the user's scope; this holds even if it is bypassed.
        try:
            workflow.check_editable(Actual.objects.get(pk=obj.pk) if obj.pk else obj, request.user)
        except ValidationError as error:
            raise PermissionDenied(error.messages[0]) from None
        if obj.entered_by_id is None:
            obj.entered_by = request.user
        if obj.pk and obj.state == Actual.State.SUBMITTED and form.has_changed():
            # The reviewer must see the figure that is submitted, not a later edit of it.
            obj.state = Actual.State.DRAFT
            obj._change_reason = "提交后修改，已撤回为草稿"
            messages.warning(request, f"{obj}提交后又作了修改，已撤回为草稿；请核对后重新提交。")
        if getattr(form, "replaced_value", None) is not None:
            messages.info(
                request,
                f"{obj.subject}的“{obj.metric.name}”{obj.year}年已有数值 "
                f"{formatting.exact(form.replaced_value)}，已改为修改该条记录。",
            )
        super().save_model(request, obj, form, change)
        if not Target.objects.filter(subject_id=obj.subject_id, metric_id=obj.metric_id).exists():
            messages.warning(
                request,
                f"{obj.subject}的“{obj.metric.name}”在任何规划中都没有目标，"
                "这个数值已保存，但不会参与任何进度评估。请确认对象和指标是否选对。",
            )


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
class TargetAdmin(ExportActionMixin, SimpleHistoryAdmin):
    resource_classes = [TargetResource]
    export_formats = [XLSX, CSV]

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    change_form_template = None
    show_change_form_export = False
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
    """Administrators edit each metric's 指标说明, shown publicly on every figure's page."""

    list_display = ["name", "unit", "kind", "accumulation", "direction", "frequency", "slug"]
    list_filter = ["kind", "accumulation", "unit"]
    search_fields = ["name", "slug", "description", "scope"]
    autocomplete_fields = ["increment_of"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "unit", "kind", "accumulation", "direction", "order"]},
        ),
        (
            "指标说明",
            {
                "fields": [
                    "description",
                    "scope",
                    "agency",
                    "frequency",
                    "assessment_method",
                    "increment_of",
                ]
            },
        ),
    ]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "actual" and request.GET.get("field_name") == "subject":
            # The subject picker on the entry form offers only the clerk's own subjects.
            queryset = queryset.filter(pk__in=permissions.editable_subjects(request.user))
        return queryset, distinct

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
    autocomplete_fields = ["metrics"]


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


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Which clerk enters which subject's figures (a locality includes its parks)."""

    list_display = ["user", "subject", "note"]
    list_filter = ["subject__kind"]
    search_fields = ["user__username", "user__first_name", "subject__name"]
    autocomplete_fields = ["subject"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    autocomplete_fields = ["subject"]


class BeichenUserAdmin(UserAdmin):
    """Users with their 填报范围; only a superuser may grant superuser or single permissions."""

    inlines = [AssignmentInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class BeichenGroupAdmin(GroupAdmin):
    """Roles: only a superuser may change what a group (any group, 管理员 too) is allowed."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("permissions")
        return fields

    def save_related(self, request, form, formsets, change):
        if not request.user.is_superuser and "permissions" in form.cleaned_data:
            raise PermissionDenied("只有超级管理员可以修改用户组的权限。")
        super().save_related(request, form, formsets, change)


admin.site.unregister(User)
admin.site.register(User, BeichenUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, BeichenGroupAdmin)
