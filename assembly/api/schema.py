"""How the endpoints describe themselves in the OpenAPI schema (drf-spectacular): the
``lang`` parameter every public one takes, and the JSON errors each endpoint can answer
with, so that a client (and schemathesis) knows every status it may receive."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from drf_spectacular.hooks import postprocess_schema_enums
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.settings import patched_settings, spectacular_settings
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .fields import LANGUAGES


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
    enum=LANGUAGES,
    description="The language of the answer's texts (else the Accept-Language header; Kazakh by default).",
)

ERROR_DESCRIPTIONS = {
    400: "A parameter or field has a bad value; `errors` names it.",
    401: "No credentials, or a wrong token (`Authorization: Token ...`).",
    403: "The user may not do this (the role, the region or the step does not allow it).",
    404: "No such object, or no such page.",
    409: "The object changed since the `version` given: read it again.",
    429: "Too many requests from this address; the Retry-After header says when to try again.",
}

# What every public endpoint may answer besides its success.
PUBLIC_ERRORS = (400, 404, 429)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers ``codes`` for ``extend_schema(responses=...)``, each with the error shape."""
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in codes}


class PublicAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), LANG]

    def _get_response_bodies(self, direction="response"):
        # The one hook that sees the success responses already built, so that the error
        # answers are added beside them rather than wrapped like a list page.
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            error = self.resolve_serializer(ErrorSerializer, direction).ref
            for code in PUBLIC_ERRORS:
                responses.setdefault(
                    str(code),
                    {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": error}}},
                )
        return responses


def _model_choices() -> dict[str, type[models.Choices]]:
    """Every choice set declared on a model of this project, named after the model and the
    set, e.g. ``RegionKindEnum`` for ``Region.Kind``."""
    named, seen = {}, set()
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(settings.BASE_DIR) or ".venv" in Path(config.path).parts:
            continue
        for model in config.get_models():
            for attribute, value in vars(model).items():
                if isinstance(value, type) and issubclass(value, models.Choices):
                    key = tuple((choice, str(label)) for choice, label in value.choices)
                    if key not in seen:
                        seen.add(key)
                        named[f"{model.__name__}{attribute}{spectacular_settings.ENUM_SUFFIX}"] = value
    return named


def name_enums_by_model(result, generator, **kwargs):
    """drf-spectacular's enum hook, with each model's choice set named after its model:
    several models have a ``kind`` or a ``status`` of their own, which the hook would
    otherwise name by a hash (``Kind6c0Enum``) and warn about."""
    overrides = {**_model_choices(), **spectacular_settings.ENUM_NAME_OVERRIDES}
    with patched_settings({"ENUM_NAME_OVERRIDES": overrides}):
        return postprocess_schema_enums(result, generator, **kwargs)
