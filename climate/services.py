"""Writes of the climate module: keyword-only, in a transaction."""

import datetime
from decimal import Decimal

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

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
from core.mail import mail_queue

SURVEY_SALT = "climate.survey"
SURVEY_LINK_MAX_AGE = datetime.timedelta(days=90)


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


def _version_copy(
    *, label: str, valid_from, note: str, source: str, user
) -> tuple[ReferenceTableVersion, ReferenceTableVersion]:
    base = current_version()
    version = ReferenceTableVersion.objects.create(
        label=label, valid_from=valid_from, note=note, source=source, based_on=base, created_by=user
    )
    if base is not None:
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
    return base, version


@transaction.atomic
def reference_price_set(
    *, user, label: str, valid_from, note: str, year: int, kind: str, low: Decimal, mid: Decimal, high: Decimal,
    legal_basis: str, status: str = "", source: str = "",
) -> ReferenceTableVersion:  # fmt: skip
    """A new version: the current tables with the price of ``year`` set (or added)."""
    if not (0 <= low <= mid <= high):
        raise ValueError("prices must satisfy 0 <= low <= mid <= high")
    base, version = _version_copy(
        label=label, valid_from=valid_from, note=note, user=user,
        source=f"{base_source()} – {year}: {legal_basis}",
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
        raise ValueError("emission factor must be positive")
    old = EmissionFactor.objects.get(pk=factor_id, version=current_version())
    base, version = _version_copy(
        label=label, valid_from=valid_from, note=note, user=user,
        source=f"{base_source()} – {old.regulation} Nr. {old.nr}: {source}",
    )  # fmt: skip
    changes = {"ef_t_per_gj": ef_t_per_gj, "source": source}
    if hi_gj_per_t is not None:
        changes["hi_gj_per_t"] = hi_gj_per_t
    if density_t_per_1000l is not None:
        changes["density_t_per_1000l"] = density_t_per_1000l
    EmissionFactor.objects.filter(version=version, regulation=old.regulation, nr=old.nr).update(**changes)
    clear_cache()
    return version


def base_source() -> str:
    version = current_version()
    return version.source[:200] if version else ""


# --- survey --------------------------------------------------------------------------


def survey_token(invitation: SurveyInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "o": invitation.organisation_id}, salt=SURVEY_SALT, compress=True)


def survey_invitation_from_token(token: str) -> SurveyInvitation | None:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    invitation = (
        SurveyInvitation.objects.select_related("organisation", "organisation__district")
        .filter(pk=data.get("i"), organisation_id=data.get("o"), revoked_at__isnull=True)
        .first()
    )
    return invitation


@transaction.atomic
def survey_invitation_create(
    *, organisation, email: str, name: str = "", language: str = "de", user
) -> SurveyInvitation:
    from django.conf import settings

    invitation = SurveyInvitation.objects.create(
        organisation=organisation, email=email.strip().lower(), name=name.strip(), language=language, created_by=user
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


def h2_demand_tonnes(*, natural_gas_kwh: Decimal, heating_oil_l: Decimal, switch_share: int) -> Decimal:
    """Hydrogen demand on the LHV basis (t/year) for the share of today's gas and oil a company would switch."""
    reference = current_reference()
    oil_gj = Decimal(0)
    if heating_oil_l:
        oil_gj = heating_oil_l * reference.energy_gj_per_unit("heating_oil", max(reference.prices))
    demand = hydrogen.demand(gas_kwh_hs=natural_gas_kwh or Decimal(0), oil_gj_hi=oil_gj)
    return (demand.total_kg_lhv * Decimal(switch_share) / 100 / 1000).quantize(Decimal("0.001"))


@transaction.atomic
def survey_submit(
    *, organisation, contact_name: str, contact_email: str, natural_gas_kwh: Decimal | None,
    heating_oil_l: Decimal | None, switch_year: int, switch_share: int, can_host: bool, needs_connection: bool,
    note: str = "", user=None, invitation: SurveyInvitation | None = None,
) -> SurveySubmission:  # fmt: skip
    if not 1 <= switch_share <= 100:
        raise ValueError("share must be 1..100")
    gas = natural_gas_kwh or Decimal(0)
    oil = heating_oil_l or Decimal(0)
    if gas < 0 or oil < 0 or not (gas or oil):
        raise ValueError("need a positive gas or oil quantity")
    type(organisation).objects.select_for_update().filter(pk=organisation.pk).first()
    SurveySubmission.objects.filter(organisation=organisation, is_current=True).update(is_current=False)
    return SurveySubmission.objects.create(
        organisation=organisation, district_id=organisation.district_id, wz_section=organisation.wz_section,
        contact_name=contact_name.strip(), contact_email=contact_email.strip().lower(), submitted_by=user,
        invitation=invitation, natural_gas_kwh=gas, heating_oil_l=oil, switch_year=switch_year,
        switch_share=switch_share, h2_demand_t=h2_demand_tonnes(natural_gas_kwh=gas, heating_oil_l=oil,
                                                               switch_share=switch_share),
        can_host=can_host, needs_connection=needs_connection, note=note.strip(),
    )  # fmt: skip


# --- policy work -----------------------------------------------------------------------


def policy_talk_save(*, talk: PolicyTalk, user) -> PolicyTalk:
    if talk.pk is None:
        talk.created_by = user
    talk.full_clean()
    talk.save()
    return talk


def publication_save(*, publication: Publication) -> Publication:
    publication.full_clean()
    publication.save()
    return publication
