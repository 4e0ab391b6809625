"""The public read-only routes of ``/api/v1/`` for the assembly app."""

from rest_framework.routers import SimpleRouter

app_name = "assembly_api"

router = SimpleRouter()

urlpatterns = router.urls
