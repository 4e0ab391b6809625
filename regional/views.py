"""Public pages of the regions: who represents a region, its assembly and its meetings."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from assembly.models import Body
from members.selectors import body_composition
from sessions.models import Meeting

from .models import Region
from .selectors import chairs_on, region_overview, region_representatives


class RegionListView(TemplateView):
    template_name = "regional/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = region_overview(date=timezone.localdate())
        return context


class RegionDetailView(TemplateView):
    template_name = "regional/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        region = get_object_or_404(Region, slug=kwargs["slug"])
        bodies = list(Body.objects.filter(region=region).select_related("parent").order_by("sort_order", "pk"))
        assembly = next(
            (b for b in bodies if b.kind == Body.Kind.ASSEMBLY and (b.parent is None or b.parent.region_id is None)),
            None,
        )
        context.update(
            region=region,
            bodies=bodies,
            assembly=assembly,
            chair=chairs_on(bodies=[assembly], date=today).get(assembly.pk) if assembly else None,
            members=body_composition(body=assembly, date=today) if assembly else [],
            representatives=region_representatives(region=region, date=today),
            meetings=Meeting.objects.filter(body__region=region).select_related("body").order_by("-start_date")[:10],
        )
        return context
