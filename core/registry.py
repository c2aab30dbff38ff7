"""Registries through which every module plugs into shared features.

Each app may ship any of these modules, discovered like ``admin.py``:

- ``figures.py``  – named yearly figures for the annual report (``core.figures``)
- ``privacy.py``  – export and erasure of a person's data (``core.privacy``)
- ``timeline.py`` – entries on an organisation's timeline (``core.timeline``)
- ``demo.py``     – demo data for ``manage.py seed_demo`` (``core.demo``)
- ``schedule.py`` – recurring jobs for the worker's scheduler (``core.scheduler``)
- ``navigation.py`` – menu entries (``core.navigation``)
- ``startpage.py`` – blocks on the logged-in start page and on the public home page (``core.startpage``)
- ``personal.py`` – a person's own registrations, bookings, subscriptions (``core.personal``)
- ``sitemaps.py`` – public pages for ``/sitemap.xml`` (``core.sitemaps``)

A registry is a plain dict filled at import time; ``discover()`` imports the
modules once per process.
"""

from django.utils.module_loading import autodiscover_modules

DISCOVERED_MODULES = (
    "figures", "privacy", "timeline", "demo", "schedule", "navigation", "startpage", "personal", "sitemaps",
)  # fmt: skip
_discovered = False


def discover() -> None:
    global _discovered
    if _discovered:
        return
    for module_name in DISCOVERED_MODULES:
        autodiscover_modules(module_name)
    _discovered = True
