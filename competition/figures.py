"""The annual report's figures of the regional round held in a year (the 34th round: February 2020).

Only projects whose registration is complete count (withdrawn and still pending ones do not).
"""

from django.utils.translation import gettext_lazy as _

from advisory import selectors as advisory_selectors
from competition import selectors
from competition.models import Division, SubjectArea
from core.figures import register_figure


@register_figure("competition.edition_number", _("Jugend forscht: Nummer des Regionalwettbewerbs"))
def edition_number(year: int) -> int | None:
    return selectors.edition_number(year)


@register_figure(
    "competition.patent_advice_pupils", _("Jugend forscht: Schülerinnen und Schüler in der Patentberatung")
)
def patent_advice_pupils(year: int) -> int:
    return advisory_selectors.pupil_patent_bookings(year)


@register_figure("competition.participants", _("Jugend forscht: Schülerinnen und Schüler"))
def participants(year: int) -> int:
    return selectors.participants_count(year)


@register_figure("competition.projects", _("Jugend forscht: Projekte"))
def projects(year: int) -> int:
    return selectors.projects_count(year)


@register_figure("competition.girls", _("Jugend forscht: Teilnehmerinnen"))
def girls(year: int) -> int:
    return selectors.girls_count(year)


@register_figure("competition.girls_share", _("Jugend forscht: Anteil der Mädchen"), unit="%")
def girls_share(year: int) -> float | None:
    total = selectors.participants_count(year)
    return round(100 * selectors.girls_count(year) / total, 1) if total else None


@register_figure("competition.schools", _("Jugend forscht: teilnehmende Schulen"))
def schools(year: int) -> int:
    return selectors.schools_count(year)


@register_figure("competition.districts", _("Jugend forscht: Kreise mit teilnehmenden Schulen"))
def districts(year: int) -> int:
    return selectors.districts_count(year)


@register_figure("competition.prizes", _("Jugend forscht: Preise (1.–3. Platz)"))
def prizes(year: int) -> int:
    return selectors.prizes_count(year)


@register_figure("competition.first_prizes", _("Jugend forscht: erste Preise"))
def first_prizes(year: int) -> int:
    return selectors.prizes_count(year, place=1)


@register_figure("competition.special_prizes", _("Jugend forscht: Sonderpreise"))
def special_prizes(year: int) -> int:
    return selectors.special_prizes_count(year)


@register_figure("competition.forwarded", _("Jugend forscht: zum Landeswettbewerb weitergeleitete Projekte"))
def forwarded(year: int) -> int:
    return selectors.projects_count(year, forwarded=True)


def _division_figures(division: str, label_projects, label_participants) -> None:
    register_figure(f"competition.projects.{division}", label_projects)(
        lambda year: selectors.projects_count(year, division=division)
    )
    register_figure(f"competition.participants.{division}", label_participants)(
        lambda year: selectors.participants_count(year, division=division)
    )


_division_figures(
    Division.JUNIOR, _("Jugend forscht: Projekte der Juniorsparte"), _("Jugend forscht: Teilnehmende der Juniorsparte")
)
_division_figures(
    Division.SENIOR,
    _("Jugend forscht: Projekte der Sparte Jugend forscht"),
    _("Jugend forscht: Teilnehmende der Sparte Jugend forscht"),
)

AREA_LABELS = {
    SubjectArea.WORK: _("Jugend forscht: Projekte Arbeitswelt"),
    SubjectArea.BIOLOGY: _("Jugend forscht: Projekte Biologie"),
    SubjectArea.CHEMISTRY: _("Jugend forscht: Projekte Chemie"),
    SubjectArea.GEO: _("Jugend forscht: Projekte Geo- und Raumwissenschaften"),
    SubjectArea.MATHS: _("Jugend forscht: Projekte Mathematik/Informatik"),
    SubjectArea.PHYSICS: _("Jugend forscht: Projekte Physik"),
    SubjectArea.TECHNOLOGY: _("Jugend forscht: Projekte Technik"),
}
for _area, _label in AREA_LABELS.items():
    register_figure(f"competition.projects.{_area.replace('-', '_')}", _label)(
        lambda year, area=_area: selectors.projects_count(year, subject_area=area)
    )
