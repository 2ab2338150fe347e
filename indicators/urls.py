from django.urls import path

from indicators import report_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/workbook/", report_views.report_workbook, name="report_workbook"),
    path("report/print/", report_views.report_print, name="report_print"),
]
