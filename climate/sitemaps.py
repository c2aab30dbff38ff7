"""The public climate pages (calculator, method, relief, hydrogen, publications), for ``/sitemap.xml``."""

from django.urls import reverse

from core.sitemaps import register_sitemap


@register_sitemap("climate")
def entries():
    for name in (
        "climate:calculator",
        "climate:methodology",
        "climate:relief",
        "climate:hydrogen",
        "climate:publications",
    ):
        yield reverse(name), None
