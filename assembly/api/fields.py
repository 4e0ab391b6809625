"""Serializer fields the public endpoints share."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@extend_schema_field(
    {
        "type": "object",
        "properties": {code: {"type": "string"} for code in LANGUAGES},
        "required": LANGUAGES,
        "description": "The text in each language (empty where not translated).",
    }
)
class TranslationsField(serializers.Field):
    """A translated model field (django-modeltranslation) in every language at once, e.g.
    ``{"kk": "...", "ru": "...", "en": "..."}``; the plain field gives the active language."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.translated = field_name.removesuffix("_translations")

    def to_representation(self, instance):
        return {code: getattr(instance, f"{self.translated}_{code}") or "" for code in LANGUAGES}


@extend_schema_field(OpenApiTypes.URI)
class WebPageField(serializers.Field):
    """The absolute address of the object's public page, in the language of the answer."""

    def __init__(self, viewname: str, lookup: str = "slug", **kwargs):
        self.viewname, self.lookup = viewname, lookup
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, instance):
        url = reverse(self.viewname, kwargs={self.lookup: getattr(instance, self.lookup)})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
