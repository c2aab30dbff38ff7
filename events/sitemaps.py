"""The public calendar and every coming public event, for ``/sitemap.xml`` (``core.sitemaps``)."""

from django.urls import reverse

from core.sitemaps import register_sitemap
from events import selectors


@register_sitemap("events")
def entries():
    yield reverse("events:calendar"), None
    for event in selectors.upcoming_public_events(limit=1000):
        yield event.get_absolute_url(), None
