"""The read-only API: thin viewsets over the core's querysets and `tracking.track()`.

The public sees approved (published) figures only. Logged-in staff may add `?preview=1` to
see figures still in review, each marked with its state; `indicators.domain.permissions`
decides who counts as staff. Every GET answers with an ETag and a conditional GET with a
matching If-None-Match gets 304 Not Modified.
"""

import hashlib

from django.utils.cache import get_conditional_response, patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import filters, serializers
from indicators.domain import permissions, tracking
from indicators.models import Actual, Metric, Plan, Subject, Target

PREVIEW = OpenApiParameter(
    "preview",
    OpenApiTypes.BOOL,
    description="仅对已登录的工作人员有效：为 true 时包含未审核的数据（标明审核状态）。",
)
YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": 1949, "maximum": 2100},
    description="评估年份：按该年及以前的数据评估",
)


def published_only(request):
    """Approved figures only, unless a staff member asks for a preview."""
    if not permissions.can_preview(request.user):
        return True
    return request.query_params.get("preview", "").lower() not in ("1", "true")


def documented(summary, description, one, parameters=()):
    """The API documentation of a viewset: its list (summary, description) and one item."""
    return extend_schema_view(
        list=extend_schema(summary=summary, description=description),
        retrieve=extend_schema(summary=one, parameters=list(parameters) or None),
    )


class NoEmptyParameters:
    """`?year=` with nothing after it is a mistake, not “every year”: refuse it clearly."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        empty = [name for name, value in request.query_params.items() if value == ""]
        if empty:
            raise ValidationError(
                {name: ["参数不能为空：不需要筛选时请去掉该参数。"] for name in empty}
            )


class ConditionalMixin:
    """ETag from the response body; If-None-Match with the same tag gets 304."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        # Staff previews differ by person: never shared by a cache.
        response["Cache-Control"] = (
            "private, no-cache" if request.user.is_authenticated else "public, no-cache"
        )
        patch_vary_headers(response, ["Cookie"])
        conditional = get_conditional_response(request, etag=etag, response=response)
        if conditional is not response:
            conditional["ETag"] = etag
            conditional["Cache-Control"] = response["Cache-Control"]
        return conditional


class ReadOnly(
    ConditionalMixin,
    NoEmptyParameters,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    filter_backends = [DjangoFilterBackend]
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


@documented(
    "规划列表",
    "看板跟踪的规划（行动方案、“十四五”规划等）。",
    "一个规划",
)
class PlanViewSet(ReadOnly):
    queryset = Plan.objects.with_document()
    serializer_class = serializers.PlanSerializer


@documented(
    "指标列表",
    "每个指标的名称、单位、增长口径、方向与说明。",
    "一个指标",
)
class MetricViewSet(ReadOnly):
    queryset = Metric.objects.all()
    serializer_class = serializers.MetricSerializer


@documented(
    "对象列表",
    "全区、产业链、属地（开发区与各镇）和园区。",
    "一个对象",
)
class SubjectViewSet(ReadOnly):
    queryset = Subject.objects.all()
    serializer_class = serializers.SubjectSerializer
    filterset_class = filters.SubjectFilter


@documented(
    "基数与目标",
    "各规划为各对象设定的基数与目标，按文件原样。",
    "一项基数与目标",
)
class TargetViewSet(ReadOnly):
    queryset = Target.objects.with_related().order_by(
        "plan__base_year",
        "plan__slug",
        "subject__kind",
        "subject__order",
        "order",
        "metric__order",
        "pk",
    )
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetFilter
    lookup_field = "pk"
    lookup_value_regex = "[^/]+"


@documented(
    "实际值",
    "各年度（及非全年统计期）的实际值。公众只能看到已审核公布的数据。",
    "一项实际值",
    parameters=[PREVIEW],
)
class ActualViewSet(ReadOnly):
    serializer_class = serializers.ActualSerializer
    filterset_class = filters.ActualFilter
    lookup_field = "pk"

    def get_queryset(self):
        queryset = Actual.objects.select_related("subject", "metric", "document").order_by(
            "subject__kind",
            "subject__order",
            "subject__slug",
            "metric__order",
            "metric__slug",
            "year",
            "pk",
        )
        return queryset.published() if published_only(self.request) else queryset


@documented(
    "进度评估",
    "每项目标的评估：完成度、较基数进度、尚需年均增速、预计值与状态，由看板的进度引擎按已公布数据计算（year 为评估年份）。",
    "一项目标的进度评估",
    parameters=[PREVIEW, YEAR],
)
class AssessmentViewSet(ReadOnly):
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilter
    queryset = TargetViewSet.queryset
    lookup_field = "pk"

    def as_of(self):
        if not hasattr(self, "_as_of"):
            form = self.filterset_class(
                self.request.query_params, queryset=Target.objects.none()
            ).form
            form.is_valid()
            self._as_of = form.cleaned_data.get("year")
            self._status = form.cleaned_data.get("status")
        return self._as_of

    def rows(self, targets):
        year = self.as_of()
        tracked = tracking.track(targets, year=year, published_only=published_only(self.request))
        return [serializers.AssessmentSerializer.row(t, year) for t in tracked]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        self.as_of()
        rows = self.rows(queryset)
        if self._status:
            rows = [r for r in rows if r["status"] == self._status]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        target = self.get_object()  # also validates ?year= and the other filters
        [row] = self.rows([target])
        return Response(self.get_serializer(row).data)
