"""The personal-data registry (GDPR Art. 15 and 17).

Every module that stores data about a person registers a provider that can
export it and erase it. Erasure deletes what no law requires us to keep and
anonymises the rest (records that feed the annual statistics keep their date
and type but lose every name, address and free text).

A person is identified by e-mail address; ``person`` is the contacts record
when there is one. Providers must match on both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from core.registry import discover

ANONYMISED = "anonymisiert"


@dataclass(frozen=True)
class DataSubject:
    email: str
    person: Any = None  # contacts.Person | None

    @property
    def normalised_email(self) -> str:
        return self.email.strip().lower()


@dataclass(frozen=True)
class PrivacyProvider:
    name: str
    export: Callable[[DataSubject], Any]
    erase: Callable[[DataSubject], int]


_PROVIDERS: dict[str, PrivacyProvider] = {}


def register_privacy(name: str, *, export: Callable, erase: Callable) -> None:
    _PROVIDERS[name] = PrivacyProvider(name=name, export=export, erase=erase)


def privacy_providers() -> list[PrivacyProvider]:
    discover()
    return [_PROVIDERS[name] for name in sorted(_PROVIDERS)]


def personal_data_export(subject: DataSubject) -> dict[str, Any]:
    """Everything Kammerwerk holds about one person, as JSON-serialisable data."""
    return {provider.name: provider.export(subject) for provider in privacy_providers()}


def personal_data_erase(subject: DataSubject) -> dict[str, int]:
    """Erase or anonymise a person everywhere, all or nothing."""
    with transaction.atomic():
        return {provider.name: provider.erase(subject) for provider in privacy_providers()}


def _register_core_provider():
    """The outbox holds what we sent to a person: part of their data."""
    from core.models import OutgoingMail

    def export(subject: DataSubject):
        mails = OutgoingMail.objects.filter(to_email__iexact=subject.normalised_email).order_by("created_at")
        return [
            {
                "to": m.to_email,
                "subject": m.subject,
                "status": m.status,
                "created_at": m.created_at,
                "sent_at": m.sent_at,
            }
            for m in mails
        ]

    def erase(subject: DataSubject) -> int:
        deleted, _ = OutgoingMail.objects.filter(to_email__iexact=subject.normalised_email).delete()
        return deleted

    register_privacy("mail", export=export, erase=erase)


_register_core_provider()
