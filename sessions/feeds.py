"""RSS and Atom feeds of the Assembly's sessions and meetings."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import public_meetings


class MeetingFeed(Feed):
    title = _("Sessions of the Assembly of the People of Kazakhstan")
    description = _("Sessions and meetings of the Assembly, its Council and the regional assemblies.")

    def link(self):
        return reverse("sessions:list")

    def items(self):
        return public_meetings()[:50]

    def item_title(self, meeting):
        return meeting.title

    def item_description(self, meeting):
        parts = [meeting.start_date.strftime("%d.%m.%Y"), meeting.get_status_display()]
        if meeting.theme:
            parts.append(meeting.theme)
        return " · ".join(str(part) for part in parts)

    def item_link(self, meeting):
        return reverse("sessions:detail", args=[meeting.pk])

    def item_pubdate(self, meeting):
        return timezone.make_aware(datetime.datetime.combine(meeting.start_date, datetime.time(10)))

    def item_updateddate(self, meeting):
        # Atom requires an updated date on every entry (RFC 4287, 4.1.2).
        return self.item_pubdate(meeting)


class MeetingAtomFeed(MeetingFeed):
    feed_type = Atom1Feed
    subtitle = MeetingFeed.description
