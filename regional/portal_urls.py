from django.urls import path

from . import portal_views as views

app_name = "portal"

urlpatterns = [
    path("", views.NominationListView.as_view(), name="list"),
    path("login/", views.PortalLoginView.as_view(), name="login"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("new/", views.NominationCreateView.as_view(), name="create"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.NotificationReadAllView.as_view(), name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("<int:pk>/", views.NominationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.NominationUpdateView.as_view(), name="edit"),
    path("<int:pk>/steps/<slug:action>/", views.NominationTransitionView.as_view(), name="transition"),
    path("<int:pk>/documents/", views.DocumentUploadView.as_view(), name="document-upload"),
    path("<int:pk>/documents/<int:document_pk>/", views.DocumentDownloadView.as_view(), name="document"),
    path("<int:pk>/documents/<int:document_pk>/remove/", views.DocumentRemoveView.as_view(), name="document-remove"),
]
