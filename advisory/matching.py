"""The funding-programme matcher: which programmes fit a company and a project, and why (not).

Pure logic over already loaded programmes; the selector ``programmes_matched`` loads them.
Each criterion yields a reason; a single "against" reason means the programme does not fit.
Ended (or paused, or past their end date) programmes never fit.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from advisory.models import FundingProgramme

# Districts of the chamber lie in NRW: a programme limited to a region matches "NRW" only.
HOME_REGION = "NRW"


@dataclass(frozen=True)
class CompanyProfile:
    employees: int | None = None
    wz_section: str = ""
    district: str = ""
    region: str = HOME_REGION


@dataclass(frozen=True)
class ProjectProfile:
    topic_ids: frozenset[int] = frozenset()
    budget: Decimal | None = None
    starts_on: datetime.date | None = None


@dataclass
class Match:
    programme: FundingProgramme
    reasons_for: list[str] = field(default_factory=list)
    reasons_against: list[str] = field(default_factory=list)
    score: int = 0

    @property
    def fits(self) -> bool:
        return not self.reasons_against


def _euro(amount) -> str:
    return f"{amount:,.0f} €".replace(",", ".")


def match_programme(
    programme: FundingProgramme, company: CompanyProfile, project: ProjectProfile, today: datetime.date
) -> Match:
    match = Match(programme=programme)
    start = project.starts_on or today
    # status and dates
    if programme.status == FundingProgramme.Status.ENDED:
        match.reasons_against.append(_("Programm ist beendet"))
    elif programme.status == FundingProgramme.Status.PAUSED:
        match.reasons_against.append(_("Programm nimmt derzeit keine Anträge an"))
    elif programme.ends_on and programme.ends_on < today:
        match.reasons_against.append(
            _("Antragsfrist endete am %(date)s") % {"date": programme.ends_on.strftime("%d.%m.%Y")}
        )
    elif programme.ends_on and programme.ends_on < start:
        match.reasons_against.append(
            _("läuft nur bis %(date)s, das Projekt beginnt später") % {"date": programme.ends_on.strftime("%d.%m.%Y")}
        )
    elif programme.status == FundingProgramme.Status.PLANNED and programme.starts_on and programme.starts_on > start:
        match.reasons_against.append(_("startet erst am %(date)s") % {"date": programme.starts_on.strftime("%d.%m.%Y")})
    else:
        match.reasons_for.append(_("Antrag derzeit möglich"))
    # applicant type
    if not programme.companies_eligible:
        match.reasons_against.append(
            _("nur für %(applicants)s, nicht für bestehende Unternehmen")
            % {"applicants": programme.applicants or _("andere Antragsteller")}
        )
    # size
    if company.employees is not None:
        if programme.max_employees is not None and company.employees > programme.max_employees:
            match.reasons_against.append(_("mehr als %(max)s Beschäftigte") % {"max": programme.max_employees})
        elif programme.min_employees is not None and company.employees < programme.min_employees:
            match.reasons_against.append(_("weniger als %(min)s Beschäftigte") % {"min": programme.min_employees})
        elif programme.max_employees is not None or programme.min_employees is not None:
            match.reasons_for.append(_("Unternehmensgröße passt"))
            match.score += 2
    elif programme.max_employees is not None:
        match.reasons_for.append(_("Größe prüfen: höchstens %(max)s Beschäftigte") % {"max": programme.max_employees})
    # sector
    sectors = [s.strip().upper() for s in programme.sectors.split(",") if s.strip()]
    if sectors and company.wz_section:
        if company.wz_section.upper() in sectors:
            match.reasons_for.append(_("Branche passt"))
            match.score += 1
        else:
            match.reasons_against.append(
                _("Branche (WZ-Abschnitt %(section)s) ist nicht gefördert") % {"section": company.wz_section}
            )
    # region
    if programme.region:
        if programme.region.strip().upper() == (company.region or "").strip().upper():
            match.reasons_for.append(_("Landesprogramm für %(region)s") % {"region": programme.region})
            match.score += 1
        else:
            match.reasons_against.append(_("nur in %(region)s") % {"region": programme.region})
    # topics
    programme_topics = {t.pk for t in programme.topics.all()}
    programme_areas = {t.parent_id for t in programme.topics.all() if t.parent_id}
    if project.topic_ids:
        common = programme_topics & set(project.topic_ids)
        if common:
            match.reasons_for.append(_("Thema passt"))
            match.score += 5
        elif programme_areas & set(project.topic_ids) or programme_topics & set(project.topic_ids):
            match.score += 1
        else:
            match.score -= 3
            match.reasons_for.append(_("Thema nur am Rande"))
    # budget
    if project.budget is not None and programme.max_project_budget is not None:
        if project.budget > programme.max_project_budget:
            match.reasons_against.append(
                _("Projektvolumen über %(max)s") % {"max": _euro(programme.max_project_budget)}
            )
    if project.budget is not None and programme.max_amount is not None and programme.max_rate_percent:
        grant = min(project.budget * programme.max_rate_percent / 100, programme.max_amount)
        match.reasons_for.append(_("Zuschuss bis etwa %(amount)s") % {"amount": _euro(grant)})
        match.score += 1
    if programme.max_rate_percent:
        match.score += programme.max_rate_percent // 25
    return match


def rank_programmes(programmes, company: CompanyProfile, project: ProjectProfile, today: datetime.date) -> list[Match]:
    matches = [match_programme(p, company, project, today) for p in programmes]
    matches.sort(key=lambda m: (not m.fits, -m.score, m.programme.short_name))
    return matches
