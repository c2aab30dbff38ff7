from django.urls import path

from core import sitemaps, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("mein-bereich/", views.personal, name="personal"),
    path("meine-links/", views.personal_links, name="personal_links"),
    path("meine-links/<str:token>/", views.personal_overview, name="personal_overview"),
    path("meine-links/<str:token>/meine-daten.json", views.personal_overview_export, name="personal_overview_export"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("postausgang/", views.mail_log, name="mail_log"),
    path("kennzahlen/", views.figures_overview, name="figures"),
    path("impressum/", views.page, {"template": "core/imprint.html"}, name="imprint"),
    path("datenschutz/", views.page, {"template": "core/privacy.html"}, name="privacy"),
    path("barrierefreiheit/", views.page, {"template": "core/accessibility.html"}, name="accessibility"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<slug:section>-<int:number>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots, name="robots"),
]
