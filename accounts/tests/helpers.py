"""Small helpers shared by the accounts tests."""

import re

from django.conf import settings

from core.models import OutgoingMail

LINK_RE = re.compile(r"https?://\S+")


def link_in(mail: OutgoingMail) -> str:
    """The site-relative path of the (only) link of our site in a queued mail's text."""
    links = [link for link in LINK_RE.findall(mail.body_text) if link.startswith(settings.SITE_URL + "/")]
    assert len(set(links)) == 1, links
    path = links[0][len(settings.SITE_URL) :]
    assert path in mail.body_html  # the HTML part carries the same link
    return path
