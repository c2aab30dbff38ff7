from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import conditional_page

from api import views
from api.v1 import api

app_name = "api"


def _form_bodies_refused(view):
    """The API reads JSON. A form upload's stream is already read (the NUL check reads forms): its body
    is set to something that is not JSON, so the caller gets 400 ``malformed_json`` after the auth check."""

    def wrapped(request, *args, **kwargs):
        if request.content_type == "multipart/form-data" and not hasattr(request, "_body"):
            request._body = b"multipart/form-data"
        response = view(request, *args, **kwargs)
        # answers depend on the caller: never from a shared cache, always revalidated (ETag)
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    return wrapped


def _wrap(patterns):
    """ETag on every GET answer and 304 for a matching ``If-None-Match`` (Django's ConditionalGet)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = conditional_page(_form_bodies_refused(pattern.callback))
    return patterns


@conditional_page
def api_root(request):
    """Where to start: the version and the addresses of the OpenAPI document and its page."""
    return JsonResponse(
        {"version": "1", "openapi": reverse("api:v1:openapi-json"), "docs": reverse("api:v1:openapi-view")}
    )


v1_patterns, v1_app, v1_namespace = api.urls
v1_patterns = [p for p in v1_patterns if getattr(p, "name", None) != "api-root"] + [path("", api_root, name="api-root")]
urlpatterns: list = [
    path("v1/", (_wrap(v1_patterns), v1_app, v1_namespace)),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/widerrufen/", views.token_revoke, name="token_revoke"),
]
