import django_filters

from ..models import Nomination, Region


class NominationFilter(django_filters.FilterSet):
    """By status and track; by region (its KATO code) for the Secretariat, who sees them all
    (a regional office sees only its own region anyway)."""

    status = django_filters.ChoiceFilter(choices=Nomination.Status.choices, help_text="The nominations in this status.")
    track = django_filters.ChoiceFilter(choices=Nomination.Track.choices, help_text="National or regional nominations.")
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="kato",
        help_text="The region's KATO code, e.g. `75` for Almaty (an unknown code is a 400).",
    )

    class Meta:
        model = Nomination
        fields = ["status", "track", "region"]
