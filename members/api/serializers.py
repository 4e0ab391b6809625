"""The public shape of the register: persons (public fields only), memberships,
associations, and ethnic groups (aggregate counts only)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assembly.api.fields import TranslationsField, WebPageField
from assembly.api.serializers import (
    BodyReferenceSerializer,
    LegalActSerializer,
    PostReferenceSerializer,
    RegionReferenceSerializer,
)
from assembly.selectors import SMALL_GROUP

from ..models import Association, EthnicGroup, Membership, Person


class PersonReferenceSerializer(serializers.ModelSerializer):
    """A person, as a membership names them."""

    url = serializers.HyperlinkedIdentityField(view_name="members_api:person-detail", lookup_field="slug")
    name = serializers.CharField(source="display_name", read_only=True, help_text="The name in the answer's script.")

    class Meta:
        model = Person
        fields = ["slug", "url", "name"]


class AssociationReferenceSerializer(serializers.ModelSerializer):
    """An association, as another object names it."""

    url = serializers.HyperlinkedIdentityField(view_name="members_api:association-detail", lookup_field="slug")

    class Meta:
        model = Association
        fields = ["slug", "url", "name"]


class EthnicGroupReferenceSerializer(serializers.ModelSerializer):
    """An ethnic group, as another object names it."""

    url = serializers.HyperlinkedIdentityField(view_name="members_api:ethnic-group-detail", lookup_field="slug")

    class Meta:
        model = EthnicGroup
        fields = ["slug", "url", "name"]


class MembershipSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="members_api:membership-detail")
    person = PersonReferenceSerializer(read_only=True)
    body = BodyReferenceSerializer(read_only=True)
    post = PostReferenceSerializer(read_only=True)
    region = RegionReferenceSerializer(
        source="body.region", read_only=True, allow_null=True, help_text="The body's region; null for a national body."
    )
    on_behalf_of = AssociationReferenceSerializer(
        read_only=True, allow_null=True, help_text="The association or state body the member represents, if any."
    )
    basis_label = serializers.CharField(source="get_basis_display", read_only=True)
    end_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The last day of the membership; null while it lasts."
    )
    end_reason = serializers.SerializerMethodField()
    end_reason_label = serializers.SerializerMethodField()
    appointed_by = LegalActSerializer(read_only=True, allow_null=True, help_text="The act that appointed the member.")
    ended_by = LegalActSerializer(read_only=True, allow_null=True, help_text="The act that ended the membership.")

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "person",
            "body",
            "post",
            "region",
            "basis",
            "basis_label",
            "on_behalf_of",
            "start_date",
            "end_date",
            "end_reason",
            "end_reason_label",
            "appointed_by",
            "ended_by",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Membership.EndReason.choices, allow_null=True))
    def get_end_reason(self, membership: Membership) -> str | None:
        return membership.end_reason or None

    def get_end_reason_label(self, membership: Membership) -> str | None:
        return membership.get_end_reason_display() or None


class PersonMembershipSerializer(MembershipSerializer):
    """A membership in the list of a person's own."""

    class Meta(MembershipSerializer.Meta):
        fields = [name for name in MembershipSerializer.Meta.fields if name != "person"]


class PersonSerializer(serializers.ModelSerializer):
    """Public fields only: never the IIN, date of birth, phone or e-mail, and the ethnic
    group only with the person's consent."""

    url = serializers.HyperlinkedIdentityField(view_name="members_api:person-detail", lookup_field="slug")
    web_url = WebPageField("members:profile")
    name = serializers.CharField(
        source="display_name",
        read_only=True,
        help_text="The full name in the answer's script: Kazakh Cyrillic, Russian spelling or Latin.",
    )
    full_name = serializers.CharField(read_only=True, help_text="The full name in Kazakh Cyrillic.")
    full_name_ru = serializers.CharField(read_only=True, help_text="The full name in its Russian spelling.")
    full_name_latin = serializers.CharField(
        read_only=True, help_text="The full name in the 2021 Kazakh Latin alphabet."
    )
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    photo = serializers.ImageField(read_only=True, allow_null=True, help_text="The photo's address; null if none.")
    position_translations = TranslationsField()
    biography_translations = TranslationsField()
    ethnic_group = serializers.SerializerMethodField(
        help_text="Only where the person agreed to publish it; otherwise null."
    )

    class Meta:
        model = Person
        fields = [
            "slug",
            "url",
            "web_url",
            "name",
            "full_name",
            "full_name_ru",
            "full_name_latin",
            "surname",
            "given_name",
            "patronymic",
            "gender",
            "gender_label",
            "photo",
            "position",
            "position_translations",
            "biography",
            "biography_translations",
            "ethnic_group",
        ]

    @extend_schema_field(EthnicGroupReferenceSerializer(allow_null=True))
    def get_ethnic_group(self, person: Person):
        if not person.ethnicity_public or person.ethnic_group is None:
            return None
        return EthnicGroupReferenceSerializer(person.ethnic_group, context=self.context).data


class PersonDetailSerializer(PersonSerializer):
    memberships = PersonMembershipSerializer(many=True, read_only=True, help_text="All, newest first.")

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "memberships"]


class AssociationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="members_api:association-detail", lookup_field="slug")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    name_translations = TranslationsField()
    region = RegionReferenceSerializer(
        read_only=True, allow_null=True, help_text="The region of a regional association; null for a republican one."
    )
    ethnic_group = EthnicGroupReferenceSerializer(
        read_only=True, allow_null=True, help_text="The group an ethnocultural association unites."
    )
    current_members = serializers.IntegerField(
        read_only=True, help_text="How many memberships are held today on its behalf."
    )

    class Meta:
        model = Association
        fields = [
            "slug",
            "url",
            "kind",
            "kind_label",
            "level",
            "level_label",
            "name",
            "name_translations",
            "region",
            "ethnic_group",
            "founded",
            "current_members",
        ]


class EthnicGroupSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="members_api:ethnic-group-detail", lookup_field="slug")
    name_translations = TranslationsField()
    members = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=(
            f"How many members of the body belong to the group on the date; null when fewer than {SMALL_GROUP}, "
            "so that a count cannot single a person out."
        ),
    )

    class Meta:
        model = EthnicGroup
        fields = ["slug", "url", "name", "name_translations", "members"]
