"""Thin serializers: they parse what a client sends and render what it may see. Every rule
stays in ``regional.services``, which the views call with the parsed values."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sessions.models import Meeting

from .. import services
from ..models import Nomination, NominationDocument, NominationEvent

# The candidate's and the decision's fields, as the services accept them.
_EDITABLE = sorted(services.EDITABLE_FIELDS)


class NominationDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = NominationDocument
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at", "event"]
        read_only_fields = fields


class NominationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", read_only=True)
    # Empty on the step that created the nomination.
    from_status = serializers.ChoiceField(choices=Nomination.Status.choices, allow_blank=True, read_only=True)
    documents = NominationDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = NominationEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "at", "comment", "documents"]
        read_only_fields = fields


class DecreeSerializer(serializers.Serializer):
    """The act that approved the nomination."""

    number = serializers.CharField()
    date = serializers.DateField()


class NominationSerializer(serializers.ModelSerializer):
    """A nomination as the list shows it. Its private fields (IIN, date of birth, phone,
    e-mail) are the submitter's own data: only the region's office and the Secretariat see a
    nomination at all (``regional.selectors.nomination_list``)."""

    region = serializers.SlugRelatedField(slug_field="kato", read_only=True)
    target_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # A plain string: the e-mail address is optional, and an empty one is no address at all.
    email = serializers.CharField(read_only=True, help_text="The candidate's e-mail address, or empty.")
    decree = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Nomination
        fields = [
            "id", "region", "track", "target_body", "status", "version", *_EDITABLE, "person",
            "council_meeting", "session_meeting", "decree", "membership", "created_at", "submitted_at",
            "status_changed_at", "available_actions",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(DecreeSerializer(allow_null=True))
    def get_decree(self, nomination: Nomination) -> dict | None:
        if nomination.decree is None:
            return None
        return DecreeSerializer(nomination.decree).data

    def get_available_actions(self, nomination: Nomination) -> list[str]:
        user = self.context["request"].user
        return [transition.action for transition in services.available_transitions(user=user, nomination=nomination)]


class NominationDetailSerializer(NominationSerializer):
    """A nomination with its documents and every step of its history, oldest first."""

    documents = NominationDocumentSerializer(many=True, read_only=True)
    history = serializers.SerializerMethodField()

    class Meta(NominationSerializer.Meta):
        fields = [*NominationSerializer.Meta.fields, "documents", "history"]
        read_only_fields = fields

    @extend_schema_field(NominationEventSerializer(many=True))
    def get_history(self, nomination: Nomination) -> list[dict]:
        return NominationEventSerializer(self.context["history"], many=True).data


class NominationCreateSerializer(serializers.ModelSerializer):
    """The fields of a new draft: the track and the candidate's and decision's fields."""

    class Meta:
        model = Nomination
        fields = ["track", *_EDITABLE]
        # The constraints across rows (one open nomination per candidate and body) are the
        # services' to check, with their own messages.
        validators = []


class NominationUpdateSerializer(NominationCreateSerializer):
    """A change of some fields of a draft, from the copy at ``version``."""

    version = serializers.IntegerField(min_value=1)

    class Meta(NominationCreateSerializer.Meta):
        fields = ["version", *_EDITABLE]

    def validate(self, attrs: dict) -> dict:
        # Required even in a partial update: a change without it could overwrite another's.
        if "version" not in attrs:
            raise serializers.ValidationError({"version": [_("Give the version of the nomination you changed.")]})
        return attrs


class StepSerializer(serializers.Serializer):
    """A step of the procedure taken from the copy at ``version``, with a comment."""

    version = serializers.IntegerField(min_value=1)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TransitionSerializer(StepSerializer):
    """Any step of the procedure, with what it needs (see ``services.nomination_transition``)."""

    action = serializers.ChoiceField(choices=[value for value in NominationEvent.Action.values if value != "create"])
    council_meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), required=False)
    session_meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), required=False)
    decree_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
    decree_date = serializers.DateField(required=False)
    start_date = serializers.DateField(required=False)


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NominationDocument.Kind.choices)
    file = serializers.FileField()
