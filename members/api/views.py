"""The public, read-only endpoints of the register."""

from django.db.models import F, Prefetch

from assembly.api.public import LongListPagination, PublicReadOnlyViewSet

from ..filters import AssociationFilter, EthnicGroupCountFilter, PersonFilter, PublicMembershipFilter
from ..models import EthnicGroup
from ..selectors import association_directory, membership_records, public_persons
from .serializers import (
    AssociationSerializer,
    EthnicGroupSerializer,
    MembershipSerializer,
    PersonDetailSerializer,
    PersonSerializer,
)


class PersonViewSet(PublicReadOnlyViewSet):
    """The persons who are or were members of a body of the Assembly, by name; public
    fields only. ``q`` finds a name written in any script («Қасым», «Касым», "Qasym").
    The detail lists the person's memberships."""

    filterset_class = PersonFilter
    lookup_field = "slug"
    ordering_fields = ["name", "slug"]

    def get_queryset(self):
        persons = public_persons().select_related("ethnic_group").alias(name=F("sort_name")).order_by("name", "pk")
        if self.action == "retrieve":
            memberships = membership_records().order_by("-start_date", "pk")
            persons = persons.prefetch_related(Prefetch("memberships", queryset=memberships))
        return persons

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer


class MembershipViewSet(PublicReadOnlyViewSet):
    """The register of memberships: who held which post in which body, on whose behalf,
    from when until when and why, by which acts. All of them, past and future included,
    in order of their start, unless ``on`` (a date) or ``current`` narrows them."""

    queryset = membership_records().order_by("start_date", "pk")
    serializer_class = MembershipSerializer
    filterset_class = PublicMembershipFilter
    ordering_fields = ["start_date", "end_date", "person_name"]
    ordering_paths = {"person_name": "person__sort_name"}
    pagination_class = LongListPagination


class AssociationViewSet(PublicReadOnlyViewSet):
    """The ethnocultural and other public associations, and the state bodies, that members
    represent, with the number of members representing each today."""

    serializer_class = AssociationSerializer
    filterset_class = AssociationFilter
    lookup_field = "slug"
    ordering_fields = ["name", "slug"]

    def get_queryset(self):
        # Ordered on each request: "name" means the name in the language of the answer.
        return association_directory().order_by("name", "pk")


class EthnicGroupViewSet(PublicReadOnlyViewSet):
    """The ethnic groups, each with the number of members of a body on a date (the national
    Assembly today, unless ``body`` and ``on`` say otherwise). Aggregate counts only: a
    count below 3 is null, and no list of persons is given."""

    serializer_class = EthnicGroupSerializer
    filterset_class = EthnicGroupCountFilter
    lookup_field = "slug"
    ordering_fields = ["name", "slug"]

    def get_queryset(self):
        # Ordered on each request: "name" means the name in the language of the answer.
        return EthnicGroup.objects.order_by("name", "pk")
