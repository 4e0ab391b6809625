"""The public read-only routes of ``/api/v1/`` for the assembly app."""

from rest_framework.routers import SimpleRouter

from .views import BodyViewSet, PostViewSet

app_name = "assembly_api"

router = SimpleRouter()
router.register("bodies", BodyViewSet, basename="body")
router.register("posts", PostViewSet, basename="post")

urlpatterns = router.urls
