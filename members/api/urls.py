"""The public read-only routes of ``/api/v1/`` for the members app."""

from rest_framework.routers import SimpleRouter

app_name = "members_api"

router = SimpleRouter()

urlpatterns = router.urls
