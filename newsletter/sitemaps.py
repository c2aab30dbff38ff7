"""The newsletter's sign-up pages and its public archive, for ``/sitemap.xml`` (``core.sitemaps``)."""

from django.urls import reverse

from core.sitemaps import register_sitemap
from newsletter import selectors


@register_sitemap("newsletter")
def entries():
    yield reverse("newsletter:index"), None
    yield reverse("newsletter:archive"), None
    for newsletter_list in selectors.public_lists():
        yield reverse("newsletter:subscribe", args=[newsletter_list.slug]), None
    for issue in selectors.archive_issues(limit=500):
        yield reverse("newsletter:archive_detail", args=[issue.pk]), None
