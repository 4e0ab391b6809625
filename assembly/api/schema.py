"""How the public endpoints describe themselves in the OpenAPI schema (drf-spectacular):
the ``lang`` parameter every one of them takes, and the JSON errors every one of them can
answer with, so that a client (and schemathesis) knows every status it may receive."""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The shape of every error of the API (see ``assembly.api.errors``)."""

    detail = serializers.CharField(help_text="What went wrong, in the language of the request.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For a bad request: the messages for each parameter or field.",
    )


LANG = OpenApiParameter(
    name="lang",
    type=str,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The language of the answer's texts (else the Accept-Language header; Kazakh by default).",
)

ERRORS = {
    "400": "A query parameter has a bad value; `errors` names it.",
    "404": "No such object, or no such page.",
    "429": "Too many requests from this address; the Retry-After header says when to try again.",
}


class PublicAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANG]

    def _get_response_bodies(self, direction="response"):
        # The one hook that sees the success responses already built, so that the error
        # answers are added beside them rather than wrapped like a list page.
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            error = self.resolve_serializer(ErrorSerializer, direction).ref
            for code, description in ERRORS.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": error}}}
                )
        return responses
