"""Portal test data, built through the services (as editors would)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contacts.models import OrganisationRole
from portal import services
from portal.models import ChangeRequest, CompanyProfile, Occupation, Offer, Photo, SearchAlert, Site


def png_bytes(size=(40, 20), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="logo.png", size=(40, 20)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


def occupation(name="Mechatroniker/-in") -> Occupation:
    if not Occupation.objects.exists():  # a transactional (browser) test flushed the migration's rows
        from portal.occupations import occupations_sync

        occupations_sync()
    return Occupation.objects.get(name=name)


def ProfileFactory(*, organisation, review_required=False, **fields) -> CompanyProfile:  # noqa: N802
    occupation()
    profile = services.profile_create(organisation=organisation, review_required=review_required)
    if fields:
        for key, value in fields.items():
            setattr(profile, key, value)
        profile.save()
        services.profile_index(profile)
    return profile


def SiteFactory(*, profile, name="Werk Nord", district=None, **fields) -> Site:  # noqa: N802
    site = Site.objects.create(
        profile=profile, name=name, street=fields.pop("street", "Werkstraße 5"), postcode=fields.pop("postcode", "46325"),
        city=fields.pop("city", "Borken"), district=district or profile.organisation.district, **fields,
    )  # fmt: skip
    services.profile_index(profile)
    return site


def OfferFactory(*, profile, occupation_name="Mechatroniker/-in", start_date=None, author=None, **fields) -> Offer:  # noqa: N802
    start_date = start_date or (timezone.localdate() + datetime.timedelta(days=200))
    data = {
        "kind": fields.pop("kind", Offer.Kind.APPRENTICESHIP),
        "title": fields.pop("title", ""),
        "occupation": occupation(occupation_name).pk,
        "site": fields.pop("site").pk if fields.get("site") else fields.pop("site", None),
        "contact": fields.pop("contact").pk if fields.get("contact") else fields.pop("contact", None),
        "start_date": start_date.isoformat(),
        "places": fields.pop("places", 2),
        "requirements": fields.pop("requirements", "Fachoberschulreife"),
        "how_to_apply": fields.pop("how_to_apply", "Per E-Mail"),
        "is_active": fields.pop("is_active", True),
    }
    services._apply_offer(profile, None, data, author)
    return Offer.objects.filter(profile=profile).latest("pk")


def ContactFactory(
    *, profile, consent=True, kind=OrganisationRole.Kind.TRAINING, email=None, by=None
) -> OrganisationRole:  # noqa: N802
    from testing.factories import UserFactory

    count = OrganisationRole.objects.count()
    return services.contact_add(
        profile=profile, first_name="Ina", last_name=f"Ausbilderin{count}", email=email or f"ina{count}@example.org",
        phone="0251 1234", kind=kind, job_title="Ausbildungsleitung", consent=consent,
        by=by or UserFactory(email="system@example.org"),
    )  # fmt: skip


def PhotoFactory(*, profile) -> Photo:  # noqa: N802
    from portal.validators import image_clean

    return services.photo_add(profile=profile, image=image_clean(png_upload("foto.png")), alt_text="Lehrwerkstatt")


def change_request(profile, author) -> ChangeRequest:
    return ChangeRequest.objects.create(
        profile=profile, kind=ChangeRequest.Kind.PROFILE, data={"short_description": "Neu!"}, author=author,
        summary="Profil",
    )  # fmt: skip


def alert_factory(*, email="pupil@example.org", filters=None, confirmed=False, language="de") -> SearchAlert:
    """A saved search as a sign-up leaves it (pending), or confirmed (active, consent recorded)."""
    import secrets

    alert = SearchAlert.objects.create(
        email=email, filters=filters or {}, language=language, token=secrets.token_urlsafe(32),
        consent_wording="Ich möchte neue Angebote per E-Mail erhalten.",
    )  # fmt: skip
    if confirmed:
        alert = services.alert_confirm(value=confirm_value(alert))
    return alert


def confirm_value(alert: SearchAlert) -> str:
    """The signed value of the alert's confirmation link."""
    return services.alert_confirm_link(alert).rstrip("/").rsplit("/", 1)[-1]
