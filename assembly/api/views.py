"""The public, read-only endpoints of the bodies and their posts, and the schema view."""

from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

from assembly.api.public import PublicReadOnlyViewSet

from ..models import Body, Post
from .filters import BodyFilter, PostFilter
from .serializers import BodySerializer, PostSerializer


class BodyViewSet(PublicReadOnlyViewSet):
    """The bodies of the Assembly at every level: the Assembly itself, its Council and
    Secretariat, the regional assemblies and theirs, and the bodies below them. Each has a
    founding date, and where it applies a dissolution date and a successor."""

    queryset = Body.objects.select_related("parent", "region", "successor").order_by("sort_order", "region__kato", "pk")
    serializer_class = BodySerializer
    filterset_class = BodyFilter
    lookup_field = "slug"
    ordering_fields = ["slug", "founded"]


class PostViewSet(PublicReadOnlyViewSet):
    """The posts of each body (chairman, deputy chairmen, members ...), with the number of
    seats where it is fixed."""

    queryset = Post.objects.select_related("body").order_by(
        "body__sort_order", "body__region__kato", "body_id", "sort_order", "pk"
    )
    serializer_class = PostSerializer
    filterset_class = PostFilter


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English unless ``?lang=`` asks for another language: the
    descriptions written for it are English, and the built-in ones (of DRF, django-filter
    and the models' field names) should not come out in the visitor's language beside them."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if request.GET.get("lang"):
            return super().get(request, *args, **kwargs)
        with translation.override("en"):
            return super().get(request, *args, **kwargs)
