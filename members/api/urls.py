"""The public read-only routes of ``/api/v1/`` for the members app."""

from rest_framework.routers import SimpleRouter

from .views import AssociationViewSet, EthnicGroupViewSet, MembershipViewSet, PersonViewSet

app_name = "members_api"

router = SimpleRouter()
router.register("persons", PersonViewSet, basename="person")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("associations", AssociationViewSet, basename="association")
router.register("ethnic-groups", EthnicGroupViewSet, basename="ethnic-group")

urlpatterns = router.urls
