"""The public shape of the bodies, their posts and the acts behind appointments, and the
short references to them (and to regions) that other answers embed."""

from rest_framework import serializers

from assembly.api.fields import TranslationsField, WebPageField
from regional.models import Region

from ..models import Body, LegalAct, Post


class RegionReferenceSerializer(serializers.ModelSerializer):
    """A region, as another object names it."""

    url = serializers.HyperlinkedIdentityField(view_name="regional_api:region-detail", lookup_field="slug")

    class Meta:
        model = Region
        fields = ["slug", "url", "name"]


class BodyReferenceSerializer(serializers.ModelSerializer):
    """A body, as another object names it."""

    url = serializers.HyperlinkedIdentityField(view_name="assembly_api:body-detail", lookup_field="slug")

    class Meta:
        model = Body
        fields = ["slug", "url", "name"]


class PostReferenceSerializer(serializers.ModelSerializer):
    """A post, as a membership names it."""

    url = serializers.HyperlinkedIdentityField(view_name="assembly_api:post-detail")
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Post
        fields = ["id", "url", "role", "role_label", "label"]


class LegalActSerializer(serializers.ModelSerializer):
    """A decree, order or decision, as the public pages name it: kind, number, date, title."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = LegalAct
        fields = ["kind", "kind_label", "number", "date", "title"]


class BodySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="assembly_api:body-detail", lookup_field="slug")
    web_url = WebPageField("body")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    name_translations = TranslationsField()
    parent = BodyReferenceSerializer(read_only=True, allow_null=True)
    region = RegionReferenceSerializer(
        read_only=True, allow_null=True, help_text="The region of a regional body; null for a national one."
    )
    successor = BodyReferenceSerializer(
        read_only=True, allow_null=True, help_text="The body that took over its functions, if any."
    )

    class Meta:
        model = Body
        fields = [
            "slug",
            "url",
            "web_url",
            "kind",
            "kind_label",
            "name",
            "name_translations",
            "parent",
            "region",
            "founded",
            "dissolved",
            "successor",
        ]


class PostSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="assembly_api:post-detail")
    body = BodyReferenceSerializer(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    label_translations = TranslationsField()
    seats = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="How many may hold the post at once; null when not fixed."
    )

    class Meta:
        model = Post
        fields = ["id", "url", "body", "role", "role_label", "label", "label_translations", "seats"]
