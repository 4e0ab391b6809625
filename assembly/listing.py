"""The base of the public site's filtered lists, and the paginator of long lists."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.views.generic import TemplateView


class KeysFirstPaginator(Paginator):
    """A paginator that reads a page in two queries: the primary keys of the page's rows, on the
    filtered and ordered table alone, then those rows with everything ``select_related`` joins.

    In one query the database joins every matching row to its related tables before it sorts
    them and keeps a page: for the memberships held on a day, eighty thousand rows joined to
    six tables for fifty kept. The keys alone can come from an index and are sorted narrow.
    """

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            keys = list(object_list.values_list("pk", flat=True))
            rows = {row.pk: row for row in self.object_list.filter(pk__in=keys)} if keys else {}
            # A row deleted between the two queries is left out rather than failing the page.
            object_list = [rows[key] for key in keys if key in rows]
        return super()._get_page(object_list, number, paginator)


class FilteredListView(TemplateView):
    """A list filtered by a django-filter FilterSet and paginated. A bad page number shows
    the nearest page; a bad filter value is left out and its error shown beside the form."""

    filterset_class = None
    paginate_by = 30

    def get_base_queryset(self):
        raise NotImplementedError

    def get_results(self, filterset):
        return filterset.qs

    def count_results(self, filterset) -> int | None:
        """The number of results, where it can be counted more cheaply than by ``count()`` of
        ``get_results``; None to count those."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(self.request.GET, queryset=self.get_base_queryset())
        results = self.get_results(filterset)
        paginator = Paginator(results, self.paginate_by)
        count = self.count_results(filterset)
        if count is not None:
            paginator.count = count
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(filterset=filterset, page_obj=page, object_list=page.object_list)
        return context
