"""sitemap.xml: every public page in the three languages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from members.selectors import public_persons
from regional.models import Region
from sessions.models import Meeting

from .models import Body


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class StaticPagesSitemap(I18nSitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "bodies",
            "composition",
            "members:directory",
            "members:associations",
            "regional:list",
            "sessions:list",
            "open-data",
        ]

    def location(self, item):
        return reverse(item)


class PersonSitemap(I18nSitemap):
    changefreq = "monthly"

    def items(self):
        return public_persons().only("slug", "updated_at").order_by("pk")

    def location(self, person):
        return reverse("members:profile", args=[person.slug])

    def lastmod(self, person):
        return person.updated_at


class BodySitemap(I18nSitemap):
    def items(self):
        return Body.objects.only("slug").order_by("pk")

    def location(self, body):
        return reverse("body", args=[body.slug])


class RegionSitemap(I18nSitemap):
    def items(self):
        return Region.objects.only("slug").order_by("kato")

    def location(self, region):
        return reverse("regional:detail", args=[region.slug])


class MeetingSitemap(I18nSitemap):
    def items(self):
        return Meeting.objects.only("pk").order_by("pk")

    def location(self, meeting):
        return reverse("sessions:detail", args=[meeting.pk])


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "members": PersonSitemap,
    "bodies": BodySitemap,
    "regions": RegionSitemap,
    "sessions": MeetingSitemap,
}
