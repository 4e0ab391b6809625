"""Public pages of the register: the member directory, member profiles, associations."""

from django.http import Http404
from django.views.generic import TemplateView

from assembly.listing import FilteredListView

from .filters import AssociationFilter, MembershipFilter
from .models import Membership, Person
from .selectors import (
    association_directory,
    member_directory,
    member_directory_count,
    person_memberships,
    public_person,
)


class MemberDirectoryView(FilteredListView):
    template_name = "members/directory.html"
    filterset_class = MembershipFilter

    def get_base_queryset(self):
        return Membership.objects.all()

    def get_results(self, filterset):
        filterset.offer_national_and_regional_choices()
        return member_directory(memberships=filterset.qs, name=filterset.form.cleaned_data.get("q") or "")

    def count_results(self, filterset):
        # The persons listed are those of the filtered memberships (the name narrows both):
        # counted from the memberships alone, without joining the register of persons.
        return member_directory_count(memberships=filterset.qs)


class MemberProfileView(TemplateView):
    template_name = "members/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            person = public_person(slug=kwargs["slug"])
        except Person.DoesNotExist:
            raise Http404 from None
        context.update(person=person, memberships=person_memberships(person=person))
        return context


class AssociationDirectoryView(FilteredListView):
    template_name = "members/associations.html"
    filterset_class = AssociationFilter

    def get_base_queryset(self):
        return association_directory().order_by("level", "name")
