"""Menu entries, registered by each app in its ``navigation.py``.

``area`` is "public" (site header) or "staff" (the back-office menu); an entry
with ``roles`` is shown only to users holding one of them.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

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
    _ENTRIES.append(NavEntry(label=label, url_name=url_name, area=area, roles=roles, order=order))


def nav_for(user, area: str) -> list[dict]:
    discover()
    items = []
    for entry in sorted(_ENTRIES, key=lambda e: (e.order, str(e.label))):
        if entry.area != area:
            continue
        if entry.roles and not (user.is_authenticated and user.has_role(*entry.roles)):
            continue
        try:
            items.append({"label": entry.label, "url": reverse(entry.url_name), "url_name": entry.url_name})
        except NoReverseMatch:
            continue
    return items


def _register_core_entries():
    from django.utils.translation import gettext_lazy as _

    from accounts.roles import Role

    register_nav(_("Kennzahlen"), "core:figures", area="staff", roles=(Role.STAFF,), order=5)
    register_nav(_("Postausgang"), "core:mail_log", area="staff", roles=(Role.STAFF,), order=92)


_register_core_entries()
