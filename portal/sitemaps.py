"""The portal's public pages for the site-wide ``/sitemap.xml`` (``core.sitemaps``)."""

from django.urls import reverse

from core.sitemaps import register_sitemap
from portal import selectors


@register_sitemap("portal")
def entries():
    """Search, company list, occupations, every published company and every public offer."""
    for name in ("portal:search", "portal:company_list", "portal:occupation_list"):
        yield reverse(name), None
    found = selectors.sitemap_entries()
    prefixes = {name: reverse(name, args=["-"])[:-2] for name in ("portal:company_detail", "portal:offer_detail")}
    for slug, touched in found["companies"]:
        yield f"{prefixes['portal:company_detail']}{slug}/", touched.date()
    for slug, updated in found["offers"]:
        yield f"{prefixes['portal:offer_detail']}{slug}/", updated.date()
    for slug in found["occupations"]:
        yield reverse("portal:occupation_detail", args=[slug]), None
