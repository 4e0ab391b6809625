"""The public read-only routes of ``/api/v1/`` for the sessions app."""

from rest_framework.routers import SimpleRouter

app_name = "sessions_api"

router = SimpleRouter()

urlpatterns = router.urls
