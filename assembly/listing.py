"""The base of the public site's filtered lists."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView


class FilteredListView(TemplateView):
    """A list filtered by a django-filter FilterSet and paginated. A bad page number shows
    the nearest page; a bad filter value is left out and its error shown beside the form."""

    filterset_class = None
    paginate_by = 30

    def get_base_queryset(self):
        raise NotImplementedError

    def get_results(self, filterset):
        return filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(self.request.GET, queryset=self.get_base_queryset())
        results = self.get_results(filterset)
        page = Paginator(results, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(filterset=filterset, page_obj=page, object_list=page.object_list)
        return context
