"""What every endpoint of the API (``/api/v1/``) shares: the shape of an error.

Every error is JSON with a top-level ``detail``; an error in the data also has
``errors``, a list of messages per field (``non_field_errors`` for the rest). The domain's
own refusals come out as the status that says what happened: a forbidden step 403, a
stale copy 409, any other ``ValidationError`` of a service 400.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from regional.services import StaleNominationError


def _errors_by_field(error: DjangoValidationError) -> dict[str, list[str]]:
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.message_dict.items()
    }


def _summary(errors: dict[str, list]) -> str:
    general = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
    if general and isinstance(general[0], str):
        return general[0]
    return _("The request has errors: see the message of each field.")


def exception_handler(exc, context):
    if isinstance(exc, StaleNominationError):
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        errors = _errors_by_field(exc)
        return Response({"detail": _summary(errors), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Django's message names the model in English ("No Meeting matches the given query.").
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied) and exc.args:
        # DRF would replace the domain's explanation with its generic message.
        exc = exceptions.PermissionDenied(str(exc.args[0]))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            response.data if isinstance(response.data, dict) else {api_settings.NON_FIELD_ERRORS_KEY: response.data}
        )
        response.data = {"detail": _summary(errors), "errors": errors}
    return response
