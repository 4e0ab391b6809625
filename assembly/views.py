"""Public pages about the Assembly itself: home, leadership and bodies, composition; the health
check and the error answers of the whole site."""

import datetime

from django import forms
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import csrf, defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView
from rest_framework import exceptions

from members.models import Membership
from members.selectors import body_composition
from sessions.models import Meeting

from .models import Body
from .selectors import composition_breakdowns, leadership, size_over_years

FIRST_YEAR = 1995


class DateForm(forms.Form):
    """``?on=YYYY-MM-DD``: a date for "on a chosen date" pages; a bad value is explained."""

    on = forms.DateField(
        label=_("On date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def date(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data["on"]:
            return self.cleaned_data["on"]
        return timezone.localdate()


def bar_chart(rows: list[tuple[str, int]]) -> list[dict]:
    """Rows of a horizontal bar chart: label, count, and bar length in percent of the largest."""
    largest = max((count for _label, count in rows), default=0) or 1
    return [{"label": label, "count": count, "percent": round(100 * count / largest, 1)} for label, count in rows]


def line_chart(points: list[tuple[int, int]], width: int = 640, height: int = 200, margin: int = 30) -> dict:
    """An SVG polyline of (year, count) points, scaled into a ``width`` x ``height`` box."""
    if not points:
        return {}
    largest = max(count for _year, count in points) or 1
    step = (width - 2 * margin) / max(len(points) - 1, 1)
    coordinates = [
        (margin + index * step, height - margin - (height - 2 * margin) * count / largest)
        for index, (_year, count) in enumerate(points)
    ]
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates),
        "baseline": height - margin,
        "largest": largest,
        "labels": [
            {"x": round(x, 1), "year": year}
            for (x, _y), (year, _count) in zip(coordinates, points, strict=True)
            if year % 5 == 0
        ],
    }


class HomeView(TemplateView):
    template_name = "assembly/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        meetings = Meeting.objects.filter(body__region__isnull=True).select_related("body")
        current = Membership.objects.current()
        context.update(
            next_meetings=meetings.upcoming(today)[:3],
            latest_meetings=meetings.held().filter(start_date__lte=today).order_by("-start_date")[:3],
            figures={
                "assembly": current.filter(body__kind=Body.Kind.ASSEMBLY, body__region__isnull=True).count(),
                "council": current.filter(body__kind=Body.Kind.COUNCIL, body__region__isnull=True).count(),
                # The regions' own assemblies, not the district ones below them (as on the regions page).
                "regional": current.filter(
                    body__kind=Body.Kind.ASSEMBLY, body__region__isnull=False, body__parent__region__isnull=True
                ).count(),
            },
            leaders=leadership(date=today),
        )
        return context


class BodiesView(TemplateView):
    """The Chairman, the Deputy Chairmen, and the national bodies."""

    template_name = "assembly/bodies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            leaders=leadership(date=timezone.localdate()),
            bodies=Body.objects.national().select_related("successor"),
        )
        return context


class BodyDetailView(TemplateView):
    """A body's composition on any date (today by default), and its meetings."""

    template_name = "assembly/body.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = get_object_or_404(Body.objects.select_related("region", "parent", "successor"), slug=kwargs["slug"])
        form = DateForm(self.request.GET)
        date = form.date()
        context.update(
            body=body,
            form=form,
            date=date,
            is_today=date == timezone.localdate(),
            members=body_composition(body=body, date=date),
            meetings=body.meetings.order_by("-start_date")[:10],
        )
        return context


class CompositionView(TemplateView):
    """Composition figures and charts, drawn on the server as SVG."""

    template_name = "assembly/composition.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bodies = list(Body.objects.filter(kind__in=[Body.Kind.ASSEMBLY, Body.Kind.COUNCIL]).select_related("region"))
        slug = self.request.GET.get("body")
        body = next((option for option in bodies if option.slug == slug), None) if slug else None
        if body is None:
            # The Assembly itself; an unknown body is explained beside the form, never a 404.
            body = next(option for option in bodies if option.kind == Body.Kind.ASSEMBLY and option.region_id is None)
        form = DateForm(self.request.GET)
        date = form.date()
        breakdowns = composition_breakdowns(body=body, date=date)
        # The history ends this year, whatever date was asked for (one column per year in one query).
        last_year = min(date.year, timezone.localdate().year)
        years = size_over_years(body=body, first_year=max(FIRST_YEAR, (body.founded or date).year), last_year=last_year)
        context.update(
            body=body,
            form=form,
            date=date,
            charts=[
                (_("By region of the association represented"), bar_chart(breakdowns["region"])),
                (_("By basis of membership"), bar_chart(breakdowns["basis"])),
                (_("By gender"), bar_chart(breakdowns["gender"])),
                (_("By ethnic group"), bar_chart(breakdowns["ethnic_group"])),
            ],
            years=years,
            years_chart=line_chart(years),
            bodies=bodies,
            body_not_found=bool(slug) and body.slug != slug,
        )
        return context


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /kk/admin/", "Disallow: /ru/admin/", "Disallow: /en/admin/"]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request):
    """For the load balancer: 200 while the database answers, 503 (never an error page) when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
def bench_trivial(request):
    """The benchmark's yardstick (``bench/national.py``): the least a request through the whole
    middleware stack can cost. Routed only when ``BENCH_TRIVIAL_VIEW=1``."""
    return HttpResponse("ok", content_type="text/plain")


# Error answers: under /api/ JSON with a "detail" (as every answer of the API, see
# assembly.api.errors), elsewhere the site's page in the visitor's language. DRF's messages,
# so that the API says the same words whichever layer refused the request.
def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def api_error(message, status: int) -> JsonResponse:
    return JsonResponse({"detail": str(message)}, status=status)


def bad_request(request, exception):
    if is_api(request):
        return api_error(exceptions.ParseError.default_detail, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return api_error(exceptions.PermissionDenied.default_detail, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return api_error(exceptions.NotFound.default_detail, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(exceptions.APIException.default_detail, 500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token (a page left open too long, cookies off): 403."""
    if is_api(request):
        return api_error(_("CSRF verification failed. Request aborted."), 403)
    return csrf.csrf_failure(request, reason)
