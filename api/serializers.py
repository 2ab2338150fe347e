"""What the API returns: plans, metrics, subjects, targets, actuals and assessments.

Numbers are JSON numbers (not strings); codes (slugs) identify plans, subjects and metrics
so that a client can join the tables; every assessment number comes from the engine
through `indicators.domain.tracking.track()`.
"""

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.engine import progress as engine
from indicators.models import Actual, Document, Metric, Plan, Subject, Target

# A subject kind's own page (the district's is the overview).
SUBJECT_PAGES = {
    Subject.Kind.CHAIN: "chains:detail",
    Subject.Kind.LOCALITY: "parks:locality",
    Subject.Kind.PARK: "parks:park",
}


def versus_target(a):
    """A share's distance from its target in words ("超目标2.8个百分点"); None otherwise."""
    if a is None or a.latest is None:
        return None
    words = engine.versus_target(a.figure, a.latest.value)
    return str(words) if words else None


def subject_page(subject):
    """The dashboard page of a subject, or the overview for the district."""
    name = SUBJECT_PAGES.get(subject.kind)
    try:
        return reverse(name, args=[subject.slug]) if name else reverse("indicators:home")
    except NoReverseMatch:
        return reverse("indicators:home")


def number(value):
    return None if value is None else float(value)


class Value(serializers.DecimalField):
    """A stored figure as a JSON number."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("coerce_to_string", False)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return number(value)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["slug", "title", "number", "issuer", "issued"]


class PlanSerializer(serializers.ModelSerializer):
    document = DocumentSerializer(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "slug",
            "name",
            "short_name",
            "number",
            "issuer",
            "base_year",
            "target_year",
            "description",
            "document",
        ]


class MetricSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    direction_label = serializers.CharField(source="get_direction_display", read_only=True)
    increment_of = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Metric
        fields = [
            "slug",
            "name",
            "name_en",
            "unit",
            "unit_en",
            "kind",
            "kind_label",
            "direction",
            "direction_label",
            "description",
            "scope",
            "agency",
            "frequency",
            "assessment_method",
            "increment_of",
            "order",
        ]


class SubjectSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    page = serializers.SerializerMethodField(help_text="看板上该对象的页面")

    class Meta:
        model = Subject
        fields = ["slug", "name", "kind", "kind_label", "order", "page"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_page(self, subject):
        return subject_page(subject)


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    subject = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    metric = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    baseline_value = Value(allow_null=True, read_only=True)
    target_value = Value(read_only=True)
    unit = serializers.CharField(source="metric.unit", read_only=True)
    page = serializers.SerializerMethodField(help_text="看板上该指标的页面")

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "subject",
            "metric",
            "unit",
            "category",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "growth_printed",
            "headline",
            "document",
            "source",
            "note",
            "page",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_page(self, target):
        return reverse(
            "indicators:indicator",
            args=[target.plan.slug, target.subject.slug, target.metric.slug],
        )


class ActualSerializer(serializers.ModelSerializer):
    subject = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    metric = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    document = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    value = Value(read_only=True)
    unit = serializers.CharField(source="metric.unit", read_only=True)
    published = serializers.SerializerMethodField(help_text="是否已审核公布")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    partial = serializers.BooleanField(read_only=True, help_text="非全年数据（不参与状态判定）")
    period_name = serializers.CharField(
        read_only=True, help_text="统计期的写法，全年数据为空，如“1—10月”"
    )

    class Meta:
        model = Actual
        fields = [
            "id",
            "subject",
            "metric",
            "year",
            "period",
            "month",
            "quarter",
            "period_name",
            "period_text",
            "partial",
            "value",
            "stated_growth",
            "unit",
            "note",
            "document",
            "source",
            "state",
            "state_label",
            "published",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_published(self, actual):
        return actual.state == Actual.State.APPROVED


def result(value):
    """An engine result as a number, or None when it cannot be computed."""
    return float(value) if engine.computable(value) else None


def reason(value):
    return value.reason if isinstance(value, engine.NotComputable) else ""


class LatestSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.FloatField()
    period = serializers.CharField(allow_blank=True)
    published = serializers.BooleanField()


class AssessmentSerializer(serializers.Serializer):
    """One target's assessment as `tracking.track()` returns it (the engine's numbers)."""

    target = serializers.IntegerField(help_text="目标（基数与目标）编号")
    plan = serializers.CharField()
    subject = serializers.CharField()
    subject_kind = serializers.ChoiceField(choices=Subject.Kind.choices)
    metric = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    as_of = serializers.IntegerField(allow_null=True, help_text="评估年份；空表示全部已有数据")
    baseline_year = serializers.IntegerField()
    baseline_value = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField()
    target_value = serializers.FloatField()
    latest = LatestSerializer(allow_null=True, help_text="最新全年实际值")
    partial = LatestSerializer(allow_null=True, help_text="最新非全年数据（不参与状态判定）")
    completion = serializers.FloatField(allow_null=True, help_text="完成度：实际 ÷ 目标")
    progress = serializers.FloatField(allow_null=True, help_text="较基数进度")
    versus_target = serializers.CharField(
        allow_null=True,
        help_text="比重与目标相比的百分点，如“超目标2.8个百分点”（比重的进度以此为准，不看较基数进度）",
    )
    planned_growth = serializers.FloatField(allow_null=True, help_text="规划年均增速（增加量）")
    achieved_growth = serializers.FloatField(allow_null=True, help_text="已实现年均增速（增加量）")
    required_growth = serializers.FloatField(
        allow_null=True, help_text="尚需年均增速（增加量），按规划口径"
    )
    projection = serializers.FloatField(allow_null=True, help_text="按现有速度到目标年的预计值")
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in engine.STATUS_ORDER])
    status_label = serializers.CharField()
    status_reason = serializers.CharField(allow_blank=True, help_text="状态为“无数据”的原因")
    method = serializers.CharField(allow_blank=True)
    notes = serializers.ListField(child=serializers.CharField(), help_text="说明与无法计算的原因")
    page = serializers.CharField()

    @staticmethod
    def row(tracked, year):
        """The plain values of one `tracking.Tracked`, as the serializer expects them."""
        target, a = tracked.target, tracked.assessment

        def point(actual):
            if actual is None:
                return None
            return {
                "year": actual.year,
                "value": float(actual.value),
                "period": actual.period_name,
                "published": actual.state == Actual.State.APPROVED,
            }

        full = [x for x in tracked.actuals if not x.partial and (year is None or x.year <= year)]
        part = [x for x in tracked.actuals if x.partial and (year is None or x.year <= year)]
        latest = full[-1] if full else None
        partial = part[-1] if part and (latest is None or part[-1].year > latest.year) else None
        notes = list(a.notes) if a else []
        if a is None:
            notes.append("文件未给出基数，仅计算完成度")
            if why := reason(tracked.completion):
                notes.append(why)
        return {
            "target": target.pk,
            "plan": target.plan.slug,
            "subject": target.subject.slug,
            "subject_kind": target.subject.kind,
            "metric": target.metric.slug,
            "unit": target.metric.unit,
            "as_of": year,
            "baseline_year": target.baseline_year,
            "baseline_value": number(target.baseline_value),
            "target_year": target.target_year,
            "target_value": float(target.target_value),
            "latest": point(latest),
            "partial": point(partial),
            "completion": result(tracked.completion),
            "progress": result(a.progress) if a else None,
            "versus_target": versus_target(a),
            "planned_growth": result(a.planned_growth) if a else None,
            "achieved_growth": result(a.achieved_growth) if a else None,
            "required_growth": result(a.required_growth) if a else None,
            "projection": result(a.projection) if a else None,
            "status": tracked.status.value,
            "status_label": tracked.status.label,
            "status_reason": str(tracked.status_reason),
            "method": a.method if a else "",
            "notes": notes,
            "page": reverse(
                "indicators:indicator",
                args=[target.plan.slug, target.subject.slug, target.metric.slug],
            ),
        }
