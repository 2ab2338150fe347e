from django.urls import path

from chains import views

app_name = "chains"

urlpatterns = [
    path("", views.ChainListView.as_view(), name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
]
