"""A person's own things across every module: the personal area and the "send me my links" mail.

Each module registers a section in its ``personal.py``::

    @register_personal_section("events", title=_("Veranstaltungen"), order=10)
    def registrations(email: str) -> list[PersonalItem]:
        ...

The provider gets the lower-cased e-mail address of the person (a logged-in user's address, or
the address a "send me my links" mail went to) and returns their items, each with the actions the
module allows (cancel, move, download .ics, unsubscribe …), linked to the module's own pages –
usually the personal-token pages the person already got by mail. Core assembles the page and the
mail; it never imports a module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from core.registry import discover


@dataclass(frozen=True)
class PersonalAction:
    label: str
    url: str  # absolute path or URL
    method: str = "get"  # "post" renders a button in a form (CSRF-protected)
    download: bool = False


@dataclass(frozen=True)
class PersonalItem:
    title: str
    status: str = ""  # e.g. "bestätigt", "Warteliste, Platz 3"
    when: object = None  # a datetime or date shown in German format
    detail: str = ""
    url: str = ""  # the item's own page (a token page), if any
    actions: tuple[PersonalAction, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PersonalSection:
    key: str
    title: str
    provider: Callable[[str], list[PersonalItem]]
    order: int = 100


_SECTIONS: dict[str, PersonalSection] = {}


def register_personal_section(key: str, *, title, order: int = 100):
    def decorator(provider: Callable[[str], list[PersonalItem]]):
        _SECTIONS[key] = PersonalSection(key=key, title=title, provider=provider, order=order)
        return provider

    return decorator


def personal_sections_for(email: str) -> list[tuple[PersonalSection, list[PersonalItem]]]:
    """Every registered section with the person's items (sections without items included)."""
    discover()
    email = (email or "").strip().lower()
    return [
        (section, list(section.provider(email)) if email else [])
        for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    ]
