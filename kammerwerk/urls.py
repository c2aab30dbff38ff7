from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("core.urls")),
    path("konto/", include("accounts.urls")),
    path("kontakte/", include("contacts.urls")),
    path("sprache/", set_language, name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Each module mounts itself here once it exists.
MODULE_URLS = [
    ("beratung/", "advisory.urls"),
    ("veranstaltungen/", "events.urls"),
    ("portal/", "portal.urls"),
    ("newsletter/", "newsletter.urls"),
    ("klima/", "climate.urls"),
    ("jugend-forscht/", "competition.urls"),
    ("netzwerke/", "networks.urls"),
    ("jahresbericht/", "reports.urls"),
    ("api/", "api.urls"),
    ("webhooks/", "webhooks.urls"),
]
for prefix, module in MODULE_URLS:
    if module.split(".")[0] in settings.INSTALLED_APPS:
        urlpatterns.append(path(prefix, include(module)))

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
