"""/api/: the resources, the OpenAPI schema and its documentation pages (served locally)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api import exceptions, views

app_name = "api"

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
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
    re_path(r"^.*$", exceptions.not_found),
]
