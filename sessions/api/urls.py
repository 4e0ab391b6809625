"""The public read-only routes of ``/api/v1/`` for the sessions app."""

from rest_framework.routers import SimpleRouter

from .views import AgendaItemViewSet, DecisionViewSet, ElectionViewSet, MeetingViewSet

app_name = "sessions_api"

router = SimpleRouter()
router.register("sessions", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("elections", ElectionViewSet, basename="election")

urlpatterns = router.urls
