"""Template helpers of the public site."""

from django import template
from django.urls import translate_url
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language: str) -> str:
    """The current page in another language (the language prefix swapped, the query kept)."""
    request = context["request"]
    path = request.get_full_path()
    page_language = get_language_from_path(request.path_info)
    if page_language is None:  # an address without a language prefix (a 404 page)
        return f"/{language}{path}"
    # Resolve in the page's own language: inside {% language %} the active one differs,
    # and the language prefix of the path would not match.
    with translation.override(page_language):
        url = translate_url(path, language)
    if url == path and language != page_language:
        # An address that resolves to nothing (a 404 page): swap the prefix all the same.
        url = path.replace(f"/{page_language}/", f"/{language}/", 1)
    return url


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None drops one); for
    pagination and filter links that keep the other filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted(params.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"
