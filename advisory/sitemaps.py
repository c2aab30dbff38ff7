"""The consultation days, the programme catalogue and every bookable day, for ``/sitemap.xml``."""

from django.urls import reverse

from advisory import selectors
from core.sitemaps import register_sitemap


@register_sitemap("advisory")
def entries():
    yield reverse("advisory:days_public"), None
    yield reverse("advisory:programmes_public"), None
    for day in selectors.public_days(limit=1000):
        yield day.get_absolute_url(), None
