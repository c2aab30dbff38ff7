"""Writes for the portal. Views call these; they hold the rules.

Every editor change goes through :func:`change_submit`: applied at once, or,
when staff switched review on for the company, stored as a
:class:`~portal.models.ChangeRequest` that staff approve (applying it through
the same functions) or reject. Applied changes are recorded by
django-simple-history with the editor as author, so staff can roll back.
"""

import datetime
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.models import District, Organisation, OrganisationRole
from contacts.services import (
    consent_record,
    consent_withdraw,
    organisation_editor_invite,
    person_add_to_organisation,
)
from core.errors import NotAllowed, ServiceError, StateConflict
from core.hooks import emit
from core.mail import mail_queue
from core.roles import Role
from events import selectors as event_selectors
from events import services as event_services
from portal.models import (
    ALERT_CONSENT_PURPOSE,
    ALERT_CONSENT_VERSION,
    ALERT_CONSENT_WORDING,
    CONSENT_PURPOSE,
    CONSENT_VERSION,
    CONSENT_WORDING,
    HISTORY_MODELS,
    OFFER_FIELDS,
    PROFILE_FIELDS,
    SITE_FIELDS,
    ChangeRequest,
    CompanyProfile,
    Occupation,
    Offer,
    Photo,
    ProfileViewCount,
    SearchAlert,
    SearchAlertOffer,
    Site,
)
from portal.places import place_for
from portal.selectors import OfferFilters, alert_new_offers, editor_emails, filters_summary, portal_contacts
from portal.text import german_slug, stem_text
from portal.validators import image_small


class ChangeRefused(ServiceError):
    """A change to a portal entry that cannot be made (its row is gone, its data no longer valid …)."""

    default_code = "portal_change_refused"


STALE_AFTER = datetime.timedelta(days=182)


# --- search columns -----------------------------------------------------------------


def profile_index(profile: CompanyProfile) -> None:
    """Recompute the profile's stemmed search column and those of its offers."""
    organisation = profile.organisation
    sites = list(profile.sites.select_related("district"))
    occupations = list(profile.occupations.all())
    text = stem_text(
        profile.name,
        profile.short_description,
        profile.get_sector_display(),
        organisation.city,
        organisation.district.name if organisation.district_id else "",
        " ".join(f"{site.city} {site.district.name}" for site in sites),
        " ".join(occupation.name for occupation in occupations),
    )
    CompanyProfile.objects.filter(pk=profile.pk).update(search_stems=text)
    profile.search_stems = text
    for offer in profile.offers.select_related("occupation", "site__district"):
        _offer_index(offer, profile)
        Offer.objects.filter(pk=offer.pk).update(
            search_stems=offer.search_stems, title_stems=offer.title_stems, district=offer.district,
            sector=offer.sector, profile_published=offer.profile_published, latitude=offer.latitude,
            longitude=offer.longitude,
        )  # fmt: skip


def _offer_index(offer: Offer, profile: CompanyProfile) -> None:
    organisation = profile.organisation
    district = offer.site.district if offer.site_id else organisation.district
    city = offer.site.city if offer.site_id else organisation.city
    place = place_for(city, offer.site.postcode if offer.site_id else organisation.postcode)
    offer.latitude, offer.longitude = (place.latitude, place.longitude) if place else (None, None)
    offer.district = district
    offer.sector = profile.sector
    offer.profile_published = profile.is_published
    offer.title_stems = stem_text(offer.title, offer.occupation.name, offer.occupation.name_official)
    offer.search_stems = stem_text(
        offer.title,
        offer.occupation.name,
        offer.occupation.name_official,
        offer.get_kind_display(),
        profile.name,
        city,
        district.name if district else "",
        profile.get_sector_display(),
        offer.requirements,
    )


def _unique_profile_slug(name: str, exclude_pk=None) -> str:
    base = german_slug(name, 90) or "unternehmen"
    slug, number = base, 2
    while CompanyProfile.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# --- profiles -----------------------------------------------------------------------


@transaction.atomic
def profile_create(*, organisation: Organisation, created_by=None, review_required: bool = False) -> CompanyProfile:
    if CompanyProfile.objects.filter(organisation=organisation).exists():
        raise ChangeRefused(
            _("Diese Organisation hat schon einen Portal-Eintrag."), field="organisation", code="profile_exists"
        )
    profile = CompanyProfile(
        organisation=organisation,
        name=organisation.name,
        slug=_unique_profile_slug(organisation.name),
        employees=organisation.employees,
        website=organisation.website,
        review_required=review_required,
    )
    profile._history_user = created_by
    profile.save()
    if organisation.street and organisation.district_id:
        Site.objects.create(
            profile=profile, name=_("Hauptsitz"), street=organisation.street, postcode=organisation.postcode,
            city=organisation.city, district=organisation.district, is_main=True,
        )  # fmt: skip
    profile_index(profile)
    return profile


@transaction.atomic
def profile_settings_save(*, profile: CompanyProfile, is_published: bool, review_required: bool, by) -> None:
    profile.is_published = is_published
    profile.review_required = review_required
    profile._history_user = by
    profile.save(update_fields=["is_published", "review_required"])
    Offer.objects.filter(profile=profile).update(profile_published=is_published)


def _apply_profile(profile: CompanyProfile, data: dict, author) -> str:
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    if data.get("logo"):
        profile.logo.name = data["logo"]
        profile.logo_width, profile.logo_height = stored_image_size(data["logo"])
    if data.get("logo_clear"):
        profile.logo, profile.logo_width, profile.logo_height = "", None, None
    profile.full_clean(exclude=["logo", "slug", "organisation"])
    profile.touched_at = timezone.now()
    profile._history_user = author
    profile.save()
    if "occupations" in data:
        profile.occupations.set(Occupation.objects.filter(pk__in=data["occupations"]))
    profile_index(profile)
    return _("Profil")


# --- sites --------------------------------------------------------------------------


def _apply_site(profile: CompanyProfile, target_id, data: dict, author) -> str:
    site = Site(profile=profile) if target_id is None else Site.objects.get(pk=target_id, profile=profile)
    for field in SITE_FIELDS:
        if field in data:
            setattr(site, field, data[field])
    site.district = District.objects.get(pk=data["district"])
    site.full_clean()
    site._history_user = author
    site.save()
    if site.is_main:
        Site.objects.filter(profile=profile, is_main=True).exclude(pk=site.pk).update(is_main=False)
    _touch(profile)
    profile_index(profile)
    return str(site)


def _apply_site_delete(profile: CompanyProfile, target_id, data: dict, author) -> str:
    site = Site.objects.get(pk=target_id, profile=profile)
    label = str(site)
    site._history_user = author
    site.delete()
    _touch(profile)
    profile_index(profile)
    return label


# --- offers -------------------------------------------------------------------------


def _offer_hook_payload(offer: Offer, profile: CompanyProfile) -> dict:
    """What a webhook receiver learns of an offer (public fields of the portal)."""
    return {"offer_id": offer.pk, "profile_id": profile.pk, "organisation_id": profile.organisation_id,
            "slug": offer.slug, "title": offer.display_title}  # fmt: skip


def _apply_offer(profile: CompanyProfile, target_id, data: dict, author) -> str:
    offer = Offer(profile=profile) if target_id is None else Offer.objects.get(pk=target_id, profile=profile)
    for field in OFFER_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    offer.occupation = Occupation.objects.get(pk=data["occupation"])
    offer.start_date = datetime.date.fromisoformat(data["start_date"])
    # Related rows must belong to this company, whatever the form said.
    offer.site = Site.objects.get(pk=data["site"], profile=profile) if data.get("site") else None
    offer.contact = (
        OrganisationRole.objects.get(pk=data["contact"], organisation_id=profile.organisation_id)
        if data.get("contact")
        else None
    )
    if offer.pk is None:
        base = german_slug(f"{offer.display_title} {profile.name} {offer.start_date.year}", 140)
        offer.slug = f"{base}-{secrets.token_hex(3)}"
        while Offer.objects.filter(slug=offer.slug).exists():
            offer.slug = f"{base}-{secrets.token_hex(4)}"
    _offer_index(offer, profile)
    offer.full_clean(exclude=["slug"])
    offer._history_user = author
    created = offer.pk is None
    offer.save()
    _touch(profile)
    emit("offer.published" if created else "offer.changed", _offer_hook_payload(offer, profile))
    return offer.display_title


def _apply_offer_delete(profile: CompanyProfile, target_id, data: dict, author) -> str:
    offer = Offer.objects.select_related("occupation").get(pk=target_id, profile=profile)
    label = offer.display_title
    offer._history_user = author
    emit("offer.withdrawn", _offer_hook_payload(offer, profile))
    offer.delete()
    _touch(profile)
    return label


APPLIERS = {
    ChangeRequest.Kind.PROFILE: _apply_profile,
    ChangeRequest.Kind.SITE: _apply_site,
    ChangeRequest.Kind.SITE_DELETE: _apply_site_delete,
    ChangeRequest.Kind.OFFER: _apply_offer,
    ChangeRequest.Kind.OFFER_DELETE: _apply_offer_delete,
}


def _touch(profile: CompanyProfile) -> None:
    CompanyProfile.objects.filter(pk=profile.pk).update(touched_at=timezone.now())


def _apply(kind: str, profile: CompanyProfile, target_id, data: dict, author) -> str:
    """Apply one change; a row that has gone meanwhile or data no longer valid is a refusal."""
    try:
        if kind == ChangeRequest.Kind.PROFILE:
            return _apply_profile(profile, data, author)
        return APPLIERS[kind](profile, target_id, data, author)
    except (Site.DoesNotExist, Offer.DoesNotExist, OrganisationRole.DoesNotExist, District.DoesNotExist,
            Occupation.DoesNotExist):  # fmt: skip
        raise ChangeRefused(
            _("Die Änderung bezieht sich auf einen Eintrag, den es nicht mehr gibt."), code="target_gone"
        ) from None
    except ValidationError as error:
        raise ChangeRefused(" ".join(error.messages), code="invalid") from None


# --- review -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeResult:
    applied: bool
    change: ChangeRequest | None = None


def to_json(cleaned: dict) -> dict:
    """Form data as JSON: related rows as ids, dates as ISO strings."""
    data = {}
    for key, value in cleaned.items():
        if isinstance(value, Model):
            data[key] = value.pk
        elif isinstance(value, QuerySet | list | tuple):
            data[key] = [item.pk if isinstance(item, Model) else item for item in value]
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        else:
            data[key] = value
    return data


def stored_image_size(name: str) -> tuple[int | None, int | None]:
    """Width and height of a stored image (``None, None`` if it cannot be read)."""
    try:
        with default_storage.open(name, "rb") as handle:
            width, height = get_image_dimensions(handle)
    except (OSError, ValueError):
        return None, None
    return width, height


def store_upload(content_file, folder: str) -> str:
    """Save a checked (re-encoded) upload; returns its storage name."""
    return default_storage.save(f"portal/{folder}/{content_file.name}", content_file)


@transaction.atomic
def change_submit(
    *, profile: CompanyProfile, kind: str, data: dict, author, target_id=None, summary: str = ""
) -> ChangeResult:
    """Apply an editor's change now, or queue it for review if the company's changes need approval."""
    profile = CompanyProfile.objects.select_for_update().select_related("organisation").get(pk=profile.pk)
    if profile.review_required and not author.has_role(Role.STAFF):
        change = ChangeRequest.objects.create(
            profile=profile, kind=kind, target_id=target_id, data=data, author=author,
            summary=summary or ChangeRequest.Kind(kind).label,
        )  # fmt: skip
        return ChangeResult(applied=False, change=change)
    _apply(kind, profile, target_id, data, author)
    return ChangeResult(applied=True)


@transaction.atomic
def change_approve(*, change: ChangeRequest, by) -> None:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        raise StateConflict(_("Diese Änderung wurde bereits entschieden."))
    profile = CompanyProfile.objects.select_for_update().select_related("organisation").get(pk=change.profile_id)
    _apply(change.kind, profile, change.target_id, change.data, change.author)
    change.status = ChangeRequest.Status.APPROVED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def change_reject(*, change: ChangeRequest, by, note: str = "") -> None:
    updated = ChangeRequest.objects.filter(pk=change.pk, status=ChangeRequest.Status.PENDING).update(
        status=ChangeRequest.Status.REJECTED, decided_by=by, decided_at=timezone.now(), decision_note=note[:500]
    )
    if not updated:
        raise StateConflict(_("Diese Änderung wurde bereits entschieden."))


# --- history ------------------------------------------------------------------------


@transaction.atomic
def history_rollback(*, model_key: str, history_id: int, profile: CompanyProfile, by) -> Model:
    """Restore the version ``history_id`` (also brings back a deleted site or offer)."""
    model = HISTORY_MODELS[model_key]
    record = model.history.get(history_id=history_id)
    owner_id = record.id if model is CompanyProfile else record.profile_id
    if owner_id != profile.pk:
        raise NotAllowed(_("Dieser Stand gehört zu einem anderen Portal-Eintrag."))
    instance = record.instance
    if model is Offer:
        if instance.site_id and not Site.objects.filter(pk=instance.site_id).exists():
            instance.site = None
        if instance.contact_id and not OrganisationRole.objects.filter(pk=instance.contact_id).exists():
            instance.contact = None
    instance._history_user = by
    instance._change_reason = _("zurückgesetzt auf den Stand vom %(date)s") % {
        "date": timezone.localtime(record.history_date).strftime("%d.%m.%Y %H:%M")
    }
    instance.save()
    if model is CompanyProfile:
        instance.occupations.set([row.occupation_id for row in record.occupations.all()])
    profile.refresh_from_db()
    profile_index(profile)
    return instance


# --- contacts -----------------------------------------------------------------------


@transaction.atomic
def contact_add(
    *, profile: CompanyProfile, first_name: str, last_name: str, email: str, phone: str, kind: str,
    job_title: str, consent: bool, by, ip_address: str | None = None,
) -> OrganisationRole:  # fmt: skip
    """Add an HR or training contact of the editor's own company; published only with consent on record.

    The contact is always a new person of this company with the name the editor typed: an e-mail
    address never links (or reveals) a person the CRM already knows, and the consent is given
    for this company only.
    """
    if kind not in (OrganisationRole.Kind.HR, OrganisationRole.Kind.TRAINING):
        raise ChangeRefused(
            _("Nur Personal- und Ausbildungskontakte können im Portal erscheinen."), field="kind", code="kind"
        )
    email = email.strip()
    same_address = Q(email__iexact=email) | Q(email="", person__email__iexact=email)
    if portal_contacts(profile.organisation_id).filter(same_address).exists():
        raise ChangeRefused(
            _("Diese E-Mail-Adresse ist bei Ihren Ansprechpersonen schon eingetragen."), field="email", code="duplicate"
        )
    role = person_add_to_organisation(
        organisation=profile.organisation, first_name=first_name, last_name=last_name, email=email, kind=kind,
        job_title=job_title,
    )  # fmt: skip
    if phone:
        role.phone = phone
        role.save(update_fields=["phone"])
    if consent:
        consent_record(
            email=email, purpose=CONSENT_PURPOSE, wording=str(CONSENT_WORDING), wording_version=CONSENT_VERSION,
            source=_("Industrie-Portal, erfasst von %(editor)s für %(company)s") % {"editor": by.email, "company": profile.name},
            person=role.person, organisation=profile.organisation, ip_address=ip_address,
        )  # fmt: skip
    _touch(profile)
    return role


@transaction.atomic
def contact_remove(*, role: OrganisationRole, profile: CompanyProfile) -> None:
    """Take a contact off the portal: the function ends and the consent given for this company is withdrawn.

    A consent the same address gave for another company stays.
    """
    role.is_active = False
    role.save(update_fields=["is_active"])
    email = role.email or role.person.email
    if email:
        consent_withdraw(email=email, purpose=CONSENT_PURPOSE, organisation=profile.organisation)
    Offer.objects.filter(contact=role).update(contact=None)
    _touch(profile)


# --- photos -------------------------------------------------------------------------


def photo_add(*, profile: CompanyProfile, image, alt_text: str) -> Photo:
    """Store a checked (re-encoded) photo with a small copy for lists and phones."""
    photo = Photo(profile=profile, alt_text=alt_text)
    photo.width, photo.height = get_image_dimensions(image)
    small = image_small(image)
    photo.image.save(image.name, image, save=False)
    if small is not None:
        photo.small.save(small.name, small, save=False)
    photo.save()
    _touch(profile)
    return photo


def photo_delete(*, photo: Photo) -> None:
    photo.image.delete(save=False)
    if photo.small:
        photo.small.delete(save=False)
    photo.delete()
    _touch(photo.profile)


# --- editors ------------------------------------------------------------------------


def editor_invite(*, profile: CompanyProfile, email: str, full_name: str, invited_by, language: str = "de"):
    """Invite an editor for the profile's company (contacts links editors to organisations)."""
    return organisation_editor_invite(
        organisation=profile.organisation, email=email, full_name=full_name, language=language,
        invited_by=invited_by,
    ).user  # fmt: skip


def editors_remind_stale(*, now=None) -> int:
    """Mail the editors of every profile untouched for six months (once per stale period)."""
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    stale = CompanyProfile.objects.filter(touched_at__lt=cutoff).exclude(reminded_at__gte=cutoff)
    sent = 0
    for profile in stale.select_related("organisation").prefetch_related("organisation__editors__user"):
        with transaction.atomic():
            if (
                not CompanyProfile.objects.filter(pk=profile.pk)
                .exclude(reminded_at__gte=cutoff)
                .update(reminded_at=now)
            ):
                continue  # another worker took it
            for editor in profile.organisation.editors.all():
                user = editor.user
                if not user.is_active:
                    continue
                mail_queue(
                    to=user.email, template="portal_reminder", language=user.language,
                    context={"user": user, "profile": profile, "touched_at": profile.touched_at},
                    reference=f"portal.reminder:{profile.pk}",
                )  # fmt: skip
                sent += 1
    return sent


def editors_invite_to_event(*, event_id: int, by, message: str = "") -> int:
    """Invite every active portal editor to an upcoming public event (e.g. the editors' conference).

    The events module sends the invitations and keeps the record; returns how many were queued.
    """
    event = event_selectors.upcoming_public_event(event_id)
    if event is None:
        raise ChangeRefused(
            _("Zu dieser Veranstaltung kann nicht mehr eingeladen werden (abgesagt oder vorbei)."),
            field="event", code="event_gone",
        )  # fmt: skip
    return event_services.event_invite_people(event=event, emails=editor_emails(), invited_by=by, message=message)


# --- statistics ---------------------------------------------------------------------


def profile_view_count(*, profile_id: int, today: datetime.date | None = None) -> None:
    """Count one public view of a profile in this month: no cookie, no IP, no user stored."""
    month = (today or timezone.localdate()).replace(day=1)
    if ProfileViewCount.objects.filter(profile_id=profile_id, month=month).update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ProfileViewCount.objects.create(profile_id=profile_id, month=month, views=1)
    except IntegrityError:
        ProfileViewCount.objects.filter(profile_id=profile_id, month=month).update(views=F("views") + 1)


# --- saved searches (alerts by mail) ----------------------------------------------------

ALERT_CONFIRM_SALT = "portal.alert.confirm"
ALERT_CONFIRM_HOURS = 48  # the confirmation link expires
ALERT_RESEND_AFTER = datetime.timedelta(hours=1)  # at most one confirmation mail per alert and hour
ALERT_MAIL_EVERY = datetime.timedelta(days=1)  # at most one mail per alert and day
ALERTS_PER_ADDRESS = 20  # pending or active alerts of one address
ALERT_OFFERS_PER_MAIL = 20  # the others follow with the next mail
PENDING_ALERT_KEEP = datetime.timedelta(days=7)  # unconfirmed alerts are deleted after this
ENDED_ALERT_KEEP = datetime.timedelta(days=30)  # ended alerts (and their address) are deleted after this


class AlertLinkInvalid(ServiceError):
    default_code = "alert_link_invalid"


class AlertLinkExpired(ServiceError):
    default_code = "alert_link_expired"


def alert_confirm_link(alert: SearchAlert) -> str:
    value = signing.TimestampSigner(salt=ALERT_CONFIRM_SALT).sign(f"{alert.pk}.{alert.token}")
    return settings.SITE_URL + reverse("portal:alert_confirm", args=[value])


def alert_unsubscribe_link(alert: SearchAlert) -> str:
    return settings.SITE_URL + reverse("portal:alert_unsubscribe", args=[alert.token])


def alert_search_link(alert: SearchAlert) -> str:
    query = urlencode(alert.filters)
    return settings.SITE_URL + reverse("portal:search") + (f"?{query}" if query else "")


def alert_by_confirmation(value: str) -> SearchAlert:
    """The alert a confirmation link names; :class:`AlertLinkExpired` after 48 hours, else :class:`AlertLinkInvalid`."""
    signer = signing.TimestampSigner(salt=ALERT_CONFIRM_SALT)
    try:
        raw = signer.unsign(value, max_age=datetime.timedelta(hours=ALERT_CONFIRM_HOURS))
    except signing.SignatureExpired:
        raise AlertLinkExpired(_("Der Bestätigungslink ist abgelaufen.")) from None
    except signing.BadSignature:
        raise AlertLinkInvalid(_("Dieser Link ist ungültig.")) from None
    pk, _sep, token = raw.partition(".")
    alert = SearchAlert.objects.filter(pk=int(pk), token=token).first() if pk.isdigit() else None
    if alert is None or alert.status == SearchAlert.Status.ENDED:
        raise AlertLinkInvalid(_("Dieser Link ist ungültig."))
    return alert


@transaction.atomic
def alert_signup(
    *, email: str, filters: OfferFilters, language: str = "de", ip_address: str | None = None, now=None
) -> bool:
    """Save a search for ``email`` and mail the confirmation link (double opt-in).

    Returns whether a mail was queued. The caller shows the same answer either way, so nobody learns
    whether an address has alerts; at most one confirmation mail per alert and hour, at most
    20 alerts per address.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    params = filters.params
    mine = SearchAlert.objects.select_for_update().filter(
        email=email, status__in=[SearchAlert.Status.PENDING, SearchAlert.Status.ACTIVE]
    )
    alert = next((candidate for candidate in mine if candidate.filters == params), None)
    if alert is None:
        if mine.count() >= ALERTS_PER_ADDRESS:
            return False
        with translation.override(language):
            wording = str(ALERT_CONSENT_WORDING)
        alert = SearchAlert.objects.create(
            email=email, language=language, filters=params, token=secrets.token_urlsafe(32), created_at=now,
            consent_wording=wording, consent_ip=ip_address,
        )  # fmt: skip
    elif alert.status == SearchAlert.Status.ACTIVE:
        return False
    due = SearchAlert.objects.filter(pk=alert.pk).filter(
        Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=now - ALERT_RESEND_AFTER)
    )
    if not due.update(confirmation_sent_at=now):
        return False
    mail_queue(
        to=email, template="portal_alert_confirm", language=alert.language,
        context={
            "link": alert_confirm_link(alert), "hours": ALERT_CONFIRM_HOURS, "wording": alert.consent_wording,
            "summary": filters_summary(OfferFilters.from_params(params)), "search_link": alert_search_link(alert),
        },
        reference=f"portal.alert:{alert.pk}",
    )  # fmt: skip
    return True


@transaction.atomic
def alert_confirm(*, value: str, now=None) -> SearchAlert:
    """Complete the double opt-in: the consent is stored now, with the wording shown at sign-up."""
    now = now or timezone.now()
    alert = SearchAlert.objects.select_for_update().get(pk=alert_by_confirmation(value).pk)
    if alert.status == SearchAlert.Status.ACTIVE:
        return alert
    if alert.status != SearchAlert.Status.PENDING:
        raise AlertLinkInvalid(_("Dieser Link ist ungültig."))
    summary = filters_summary(OfferFilters.from_params(alert.filters))
    consent_record(
        email=alert.email, purpose=ALERT_CONSENT_PURPOSE, wording=alert.consent_wording or str(ALERT_CONSENT_WORDING),
        wording_version=ALERT_CONSENT_VERSION,
        source=(_("Industrie-Portal, Suchauftrag „%(summary)s“, Double-Opt-in bestätigt") % {"summary": summary})[:200],
        ip_address=alert.consent_ip, given_at=now,
    )  # fmt: skip
    alert.status = SearchAlert.Status.ACTIVE
    alert.confirmed_at = now
    alert.save(update_fields=["status", "confirmed_at"])
    return alert


@transaction.atomic
def alert_end(*, alert: SearchAlert, now=None) -> None:
    """End an alert (its mails stop at once); the consent is withdrawn when the address has no other alert."""
    now = now or timezone.now()
    ended = SearchAlert.objects.filter(pk=alert.pk).exclude(status=SearchAlert.Status.ENDED)
    if not ended.update(status=SearchAlert.Status.ENDED, ended_at=now):
        return
    others = SearchAlert.objects.filter(email=alert.email, status=SearchAlert.Status.ACTIVE).exclude(pk=alert.pk)
    if not others.exists():
        consent_withdraw(email=alert.email, purpose=ALERT_CONSENT_PURPOSE)


def _alert_due(now) -> Q:
    return Q(status=SearchAlert.Status.ACTIVE) & (
        Q(last_mailed_at__isnull=True) | Q(last_mailed_at__lte=now - ALERT_MAIL_EVERY)
    )


def alerts_send(*, now=None) -> int:
    """Recurring: mail each active alert its new matching offers, at most once a day; returns the mails queued.

    An offer goes to an alert at most once: the pair is stored (unique) in the same transaction as the
    mail, with the alert's row locked, so two workers never mail it twice.
    """
    now = now or timezone.now()
    sent = 0
    for pk in list(SearchAlert.objects.filter(_alert_due(now)).order_by("pk").values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                alert = SearchAlert.objects.select_for_update().filter(_alert_due(now), pk=pk).first()
                if alert is None:
                    continue
                offers = alert_new_offers(alert, limit=ALERT_OFFERS_PER_MAIL)
                if not offers:
                    continue
                SearchAlertOffer.objects.bulk_create(
                    [SearchAlertOffer(alert=alert, offer=offer, mailed_at=now) for offer in offers]
                )
                _alert_mail(alert, offers)
                SearchAlert.objects.filter(pk=alert.pk).update(last_mailed_at=now)
                sent += 1
        except IntegrityError:  # another worker mailed these offers meanwhile
            continue
    return sent


def _alert_mail(alert: SearchAlert, offers: list[Offer]) -> None:
    unsubscribe = alert_unsubscribe_link(alert)
    with translation.override(alert.language):
        summary = filters_summary(OfferFilters.from_params(alert.filters))
        rows = [
            {
                "title": offer.display_title, "company": offer.profile.name,
                "kind": offer.get_kind_display(), "start": offer.start_date,
                "city": offer.site.city if offer.site_id else offer.profile.organisation.city,
                "distance": offer.distance_text, "url": settings.SITE_URL + offer.get_absolute_url(),
            }
            for offer in offers
        ]  # fmt: skip
    mail_queue(
        to=alert.email, template="portal_alert_offers", language=alert.language,
        context={
            "offers": rows, "count": len(rows), "summary": summary, "search_link": alert_search_link(alert),
            "unsubscribe_link": unsubscribe,
        },
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        reference=f"portal.alert:{alert.pk}",
    )  # fmt: skip


def alerts_tidy(*, now=None) -> int:
    """Recurring: delete alerts nobody confirmed within a week and alerts ended a month ago (with their address)."""
    now = now or timezone.now()
    stale = Q(status=SearchAlert.Status.PENDING, created_at__lt=now - PENDING_ALERT_KEEP) | Q(
        status=SearchAlert.Status.ENDED, ended_at__lt=now - ENDED_ALERT_KEEP
    )
    deleted, _by_model = SearchAlert.objects.filter(stale).delete()
    return deleted
