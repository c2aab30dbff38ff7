"""Writes of the climate module: keyword-only, in a transaction, refusing with a :class:`ClimateRefused`."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from climate import hydrogen
from climate.models import (
    CalculatorUse,
    CO2Price,
    EmissionFactor,
    PolicyTalk,
    Publication,
    ReferenceTableVersion,
    SurveyInvitation,
    SurveySubmission,
)
from climate.reference import clear_cache, current_reference, current_version
from contacts.models import Organisation
from core.errors import ServiceError
from core.mail import mail_queue

SURVEY_SALT = "climate.survey"
SURVEY_LINK_MAX_AGE = datetime.timedelta(days=90)
LAST_SWITCH_YEAR = 2050
LANGUAGES = ("de", "en")


class ClimateRefused(ServiceError):
    """A climate service refuses; the message is for the user, nothing was stored."""

    default_code = "climate_refused"


class ReferenceChangeRefused(ClimateRefused):
    default_code = "reference_refused"


class SurveyRefused(ClimateRefused):
    default_code = "survey_refused"


class RecordRefused(ClimateRefused):
    """A policy talk or publication that the model's rules do not allow."""

    default_code = "record_refused"


def _full_clean(instance, error_class: type[ClimateRefused]) -> None:
    """The model's own checks, refused as a :class:`ClimateRefused` naming the first field concerned."""
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise error_class(" ".join(messages), field=None if field == NON_FIELD_ERRORS else field) from None


# --- calculator usage (no personal data) -------------------------------------------


def calculator_use_count(*, today: datetime.date | None = None) -> None:
    """Add one to this month's counter: no IP, no cookie, no content of the calculation."""
    month = (today or timezone.localdate()).replace(day=1)
    if not CalculatorUse.objects.filter(month=month).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                CalculatorUse.objects.create(month=month, count=1)
        except IntegrityError:
            CalculatorUse.objects.filter(month=month).update(count=F("count") + 1)


# --- reference tables ----------------------------------------------------------------


def _locked_current_version() -> ReferenceTableVersion:
    """The current version, locked until the new one is written.

    Two changes at once would both copy the same version, and the later one would silently drop
    the earlier one's change; so the second waits, sees that the version it copied is no longer
    current, and is refused.
    """
    base = current_version()
    ReferenceTableVersion.objects.select_for_update().filter(pk=base.pk).first()
    if current_version().pk != base.pk:
        raise ReferenceChangeRefused(
            _(
                "Inzwischen hat jemand eine neue Version der Referenztabellen angelegt. Bitte prüfen Sie die Werte "
                "und senden Sie Ihre Änderung erneut."
            ),
            code="conflict",
        )
    return base


def _version_copy(
    base: ReferenceTableVersion, *, label: str, valid_from, note: str, source: str, user
) -> ReferenceTableVersion:
    label = label.strip()
    if not label:
        raise ReferenceChangeRefused(_("Bitte geben Sie der neuen Version eine Bezeichnung."), field="label")
    if ReferenceTableVersion.objects.filter(label=label).exists():
        raise ReferenceChangeRefused(_("Eine Version mit dieser Bezeichnung gibt es schon."), field="label")
    version = ReferenceTableVersion.objects.create(
        label=label, valid_from=valid_from, note=note, source=source, based_on=base, created_by=user
    )
    CO2Price.objects.bulk_create(
        CO2Price(
            version=version,
            year=p.year,
            kind=p.kind,
            low=p.low,
            mid=p.mid,
            high=p.high,
            legal_basis=p.legal_basis,
            status=p.status,
            source=p.source,
        )  # fmt: skip
        for p in base.prices.all()
    )
    EmissionFactor.objects.bulk_create(
        EmissionFactor(
            version=version,
            regulation=f.regulation,
            first_year=f.first_year,
            last_year=f.last_year,
            nr=f.nr,
            fuel_de=f.fuel_de,
            fuel_en=f.fuel_en,
            conversion_text=f.conversion_text,
            density_t_per_1000l=f.density_t_per_1000l,
            hi_gj_per_t=f.hi_gj_per_t,
            gj_per_mwh_hs=f.gj_per_mwh_hs,
            ef_t_per_gj=f.ef_t_per_gj,
            source=f.source,
        )  # fmt: skip
        for f in base.factors.all()
    )
    return version


@transaction.atomic
def reference_price_set(
    *, user, label: str, valid_from, note: str, year: int, kind: str, low: Decimal, mid: Decimal, high: Decimal,
    legal_basis: str, status: str = "", source: str = "",
) -> ReferenceTableVersion:  # fmt: skip
    """A new version: the current tables with the price of ``year`` set (or added)."""
    if not 2021 <= year <= 2100:
        raise ReferenceChangeRefused(_("Bitte wählen Sie ein Jahr zwischen 2021 und 2100."), field="year")
    if kind not in CO2Price.Kind.values:
        raise ReferenceChangeRefused(_("Bitte wählen Sie eine Art des Preises aus der Liste."), field="kind")
    if not (0 <= low <= mid <= high):
        raise ReferenceChangeRefused(_("Es muss gelten: 0 ≤ niedrig ≤ mittel ≤ hoch."), field="mid")
    base = _locked_current_version()
    version = _version_copy(
        base, label=label, valid_from=valid_from, note=note, user=user,
        source=f"{base.source[:200]} – {year}: {legal_basis}",
    )  # fmt: skip
    CO2Price.objects.update_or_create(
        version=version, year=year,
        defaults={"kind": kind, "low": low, "mid": mid, "high": high, "legal_basis": legal_basis, "status": status,
                  "source": source},
    )  # fmt: skip
    clear_cache()
    return version


@transaction.atomic
def reference_factor_set(
    *, user, label: str, valid_from, note: str, factor_id: int, ef_t_per_gj: Decimal,
    hi_gj_per_t: Decimal | None, density_t_per_1000l: Decimal | None, source: str,
) -> ReferenceTableVersion:  # fmt: skip
    """A new version: the current tables with one EBeV row changed."""
    if ef_t_per_gj <= 0:
        raise ReferenceChangeRefused(_("Der Emissionsfaktor muss größer als null sein."), field="ef_t_per_gj")
    base = _locked_current_version()
    old = EmissionFactor.objects.filter(pk=factor_id, version=base).first()
    if old is None:
        raise ReferenceChangeRefused(_("Bitte wählen Sie eine Zeile der aktuellen Version."), field="factor")
    version = _version_copy(
        base, label=label, valid_from=valid_from, note=note, user=user,
        source=f"{base.source[:200]} – {old.regulation} Nr. {old.nr}: {source}",
    )  # fmt: skip
    changes = {"ef_t_per_gj": ef_t_per_gj, "source": source}
    if hi_gj_per_t is not None:
        changes["hi_gj_per_t"] = hi_gj_per_t
    if density_t_per_1000l is not None:
        changes["density_t_per_1000l"] = density_t_per_1000l
    EmissionFactor.objects.filter(version=version, regulation=old.regulation, nr=old.nr).update(**changes)
    clear_cache()
    return version


# --- survey --------------------------------------------------------------------------


def survey_token(invitation: SurveyInvitation) -> str:
    """The signed token of an invitation's personal link (read back by ``climate.access``)."""
    return signing.dumps({"i": invitation.pk, "o": invitation.organisation_id}, salt=SURVEY_SALT, compress=True)


@transaction.atomic
def survey_invitation_create(
    *, organisation: Organisation, email: str, name: str = "", language: str = "de", user
) -> SurveyInvitation:
    """Store the invitation and queue the mail with the personal link (in the recipient's language)."""
    if language not in LANGUAGES:
        raise SurveyRefused(_("Bitte wählen Sie Deutsch oder Englisch."), field="language")
    email = email.strip().lower()
    if not email:
        raise SurveyRefused(_("Bitte geben Sie eine E-Mail-Adresse an."), field="email")
    invitation = SurveyInvitation.objects.create(
        organisation=organisation, email=email, name=name.strip(), language=language, created_by=user
    )
    link = settings.SITE_URL + reverse("climate:survey_token", kwargs={"token": survey_token(invitation)})
    mail_queue(
        to=invitation.email,
        template="climate_survey_invitation",
        context={
            "name": invitation.name,
            "organisation": organisation.name,
            "link": link,
            "days": SURVEY_LINK_MAX_AGE.days,
        },  # fmt: skip
        language=language,
        reference=f"climate.survey_invitation:{invitation.pk}",
    )
    return invitation


@transaction.atomic
def survey_invitation_revoke(*, invitation: SurveyInvitation) -> SurveyInvitation:
    """The personal link stops working at once; revoking twice changes nothing."""
    invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def survey_submit(
    *, organisation: Organisation, contact_name: str, contact_email: str, natural_gas_kwh: Decimal | None,
    heating_oil_l: Decimal | None, switch_year: int, switch_share: int, can_host: bool, needs_connection: bool,
    note: str = "", user=None, invitation: SurveyInvitation | None = None,
) -> SurveySubmission:  # fmt: skip
    """Store a company's answer; it supersedes the company's earlier answers (the organisation is locked)."""
    if not 1 <= switch_share <= 100:
        raise SurveyRefused(_("Der Anteil muss zwischen 1 und 100 Prozent liegen."), field="switch_share")
    if not timezone.localdate().year <= switch_year <= LAST_SWITCH_YEAR:
        raise SurveyRefused(
            _("Bitte wählen Sie ein Umstiegsjahr bis %(last)s.") % {"last": LAST_SWITCH_YEAR}, field="switch_year"
        )
    gas = natural_gas_kwh or Decimal(0)
    oil = heating_oil_l or Decimal(0)
    if gas < 0 or oil < 0 or not (gas or oil):
        raise SurveyRefused(_("Bitte geben Sie Ihren heutigen Erdgas- oder Heizölverbrauch an."))
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    SurveySubmission.objects.filter(organisation=organisation, is_current=True).update(is_current=False)
    demand_t = hydrogen.survey_demand_tonnes(
        current_reference(), natural_gas_kwh=gas, heating_oil_l=oil, switch_share=switch_share
    )
    return SurveySubmission.objects.create(
        organisation=organisation, district_id=organisation.district_id, wz_section=organisation.wz_section,
        contact_name=contact_name.strip(), contact_email=contact_email.strip().lower(), submitted_by=user,
        invitation=invitation, natural_gas_kwh=gas, heating_oil_l=oil, switch_year=switch_year,
        switch_share=switch_share, h2_demand_t=demand_t, can_host=can_host, needs_connection=needs_connection,
        note=note.strip(),
    )  # fmt: skip


# --- policy work -----------------------------------------------------------------------


@transaction.atomic
def policy_talk_save(
    *, talk: PolicyTalk | None = None, user, date: datetime.date, institution: str, people: str, topic: str,
    outcome: str = "",
) -> PolicyTalk:  # fmt: skip
    """Log a new policy talk (``talk=None``) or change one."""
    if talk is None:
        talk = PolicyTalk(created_by=user)
    else:
        talk = PolicyTalk.objects.select_for_update().get(pk=talk.pk)
    talk.date, talk.institution, talk.people, talk.topic, talk.outcome = date, institution, people, topic, outcome
    _full_clean(talk, RecordRefused)
    talk.save()
    return talk


@transaction.atomic
def publication_save(
    *, publication: Publication | None = None, title: str, kind: str, published_on: datetime.date,
    authors: str = "", summary: str = "", file=None, is_public: bool = True,
) -> Publication:  # fmt: skip
    """Add a publication (``publication=None``) or change one.

    ``file``: an upload replaces the PDF, ``False`` removes it, ``None`` keeps it.
    """
    if publication is None:
        publication = Publication()
    else:
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publication.title, publication.kind, publication.published_on = title, kind, published_on
    publication.authors, publication.summary, publication.is_public = authors, summary, is_public
    if file is not None:
        publication.file = file or ""
    _full_clean(publication, RecordRefused)
    publication.save()
    return publication
