"""The public, read-only endpoint of the regions (the nominations are in ``views``)."""

from rest_framework import serializers

from assembly.api.fields import TranslationsField, WebPageField
from assembly.api.public import PublicReadOnlyViewSet

from ..models import Region


class RegionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="regional_api:region-detail", lookup_field="slug")
    web_url = WebPageField("regional:detail")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name_translations = TranslationsField()

    class Meta:
        model = Region
        fields = [
            "slug",
            "url",
            "web_url",
            "kato",
            "kind",
            "kind_label",
            "name",
            "name_translations",
            "centre",
            "valid_from",
            "valid_until",
        ]


class RegionViewSet(PublicReadOnlyViewSet):
    """The 20 regions (oblasts and cities of republican significance) that have a regional
    assembly, by KATO code."""

    queryset = Region.objects.order_by("kato", "pk")
    serializer_class = RegionSerializer
    lookup_field = "slug"
    ordering_fields = ["kato", "slug"]
