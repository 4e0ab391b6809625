"""The nominations endpoints. Every read goes through ``regional.selectors`` (so another
region's nomination is simply not found: 404, never 403), every write through
``regional.services``, whose refusals ``assembly.api.errors.exception_handler`` turns into 400, 403
or 409."""

from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

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
