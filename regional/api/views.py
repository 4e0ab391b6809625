"""The nominations endpoints. Every read goes through ``regional.selectors`` (so another
region's nomination is simply not found: 404, never 403), every write through
``regional.services``, whose refusals ``assembly.api.errors.exception_handler`` turns into 400, 403
or 409."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from assembly.api.schema import error_responses

from .. import selectors, services
from ..models import Nomination, NominationEvent
from .filters import NominationFilter
from .serializers import (
    DocumentUploadSerializer,
    NominationCreateSerializer,
    NominationDetailSerializer,
    NominationDocumentSerializer,
    NominationSerializer,
    NominationUpdateSerializer,
    StepSerializer,
    TransitionSerializer,
)

Action = NominationEvent.Action


# A step answers with the nomination as it now is, or says why it was refused.
_STEP = {
    "request": StepSerializer,
    "responses": {200: NominationDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
}


@extend_schema(
    responses={200: AuthTokenSerializer, **error_responses(400)},
    description="The API token of a user of a regional office or of the Secretariat, for `Authorization: Token ...`.",
)
class ObtainTokenView(ObtainAuthToken):
    """The token endpoint asks for no credentials of its own: a stale or foreign token sent
    along must not stand in the way of obtaining one."""

    authentication_classes = []
    permission_classes = [AllowAny]


@extend_schema_view(
    list=extend_schema(
        summary="The nominations the user may see",
        description="A regional office sees its region's nominations, the Secretariat all of them.",
        responses={200: NominationSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="A nomination with its documents and history",
        responses={200: NominationDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Create a draft (a regional office)",
        request=NominationCreateSerializer,
        responses={201: NominationDetailSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary="Change a draft or a returned nomination",
        description="Give `version`, the version of the copy changed (required), and the fields to change.",
        request=NominationUpdateSerializer,
        responses={200: NominationDetailSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
    submit=extend_schema(summary="Submit a draft to the next stage", **_STEP),
    withdraw=extend_schema(summary="Withdraw the nomination", **_STEP),
    answer=extend_schema(summary="Resubmit a returned nomination", **_STEP),
    transition=extend_schema(
        summary="Take any step of the procedure by name",
        description="What a step needs (a meeting, a decree, a start date) depends on the step.",
        **{**_STEP, "request": TransitionSerializer},
    ),
    documents=extend_schema(
        summary="Upload a document to the nomination",
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: NominationDocumentSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class NominationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """List, retrieve, create a draft, change a draft (``PATCH`` with ``version``), and the
    steps: ``submit``, ``withdraw``, ``answer`` (resubmit a returned nomination), any step
    by name (``transition``), and ``documents`` (upload a file to a draft)."""

    filterset_class = NominationFilter
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return (
            selectors.nomination_list(user=self.request.user)
            .select_related("decree")
            .order_by("-status_changed_at", "-pk")
        )

    def get_serializer_class(self):
        return NominationSerializer

    def _detail(self, nomination: Nomination, *, status_code: int = status.HTTP_200_OK) -> Response:
        nomination = self.get_queryset().prefetch_related("documents").get(pk=nomination.pk)
        context = {**self.get_serializer_context(), "history": selectors.nomination_history(nomination=nomination)}
        return Response(NominationDetailSerializer(nomination, context=context).data, status=status_code)

    def retrieve(self, request, pk=None):
        return self._detail(self.get_object())

    def create(self, request):
        serializer = NominationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nomination = services.nomination_create(user=request.user, **serializer.validated_data)
        return self._detail(nomination, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        nomination = self.get_object()
        serializer = NominationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        version = fields.pop("version")
        nomination = services.nomination_update(nomination=nomination, user=request.user, version=version, **fields)
        return self._detail(nomination)

    def _step(self, request, action_name: str | None = None) -> Response:
        nomination = self.get_object()
        serializer = (TransitionSerializer if action_name is None else StepSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        arguments = dict(serializer.validated_data)
        nomination = services.nomination_transition(
            nomination=nomination,
            user=request.user,
            action=arguments.pop("action", action_name),
            **arguments,
        )
        return self._detail(nomination)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, Action.SUBMIT)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, Action.WITHDRAW)

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._step(request, Action.RESUBMIT)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        return self._step(request)

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def documents(self, request, pk=None):
        nomination = self.get_object()
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.nomination_document_add(
            nomination=nomination, user=request.user, **serializer.validated_data
        )
        return Response(NominationDocumentSerializer(document).data, status=status.HTTP_201_CREATED)
