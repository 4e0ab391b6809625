from django.urls import path

from . import views

app_name = "regional"
urlpatterns = [
    path("regions/", views.RegionListView.as_view(), name="list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="detail"),
]
