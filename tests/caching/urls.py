"""Pages of the caching tests: each counts its calls, so that a test sees whether an answer came
from the cache. All but one are public pages (in the namespace of the member pages, as
``assembly.dbrouter.is_public_read`` knows them)."""

from django.http import HttpResponse, HttpResponseNotFound
from django.urls import include, path
from django.utils.cache import patch_vary_headers

calls: list[str] = []


def counted(request):
    calls.append("counted")
    return HttpResponse(f"drawn {len(calls)}")


def sets_cookie(request):
    calls.append("sets_cookie")
    response = HttpResponse("with a cookie")
    response.set_cookie("visited", "yes")
    return response


def varies_on_cookie(request):
    calls.append("varies_on_cookie")
    response = HttpResponse("for this cookie")
    patch_vary_headers(response, ["Cookie"])
    return response


def not_found(request):
    calls.append("not_found")
    return HttpResponseNotFound("none")


public_patterns = [
    path("test-counted/", counted),
    path("test-sets-cookie/", sets_cookie),
    path("test-varies-on-cookie/", varies_on_cookie),
    path("test-not-found/", not_found),
]
urlpatterns = [
    path("kk/", include((public_patterns, "members"))),
    path("kk/test-not-public/", counted, name="not-public"),
]
