"""What every part of the competition's services shares: the refusals, the edition lock, links."""

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from competition.models import Edition
from core.errors import ServiceError, StateConflict


class CompetitionRefused(ServiceError):
    """A refusal of the competition; the message is for the user, nothing was changed."""

    default_code = "refused"


class RegistrationRefused(CompetitionRefused):
    default_code = "registration_refused"


class ScoringRefused(CompetitionRefused):
    default_code = "scoring_refused"


def lock_edition(edition: Edition) -> Edition:
    """Serialise the writes that count or number within an edition (SQLite: the IMMEDIATE transaction)."""
    return Edition.objects.select_for_update().get(pk=edition.pk)


def refuse_if_published(edition: Edition) -> None:
    """Read from the database: the edition object a caller holds may be older than the publication."""
    if Edition.objects.filter(pk=edition.pk, results_published_at__isnull=False).exists():
        raise StateConflict(_("Die Ergebnisse dieser Runde sind veröffentlicht; daran ändert sich nichts mehr."))


def link(path: str) -> str:
    return settings.SITE_URL + path


def german_date(day) -> str:
    return formats.date_format(day, "d.m.Y")
