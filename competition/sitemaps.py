"""The competition's public page and its published results, for ``/sitemap.xml`` (``core.sitemaps``)."""

from django.urls import reverse

from competition import selectors
from core.sitemaps import register_sitemap


@register_sitemap("competition")
def entries():
    yield reverse("competition:home"), None
    for edition in selectors.published_editions():
        yield reverse("competition:results_public", args=[edition.year]), None
