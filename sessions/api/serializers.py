"""What the public endpoints of the sessions answer: what the public page of a meeting shows,
no more. Only public documents; attendance as counts; a candidate's slug and page only for a
person who has held a membership (``sessions.selectors.public_candidates``)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assembly.api.fields import TranslationsField, WebPageField
from assembly.api.serializers import BodyReferenceSerializer, LegalActSerializer

from ..models import AgendaItem, Attendance, Candidate, Decision, Document, Election, Meeting
from ..selectors import agenda_outline, attendance_figures, election_result_summary

AGENDA_ITEM_HELP = "The id of the agenda item it belongs to, if any."
NOT_PUBLIC_HELP = "Null for a person who has never been a member, and so has no public record."


class MeetingSummarySerializer(serializers.ModelSerializer):
    """The meeting an agenda item, a decision or an election belongs to."""

    url = serializers.HyperlinkedIdentityField(view_name="sessions_api:meeting-detail")
    web_url = WebPageField("sessions:detail", lookup="pk")
    title = serializers.CharField(read_only=True, help_text="As the public page titles it.")
    body = BodyReferenceSerializer(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "url", "web_url", "title", "body", "start_date"]


class MeetingSerializer(MeetingSummarySerializer):
    """A session or meeting of a body, as the list of meetings shows it."""

    number_display = serializers.CharField(
        read_only=True, help_text="The number as the public pages write it: Roman numerals for a session."
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    venue_translations = TranslationsField()
    theme_translations = TranslationsField()
    convened_by = LegalActSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "body",
            "number",
            "number_display",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "start_date",
            "end_date",
            "venue",
            "venue_translations",
            "theme",
            "theme_translations",
            "convened_by",
        ]


# The parts of a meeting's file, as the meeting's detail nests them (without their meeting).


class MeetingAgendaItemSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="sessions_api:agenda-item-detail")
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The id of the item this one is a sub-item of; null at the top level.",
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title_translations = TranslationsField()

    class Meta:
        model = AgendaItem
        fields = ["id", "url", "parent", "order", "kind", "kind_label", "title", "title_translations"]


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    language_label = serializers.CharField(source="get_language_display", read_only=True)
    agenda_item = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=AGENDA_ITEM_HELP)
    download_url = WebPageField("sessions:document", lookup="pk")

    class Meta:
        model = Document
        fields = ["id", "kind", "kind_label", "language", "language_label", "title", "agenda_item", "download_url"]


class MeetingDecisionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="sessions_api:decision-detail")
    agenda_item = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=AGENDA_ITEM_HELP)
    text_translations = TranslationsField()
    required_majority_label = serializers.CharField(source="get_required_majority_display", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "url",
            "agenda_item",
            "number",
            "text",
            "text_translations",
            "required_majority",
            "required_majority_label",
            "votes_for",
            "votes_against",
            "votes_abstained",
            "members_entitled",
            "members_present",
            "votes_needed",
            "result",
            "result_label",
        ]


class CandidatePersonSerializer(serializers.Serializer):
    """The person of a candidate (serialized from the candidate): the name, as the meeting's
    page shows it; the slug, the API address and the public page only for a person who has
    held a membership (the others have no public record)."""

    name = serializers.CharField(source="person.display_name", help_text="In the script of the answer's language.")
    slug = serializers.SerializerMethodField(help_text=NOT_PUBLIC_HELP)
    url = serializers.SerializerMethodField(help_text=NOT_PUBLIC_HELP)
    web_url = serializers.SerializerMethodField(help_text=NOT_PUBLIC_HELP)

    def get_slug(self, candidate: Candidate) -> str | None:
        return candidate.person.slug if candidate.person_is_public else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_url(self, candidate: Candidate) -> str | None:
        return self._address(candidate, "members_api:person-detail")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_web_url(self, candidate: Candidate) -> str | None:
        return self._address(candidate, "members:profile")

    def _address(self, candidate: Candidate, viewname: str) -> str | None:
        if not candidate.person_is_public:
            return None
        url = reverse(viewname, kwargs={"slug": candidate.person.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class CandidateSerializer(serializers.ModelSerializer):
    person = CandidatePersonSerializer(source="*", read_only=True)

    class Meta:
        model = Candidate
        fields = ["person", "votes", "elected"]


class MeetingElectionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="sessions_api:election-detail")
    agenda_item = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=AGENDA_ITEM_HELP)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title_translations = TranslationsField()
    rule_label = serializers.CharField(source="get_rule_display", read_only=True)
    result_summary = serializers.SerializerMethodField(
        help_text="The result in words, in the answer's language; empty until the result is computed."
    )
    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "url",
            "agenda_item",
            "kind",
            "kind_label",
            "title",
            "title_translations",
            "rule",
            "rule_label",
            "secret_ballot",
            "seats",
            "seats_filled",
            "ballots_issued",
            "ballots_cast",
            "ballots_invalid",
            "tie",
            "result_summary",
            "candidates",
        ]

    def get_result_summary(self, election: Election) -> str:
        return election_result_summary(election)


class AttendanceCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    status_label = serializers.CharField()
    count = serializers.IntegerField()


class AttendanceSerializer(serializers.Serializer):
    """Counts only: who attended is not published."""

    entitled = serializers.IntegerField(help_text="Members entitled to attend on the meeting's first day.")
    attended = serializers.IntegerField(help_text="Members present, including those who left early.")
    by_status = AttendanceCountSerializer(many=True)


class MeetingDetailSerializer(MeetingSerializer):
    """A session or meeting with its file, as its public page shows it."""

    agenda = serializers.SerializerMethodField(help_text="In reading order: each item followed by its sub-items.")
    documents = DocumentSerializer(many=True, read_only=True, source="public_documents")
    decisions = MeetingDecisionSerializer(many=True, read_only=True)
    elections = MeetingElectionSerializer(many=True, read_only=True)
    attendance = serializers.SerializerMethodField(help_text="Null until the attendance is recorded.")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda", "documents", "decisions", "elections", "attendance"]

    @extend_schema_field(MeetingAgendaItemSerializer(many=True))
    def get_agenda(self, meeting: Meeting) -> list:
        items = agenda_outline(list(meeting.agenda.all()))
        return MeetingAgendaItemSerializer(items, many=True, context=self.context).data

    @extend_schema_field(AttendanceSerializer(allow_null=True))
    def get_attendance(self, meeting: Meeting) -> dict | None:
        figures = attendance_figures(meeting)
        if not figures["recorded"]:
            return None
        by_status = [
            {"status": status, "status_label": status.label, "count": count}
            for status, count in figures["by_status"].items()
        ]
        return AttendanceSerializer({**figures, "by_status": by_status}).data


# The endpoints of agenda items, decisions and elections: the same, with their meeting.


class AgendaItemSerializer(MeetingAgendaItemSerializer):
    """An item of a meeting's agenda, with its meeting; a sub-item names its parent item."""

    meeting = MeetingSummarySerializer(read_only=True)

    class Meta(MeetingAgendaItemSerializer.Meta):
        fields = [*MeetingAgendaItemSerializer.Meta.fields, "meeting"]


class DecisionSerializer(MeetingDecisionSerializer):
    meeting = MeetingSummarySerializer(read_only=True)

    class Meta(MeetingDecisionSerializer.Meta):
        fields = [*MeetingDecisionSerializer.Meta.fields, "meeting"]


class ElectionSerializer(MeetingElectionSerializer):
    meeting = MeetingSummarySerializer(read_only=True)

    class Meta(MeetingElectionSerializer.Meta):
        fields = [*MeetingElectionSerializer.Meta.fields, "meeting"]
