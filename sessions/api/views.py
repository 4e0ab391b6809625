"""The public, read-only endpoints of the sessions: meetings of every body with their file,
and their agenda items, decisions and elections. Reads go through ``sessions.selectors``, so
that the API shows what the public pages show."""

from assembly.api.public import PublicReadOnlyViewSet

from .. import selectors
from .filters import AgendaItemFilter, DecisionFilter, ElectionFilter, MeetingApiFilter
from .serializers import (
    AgendaItemSerializer,
    DecisionSerializer,
    ElectionSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
)


class MeetingViewSet(PublicReadOnlyViewSet):
    """Sessions and meetings of every body, the newest first. A meeting's detail adds its
    file: the agenda, the public documents, the decisions, the elections with their results,
    and the attendance as counts."""

    filterset_class = MeetingApiFilter
    ordering_fields = ["start_date"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.public_meeting_files()
        return selectors.public_meetings()

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer


class AgendaItemViewSet(PublicReadOnlyViewSet):
    """Agenda items of the meetings, the newest meeting first; within a meeting the top level
    first. `parent` is the item a sub-item belongs to."""

    queryset = selectors.public_agenda_items()
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter
    ordering_fields = ["meeting_date", "order"]


class DecisionViewSet(PublicReadOnlyViewSet):
    """Decisions voted at the meetings, with the votes and the majority they needed, the
    newest meeting first."""

    queryset = selectors.public_decisions()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["meeting_date"]


class ElectionViewSet(PublicReadOnlyViewSet):
    """Elections at the meetings with their ballots, candidates and results, the newest
    meeting first."""

    queryset = selectors.public_elections()
    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter
    ordering_fields = ["meeting_date"]
