from django.urls import URLPattern, URLResolver, path
from django.views.decorators.http import conditional_page

from api import views
from api.v1 import api

app_name = "api"


def _conditional(patterns):
    """ETag on every GET answer and 304 for a matching ``If-None-Match`` (Django's ConditionalGet)."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _conditional(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = conditional_page(pattern.callback)
    return patterns


v1_patterns, v1_app, v1_namespace = api.urls
urlpatterns: list = [
    path("v1/", (_conditional(v1_patterns), v1_app, v1_namespace)),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/widerrufen/", views.token_revoke, name="token_revoke"),
]
