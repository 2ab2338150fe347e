"""/api/: the resources, the OpenAPI schema and its documentation pages (served locally)."""

from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api import exceptions, views

app_name = "api"

# The documentation pages' title in the page's language (the schema keeps the settings' title).
TITLE = _("北辰区制造业倍增指标看板 开放数据接口")

router = DefaultRouter()
router.include_format_suffixes = False
router.register("plans", views.PlanViewSet, basename="plan")
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("subjects", views.SubjectViewSet, basename="subject")
router.register("targets", views.TargetViewSet, basename="target")
router.register("actuals", views.ActualViewSet, basename="actual")
router.register("assessments", views.AssessmentViewSet, basename="assessment")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", title=TITLE), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema", title=TITLE), name="redoc"),
    path("", include(router.urls)),
    re_path(r"^.*$", exceptions.not_found),
]
