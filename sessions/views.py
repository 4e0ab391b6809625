"""Public pages of sessions and meetings, their documents, and the calendar."""

import datetime

import icalendar
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from assembly.listing import FilteredListView

from .filters import MeetingFilter
from .models import Document
from .selectors import meeting_file, public_meetings


class MeetingListView(FilteredListView):
    template_name = "sessions/list.html"
    filterset_class = MeetingFilter

    def get_base_queryset(self):
        return public_meetings()


class MeetingDetailView(TemplateView):
    template_name = "sessions/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(public_meetings(), pk=kwargs["pk"])
        context.update(meeting=meeting, **meeting_file(meeting))
        return context


def document_download(request, pk: int):
    """A meeting's document: public ones for everyone, restricted ones for staff only
    (others get 404, so that a restricted document's existence is not revealed)."""
    document = get_object_or_404(Document.objects.select_related("meeting"), pk=pk)
    if not document.is_public and not (
        request.user.is_staff and request.user.has_perm("assembly_sessions.view_document")
    ):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=False, filename=document.file.name.rsplit("/", 1)[-1])


def upcoming_calendar(request):
    """iCalendar of the planned meetings from today on."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Assembly of the People of Kazakhstan//Meetings//KK")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Meetings of the Assembly of the People of Kazakhstan"))
    for meeting in public_meetings().upcoming(timezone.localdate())[:500]:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@assembly.kz")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.start_date)
        event.add("dtend", meeting.last_date + datetime.timedelta(days=1))
        event.add("dtstamp", timezone.now())
        if meeting.venue:
            event.add("location", meeting.venue)
        if meeting.theme:
            event.add("description", meeting.theme)
        event.add("url", request.build_absolute_uri(reverse("sessions:detail", args=[meeting.pk])))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
