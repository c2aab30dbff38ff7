"""The industry initiative's public supporters page, for ``/sitemap.xml`` (``core.sitemaps``)."""

from django.urls import reverse

from core.sitemaps import register_sitemap


@register_sitemap("networks")
def entries():
    yield reverse("networks:supporters"), None
