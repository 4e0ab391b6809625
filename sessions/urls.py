from django.urls import path

from . import feeds, views

app_name = "sessions"
urlpatterns = [
    path("sessions/", views.MeetingListView.as_view(), name="list"),
    path("sessions/<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("sessions/documents/<int:pk>/", views.document_download, name="document"),
    path("sessions/feed/rss/", feeds.MeetingFeed(), name="feed-rss"),
    path("sessions/feed/atom/", feeds.MeetingAtomFeed(), name="feed-atom"),
    path("sessions/upcoming.ics", views.upcoming_calendar, name="calendar"),
]
