from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("members/", views.MemberDirectoryView.as_view(), name="directory"),
    path("members/<slug:slug>/", views.MemberProfileView.as_view(), name="profile"),
    path("associations/", views.AssociationDirectoryView.as_view(), name="associations"),
]
