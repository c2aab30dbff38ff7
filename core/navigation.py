"""Menu entries, registered by each app in its ``navigation.py``.

``area`` is "public" (site header) or "staff" (the back-office menu); an entry
with ``roles`` is shown only to users holding one of them.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.registry import discover


@dataclass(frozen=True)
class NavEntry:
    label: object
    url_name: str
    area: str = "public"
    roles: tuple[str, ...] = ()
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register_nav(label, url_name: str, *, area: str = "public", roles: tuple[str, ...] = (), order: int = 100):
    global _RESOLVED
    _ENTRIES.append(NavEntry(label=label, url_name=url_name, area=area, roles=roles, order=order))
    _RESOLVED = None
    _TRANSLATED.clear()


def _resolved() -> list[tuple[NavEntry, str]]:
    """Every entry with its URL, reversed once per process (URLs do not depend on the user)."""
    global _RESOLVED
    if _RESOLVED is None:
        discover()
        resolved = []
        for entry in sorted(_ENTRIES, key=lambda e: (e.order, str(e.url_name))):
            try:
                resolved.append((entry, reverse(entry.url_name)))
            except NoReverseMatch:
                continue
        _RESOLVED = resolved
    return _RESOLVED


_RESOLVED: list[tuple[NavEntry, str]] | None = None


_TRANSLATED: dict[str | None, list[tuple[NavEntry, str, str]]] = {}


def _translated() -> list[tuple[NavEntry, str, str]]:
    """``_resolved()`` with each label translated, once per process and language (catalogs do not change
    while the process runs): two menus of up to twenty lazy labels cost every page a gettext each."""
    language = translation.get_language()
    entries = _TRANSLATED.get(language)
    if entries is None or len(entries) != len(_resolved()):
        entries = _TRANSLATED[language] = [(entry, url, str(entry.label)) for entry, url in _resolved()]
    return entries


def current_nav_url(items: list[dict], path: str) -> str | None:
    """The URL of the menu entry for the page at ``path`` (marked as the current one), if it has one."""
    return next((item["url"] for item in items if item["url"] == path), None)


def nav_for(user, area: str) -> list[dict]:
    roles = user.roles if user.is_authenticated else frozenset()
    return [
        {"label": label, "url": url, "url_name": entry.url_name}
        for entry, url, label in _translated()
        if entry.area == area and (not entry.roles or roles & set(entry.roles))
    ]


def _register_core_entries():
    from django.utils.translation import gettext_lazy as _

    from core.roles import Role

    register_nav(_("Kennzahlen"), "core:figures", area="staff", roles=(Role.STAFF,), order=5)
    register_nav(_("Postausgang"), "core:mail_log", area="staff", roles=(Role.STAFF,), order=92)


_register_core_entries()
