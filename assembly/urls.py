import os

from csp.constants import SELF
from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from regional.api.views import ObtainTokenView

from . import audit_admin, views
from .api.views import SchemaView
from .opendata import views as opendata_views
from .sitemaps import SITEMAPS

# The SHA-256 of the <style> element of drf_spectacular/swagger_ui.html (the browser test
# tests/browser/test_csp.py fails if an upgrade changes it).
SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

urlpatterns = [
    path("", RedirectView.as_view(url="/kk/", permanent=False)),
    # For the load balancer: outside the language prefix, no login, no cache.
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    # The API: one language-independent address per resource; each app adds its routes.
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/", include("assembly.api.urls")),
    path("api/v1/", include("members.api.urls")),
    path("api/v1/", include("sessions.api.urls")),
    path("api/v1/", include("regional.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view: the page's script is a file of its own (no inline script).
    # Swagger UI's page has one inline <style> (allowed by its hash) and its stylesheet draws
    # icons from data: URLs; nothing else is relaxed, and only on this page.
    path(
        "api/docs/",
        csp_update({"style-src": [SELF, SWAGGER_UI_STYLE_HASH], "img-src": [SELF, "data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("api/", RedirectView.as_view(pattern_name="api-docs", permanent=False)),
    # The open data files: the same in every language, so outside the language prefix.
    path("open-data/<str:filename>", opendata_views.open_data_file, name="open-data-file"),
]
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("bodies/", views.BodiesView.as_view(), name="bodies"),
    path("bodies/<slug:slug>/", views.BodyDetailView.as_view(), name="body"),
    path("composition/", views.CompositionView.as_view(), name="composition"),
    path("open-data/", opendata_views.OpenDataView.as_view(), name="open-data"),
    path("", include("members.urls")),
    path("", include("regional.urls")),
    path("", include("sessions.urls")),
    path("portal/", include("regional.portal_urls")),
    # The Secretariat's audit log: a page of the staff admin, behind its sign-in.
    path("admin/audit/", admin.site.admin_view(audit_admin.audit_log_view), name="audit-log"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
if os.environ.get("BENCH_TRIVIAL_VIEW") == "1":
    # Only in the benchmark's server (bench/national.py): the pattern does not exist otherwise.
    urlpatterns.insert(0, path("bench/trivial", views.bench_trivial, name="bench-trivial"))
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
if settings.DEBUG:
    # The photos only, as nginx serves them in production: meeting documents go through
    # sessions.views.document_download, which refuses the restricted ones.
    urlpatterns += static(f"{settings.MEDIA_URL}persons/", document_root=settings.MEDIA_ROOT / "persons")
