"""What every public, read-only endpoint of ``/api/v1/`` shares.

Open to anyone without credentials; throttled per client address (429 with
``Retry-After``); answered in the language the client asks for (``?lang=``, else
``Accept-Language``, Kazakh by default); paginated in a stable order; strict about its
query parameters: a bad value is a 400 that names the parameter, never a 500 and never
silently ignored. Conditional GET (ETag, 304) and CORS are the middleware's, for every
public endpoint alike (see ``MIDDLEWARE`` and ``CORS_URLS_REGEX`` in the settings).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from assembly.listing import KeysFirstPaginator

from .fields import LANGUAGES
from .schema import PublicAutoSchema

LANGUAGE_PARAMETER = "lang"


class PublicRateThrottle(AnonRateThrottle):
    """Requests per client address, at the rate of ``settings.API_PUBLIC_RATE`` (read on
    each request, so that it can be changed without a restart of the class)."""

    scope = "public"

    def get_rate(self) -> str | None:
        return settings.API_PUBLIC_RATE


def _is_whole_number(value: str) -> bool:
    # ASCII only: str.isdigit() also accepts digits such as "²" that int() refuses.
    return value.isascii() and value.isdigit()


class PublicPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_number(self, request, paginator):
        # Read directly: DRF's own reading takes an empty ?page= for the first page.
        number = request.query_params.get(self.page_query_param)
        if number is None:
            return 1
        if number in self.last_page_strings:
            return number
        if not _is_whole_number(number) or int(number) < 1:
            raise ValidationError({self.page_query_param: [_("A page number is a whole number from 1.")]})
        return number

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not _is_whole_number(value) or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A page size is a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        # The bounds the two methods above enforce, so that the schema tells a client (and
        # schemathesis) which values are valid.
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "The page number, from 1 (or `last`).",
                "schema": {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"The number of results per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class LongListPagination(PublicPagination):
    """For the lists of a million rows: the page's keys first, then its rows (one more query,
    which on a short list costs more than it saves)."""

    django_paginator_class = KeysFirstPaginator


def _ordering_path(term: str, paths: dict[str, str]) -> str:
    name = term.removeprefix("-")
    return term.replace(name, paths.get(name, name))


class StableOrderingFilter(OrderingFilter):
    """``?ordering=field,-other`` over the view's ``ordering_fields``; an unknown field is a
    400. The primary key always breaks ties, so that pages never overlap or skip rows."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is None:
            return self.get_default_ordering(view)
        # Exactly the grammar the schema documents (no blanks, no empty terms), so that what
        # the schema calls invalid is refused.
        terms = params.split(",")
        allowed = [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]
        unknown = [term for term in terms if term.removeprefix("-") not in allowed]
        if unknown:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Unknown ordering %(value)s; order by one of: %(allowed)s (a leading - reverses).")
                        % {"value": ", ".join(unknown) or params, "allowed": ", ".join(allowed)}
                    ]
                }
            )
        if not any(term.removeprefix("-") in {"pk", "id"} for term in terms):
            terms.append("pk")
        paths = getattr(view, "ordering_paths", {})
        return [_ordering_path(term, paths) for term in terms]

    def get_schema_operation_parameters(self, view):
        fields = list(view.ordering_fields or [])
        if not fields:
            return []
        term = f"-?({'|'.join(fields)})"
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    f"The order of the results: one or more of {', '.join(f'`{field}`' for field in fields)}, "
                    "separated by commas; a leading `-` reverses. Ties are always broken by the internal id."
                ),
                "schema": {"type": "string", "pattern": f"^{term}(,{term})*$"},
            }
        ]


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """The base of every public endpoint. Subclasses give ``queryset`` (ordered, ending with
    the primary key), ``serializer_class``, and where they apply ``filterset_class`` and
    ``ordering_fields``."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    pagination_class = PublicPagination
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    ordering_fields: list[str] = []
    # A public ordering name that is a path in the model (e.g. "person_name": "person__sort_name"):
    # the join it needs is then made only when a client orders by it.
    ordering_paths: dict[str, str] = {}
    schema = PublicAutoSchema()

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get(LANGUAGE_PARAMETER)
        if language is not None:
            if language not in LANGUAGES:
                raise ValidationError(
                    {
                        LANGUAGE_PARAMETER: [
                            _("Unknown language %(value)s; use one of: %(languages)s.")
                            % {"value": language, "languages": ", ".join(LANGUAGES)}
                        ]
                    }
                )
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)
