"""The regions and nominations routes of ``/api/v1/`` (other apps add their own routes beside them)."""

from rest_framework.routers import SimpleRouter

from .public import RegionViewSet
from .views import NominationViewSet

app_name = "regional_api"

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("nominations", NominationViewSet, basename="nomination")

urlpatterns = router.urls
