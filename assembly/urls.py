from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from . import views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("", RedirectView.as_view(url="/kk/", permanent=False)),
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
    path("api/v1/auth/token/", obtain_auth_token, name="api-token"),
    path("api/v1/", include("assembly.api.urls")),
    path("api/v1/", include("members.api.urls")),
    path("api/v1/", include("sessions.api.urls")),
    path("api/v1/", include("regional.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view: the page's script is a file of its own (no inline script).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", RedirectView.as_view(pattern_name="api-docs", permanent=False)),
]
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("bodies/", views.BodiesView.as_view(), name="bodies"),
    path("bodies/<slug:slug>/", views.BodyDetailView.as_view(), name="body"),
    path("composition/", views.CompositionView.as_view(), name="composition"),
    path("", include("members.urls")),
    path("", include("regional.urls")),
    path("", include("sessions.urls")),
    path("portal/", include("regional.portal_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
