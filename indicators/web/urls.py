from django.urls import path

from indicators.web import final_views, quality_views, report_views, search, views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "indicators/<slug:plan>/<slug:subject>/<slug:metric>/",
        views.IndicatorView.as_view(),
        name="indicator",
    ),
    path("figures/", views.district_figures, name="district_figures"),
    path("status/", views.StatusSummaryView.as_view(), name="status"),
    path("final/", final_views.FinalAssessmentView.as_view(), name="final_latest"),
    path("plans/<slug:plan>/final/", final_views.FinalAssessmentView.as_view(), name="final"),
    path("compare/", views.ComparisonView.as_view(), name="comparison"),
    path("measures/", views.MeasureListView.as_view(), name="measures"),
    path("search/", search.search, name="search"),
    path("quality/", quality_views.quality_page, name="quality"),
    path("report/workbook/", report_views.report_workbook, name="report_workbook"),
    path("report/document/", report_views.report_document, name="report_document"),
    path("download/archive/", report_views.archive_download, name="archive"),
    path("report/print/", report_views.report_print, name="report_print"),
]
