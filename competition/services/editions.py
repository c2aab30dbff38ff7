"""Editions (rounds) and their rubric."""

import datetime
from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from competition.models import Criterion, Edition, ScoreSheet
from competition.services.base import CompetitionRefused, german_date
from core.errors import StateConflict

# An example rubric after the published guiding questions (FACTS.md §3); the national form's
# criteria and weights are not public, so staff set them per edition.
DEFAULT_CRITERIA = [
    (
        "Thema und Fragestellung",
        "Originalität und Relevanz; eine Frage, die sich wissenschaftlich untersuchen lässt",
        2,
    ),
    ("Vorgehen und Methode", "logischer Aufbau, Stand der Forschung, sauberes Experimentieren", 3),
    ("Ergebnisse und Diskussion", "Daten und Schlussfolgerungen, Fehlerbetrachtung, Ausblick", 3),
    ("Eigenständigkeit", "Eigenanteil und Kreativität", 2),
    ("Präsentation und Jurygespräch", "Stand, Vortrag, Antworten im Gespräch", 2),
]


@dataclass
class EditionData:
    number: int
    year: int
    contest_date: datetime.date
    venue: str
    registration_deadline: datetime.date
    written_work_deadline: datetime.date
    prescore_deadline: datetime.date
    retention_until: datetime.date
    junior_name: str = "Jugend forscht junior"
    max_pages: int = 20
    max_upload_mb: int = 10
    interviews_start: datetime.time = datetime.time(9, 0)
    interview_minutes: int = 15
    interview_gap_minutes: int = 5


def default_dates(year: int) -> dict:
    """The usual calendar of a round: registration until 30 November of the year before, the written work
    in mid-January, the regional contest in February, the data kept until the end of the contest year."""
    contest = datetime.date(year, 2, 20)
    return {
        "registration_deadline": datetime.date(year - 1, 11, 30),
        "written_work_deadline": datetime.date(year, 1, 15),
        "prescore_deadline": contest - datetime.timedelta(days=2),
        "contest_date": contest,
        "retention_until": datetime.date(year, 12, 31),
    }


def _check(data: EditionData) -> None:
    if not data.venue.strip():
        raise CompetitionRefused(_("Bitte geben Sie den Ort des Wettbewerbs an."), field="venue")
    if data.contest_date.year != data.year:
        raise CompetitionRefused(
            _("Der Wettbewerbstag muss im Wettbewerbsjahr %(year)s liegen.") % {"year": data.year},
            field="contest_date",
        )
    order = [
        ("registration_deadline", _("Anmeldeschluss")),
        ("written_work_deadline", _("Abgabe der schriftlichen Arbeit")),
        ("prescore_deadline", _("Vorbewertung der Jury")),
        ("contest_date", _("Wettbewerbstag")),
        ("retention_until", _("Löschung der Daten")),
    ]
    for (earlier, earlier_label), (later, later_label) in zip(order, order[1:], strict=False):
        if getattr(data, earlier) > getattr(data, later):
            raise CompetitionRefused(
                _("„%(later)s“ (%(later_date)s) liegt vor „%(earlier)s“ (%(earlier_date)s).")
                % {
                    "later": later_label,
                    "later_date": german_date(getattr(data, later)),
                    "earlier": earlier_label,
                    "earlier_date": german_date(getattr(data, earlier)),
                },  # fmt: skip
                field=later,
            )
    if not 1 <= data.max_pages <= 200:
        raise CompetitionRefused(_("Die Seitenzahl muss zwischen 1 und 200 liegen."), field="max_pages")
    if not 1 <= data.max_upload_mb <= 50:
        raise CompetitionRefused(_("Die Dateigröße muss zwischen 1 und 50 MB liegen."), field="max_upload_mb")


def edition_save(*, edition: Edition | None = None, data: EditionData) -> Edition:
    """Create a round (with the example rubric) or change its dates and limits."""
    _check(data)
    with transaction.atomic():
        creating = edition is None
        edition = edition or Edition()
        for name, value in asdict(data).items():
            setattr(edition, name, value)
        try:
            with transaction.atomic():
                edition.save()
        except IntegrityError:
            raise CompetitionRefused(
                _("Es gibt schon eine Runde mit dieser Nummer oder in diesem Jahr."), field="number"
            ) from None
        if creating:
            Criterion.objects.bulk_create(
                Criterion(edition=edition, name=name, description=description, weight=weight, position=index)
                for index, (name, description, weight) in enumerate(DEFAULT_CRITERIA)
            )
    return edition


def _refuse_once_scored(edition: Edition) -> None:
    if ScoreSheet.objects.filter(jury__edition=edition).exists():
        raise StateConflict(
            _("Die Jurys haben schon bewertet: der Bewertungsbogen dieser Runde lässt sich nicht mehr ändern.")
        )


def criterion_save(
    *,
    edition: Edition,
    criterion: Criterion | None = None,
    name: str,
    description: str = "",
    weight: int,
    max_points: int,
) -> Criterion:
    name = (name or "").strip()
    if not name:
        raise CompetitionRefused(_("Bitte geben Sie das Kriterium an."), field="name")
    if not 1 <= weight <= 10:
        raise CompetitionRefused(_("Das Gewicht muss zwischen 1 und 10 liegen."), field="weight")
    if not 1 <= max_points <= 100:
        raise CompetitionRefused(_("Die Höchstpunktzahl muss zwischen 1 und 100 liegen."), field="max_points")
    with transaction.atomic():
        _refuse_once_scored(edition)
        criterion = criterion or Criterion(edition=edition, position=edition.criteria.count())
        criterion.name, criterion.description = name, (description or "").strip()
        criterion.weight, criterion.max_points = weight, max_points
        criterion.save()
    return criterion


def criterion_delete(*, criterion: Criterion) -> None:
    with transaction.atomic():
        _refuse_once_scored(criterion.edition)
        if criterion.edition.criteria.count() <= 1:
            raise CompetitionRefused(_("Ein Bewertungsbogen braucht mindestens ein Kriterium."))
        criterion.delete()
