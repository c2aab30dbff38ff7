"""The site-wide sitemap (``/sitemap.xml``) and ``/robots.txt``, registered by each app in ``sitemaps.py``.

An app lists its public pages (discovered like ``figures.py``, see :mod:`core.registry`)::

    from core.sitemaps import register_sitemap

    @register_sitemap("portal")
    def entries():
        yield reverse("portal:search"), None            # (path, last modified date or None)
        for slug, updated in ...:
            yield reverse("portal:offer_detail", args=[slug]), updated.date()

``/sitemap.xml`` lists every entry of every app in one ``urlset`` while they fit into one file
(45,000 URLs; the protocol allows 50,000); beyond that it becomes a ``sitemapindex`` of
``/sitemap-<app>-<n>.xml`` files. ``/robots.txt`` names the sitemap.
"""

import datetime
from collections.abc import Callable, Iterable
from itertools import islice
from xml.sax.saxutils import escape

from django.http import Http404, HttpResponse
from django.urls import reverse

from core.registry import discover

MAX_URLS = 45_000
_SECTIONS: dict[str, Callable[[], Iterable[tuple[str, datetime.date | None]]]] = {}


def register_sitemap(name: str):
    """``@register_sitemap("events")`` on a function yielding ``(path, lastmod)`` of public pages."""

    def decorator(function):
        _SECTIONS[name] = function
        return function

    return decorator


def sitemap_sections() -> dict[str, Callable]:
    discover()
    return dict(sorted(_SECTIONS.items()))


def _entries(name: str) -> list[tuple[str, datetime.date | None]]:
    return list(sitemap_sections()[name]())


def _lastmod(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"<lastmod>{value.isoformat()}</lastmod>"


def _urlset(request, entries: Iterable[tuple[str, datetime.date | None]]) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(f"<url><loc>{escape(base + path)}</loc>{_lastmod(lastmod)}</url>" for path, lastmod in entries),
        "</urlset>",
    ]
    return _xml("\n".join(lines))


def _xml(text: str) -> HttpResponse:
    response = HttpResponse(text, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def sitemap(request):
    """Every public page of every app, or (past 45,000 URLs) an index of per-app files."""
    sections = {name: _entries(name) for name in sitemap_sections()}
    if sum(len(entries) for entries in sections.values()) <= MAX_URLS:
        return _urlset(request, (entry for entries in sections.values() for entry in entries))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for name, entries in sections.items():
        for number in range(1, (len(entries) - 1) // MAX_URLS + 2):
            url = request.build_absolute_uri(reverse("core:sitemap_section", args=[name, number]))
            lines.append(f"<sitemap><loc>{escape(url)}</loc></sitemap>")
    lines.append("</sitemapindex>")
    return _xml("\n".join(lines))


def sitemap_section(request, section: str, number: int):
    """One file of the index: up to 45,000 entries of one app."""
    if section not in sitemap_sections() or number < 1:
        raise Http404
    entries = _entries(section)
    if number > 1 and (number - 1) * MAX_URLS >= len(entries):
        raise Http404
    return _urlset(request, islice(entries, (number - 1) * MAX_URLS, number * MAX_URLS))


def robots(request):
    """Crawlers may read every public page; the sitemap lists them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('core:sitemap'))}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@register_sitemap("core")
def _core_entries():
    """The start page and the legal pages."""
    for name in ("core:home", "core:imprint", "core:privacy", "core:accessibility"):
        yield reverse(name), None
