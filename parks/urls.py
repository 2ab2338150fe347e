from django.urls import path

from parks import views

app_name = "parks"

urlpatterns = [
    path("towns/", views.LocalityListView.as_view(), name="localities"),
    path("towns/<slug:slug>/", views.locality, name="locality"),
    path("parks/", views.ParkListView.as_view(), name="parks"),
    path("parks/<slug:slug>/", views.park, name="park"),
]
