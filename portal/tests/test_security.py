"""Bad input and forged ids: rejected or neutralised with a clear message; nothing of another company changes."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import ChangeRequest, CompanyProfile, Offer, Photo, Site
from portal.tests.factories import ContactFactory, OfferFactory, PhotoFactory, SiteFactory, png_bytes, png_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'


def _profile_data(profile, **overrides):
    data = {
        "name": profile.name, "short_description": "Kurz", "description": "<p>Wir bauen Maschinen.</p>",
        "sector": profile.sector, "employees": "120", "founded_year": "1950", "website": "https://example.org",
        "linkedin_url": "", "instagram_url": "", "facebook_url": "", "youtube_url": "",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def editor(login, editor_a, portal_a, media_root):
    return login(editor_a)


def _edit(client, profile, **overrides):
    return client.post(reverse("portal:profile_edit", args=[profile.pk]), _profile_data(profile, **overrides))


def test_a_30_mb_logo_is_rejected(editor, portal_a):
    big = SimpleUploadedFile("logo.png", png_bytes() + b"\0" * (30 * 1024 * 1024), content_type="image/png")
    response = _edit(editor, portal_a, logo_upload=big)
    assert response.status_code == 400
    assert "höchstens 5 MB" in response.content.decode()
    portal_a.refresh_from_db()
    assert not portal_a.logo


def test_a_pdf_renamed_png_is_rejected(editor, portal_a):
    response = _edit(editor, portal_a, logo_upload=SimpleUploadedFile("logo.png", PDF, content_type="image/png"))
    assert response.status_code == 400
    assert "kein lesbares Bild" in response.content.decode()
    portal_a.refresh_from_db()
    assert not portal_a.logo


@pytest.mark.parametrize("name", ["logo.svg", "logo.png"])
def test_an_svg_with_script_is_rejected(editor, portal_a, name):
    response = _edit(editor, portal_a, logo_upload=SimpleUploadedFile(name, SVG, content_type="image/svg+xml"))
    assert response.status_code == 400
    assert "SVG-Grafiken sind nicht erlaubt" in response.content.decode()


def test_photo_upload_checks_the_image_too(editor, portal_a):
    response = editor.post(
        reverse("portal:photo_add", args=[portal_a.pk]),
        {"image": SimpleUploadedFile("foto.jpg", PDF, content_type="image/jpeg"), "alt_text": "Halle"},
    )
    assert response.status_code == 400
    assert not Photo.objects.exists()


def test_a_real_png_logo_is_stored_re_encoded(editor, portal_a):
    response = _edit(editor, portal_a, logo_upload=png_upload("firmenlogo.png"))
    assert response.status_code == 302
    portal_a.refresh_from_db()
    assert portal_a.logo.name.endswith(".png")
    with portal_a.logo.open("rb") as stored:
        assert stored.read().startswith(b"\x89PNG")
    assert (portal_a.logo_width, portal_a.logo_height) == (40, 20)


def test_script_and_event_handlers_are_removed_from_the_description(editor, portal_a):
    evil = (
        '<p>Hallo<script>alert(1)</script></p><img src="x" onerror="alert(2)">'
        '<a href="javascript:alert(3)" onclick="alert(4)">Link</a><a href="https://example.org">gut</a>'
    )
    response = _edit(editor, portal_a, description=evil)
    assert response.status_code == 302
    portal_a.refresh_from_db()
    for bad in ("<script", "onerror", "onclick", "javascript:", "<img"):
        assert bad not in portal_a.description
    assert "Hallo" in portal_a.description and 'href="https://example.org"' in portal_a.description
    messages = [str(m) for m in editor.get(reverse("portal:editor_dashboard", args=[portal_a.pk])).context["messages"]]
    assert any("entfernt" in message for message in messages)


@pytest.mark.parametrize("field", ["website", "linkedin_url", "instagram_url"])
def test_javascript_urls_are_rejected(editor, portal_a, field):
    response = _edit(editor, portal_a, **{field: "javascript:alert(document.cookie)"})
    assert response.status_code == 400
    assert "mit https:// oder http:// beginnt" in response.content.decode()
    portal_a.refresh_from_db()
    assert not getattr(portal_a, field).startswith("javascript")


def _offer_data(**overrides):
    from portal.tests.factories import occupation

    data = {
        "kind": Offer.Kind.APPRENTICESHIP, "occupation": occupation().pk, "title": "",
        "start_date": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(), "places": "2",
        "requirements": "", "how_to_apply": "", "is_active": "on", "site": "", "contact": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_forged_site_and_contact_of_another_company_are_refused(editor, portal_a, portal_b):
    site_b = SiteFactory(profile=portal_b)
    contact_b = ContactFactory(profile=portal_b)
    response = editor.post(
        reverse("portal:offer_create", args=[portal_a.pk]), _offer_data(site=site_b.pk, contact=contact_b.pk)
    )
    assert response.status_code == 400
    assert "gültige Auswahl" in response.content.decode()
    assert not Offer.objects.exists()


def test_forged_profile_id_in_the_url_is_404_and_changes_nothing(editor, portal_a, portal_b):
    before = CompanyProfile.objects.values().get(pk=portal_b.pk)
    assert editor.get(reverse("portal:editor_dashboard", args=[portal_b.pk])).status_code == 404
    assert _edit(editor, portal_b, name="Gehackt").status_code == 404
    assert editor.post(reverse("portal:offer_create", args=[portal_b.pk]), _offer_data()).status_code == 404
    assert editor.post(reverse("portal:site_create", args=[portal_b.pk]), {"name": "X"}).status_code == 404
    contact_data = {"kind": "training", "first_name": "X", "last_name": "Y", "email": "x@example.org", "consent": "on"}
    assert editor.post(reverse("portal:contact_add", args=[portal_b.pk]), contact_data).status_code == 404
    assert (
        editor.post(
            reverse("portal:photo_add", args=[portal_b.pk]), {"alt_text": "x", "image": png_upload()}
        ).status_code
        == 404
    )
    assert CompanyProfile.objects.values().get(pk=portal_b.pk) == before
    assert not Offer.objects.filter(profile=portal_b).exists()


def test_another_companys_rows_cannot_be_changed_or_deleted(editor, portal_a, portal_b):
    offer_b = OfferFactory(profile=portal_b)
    site_b = SiteFactory(profile=portal_b)
    photo_b = PhotoFactory(profile=portal_b)
    contact_b = ContactFactory(profile=portal_b)
    assert editor.get(reverse("portal:offer_edit", args=[offer_b.pk])).status_code == 404
    assert editor.post(reverse("portal:offer_edit", args=[offer_b.pk]), _offer_data(title="Gehackt")).status_code == 404
    assert editor.post(reverse("portal:offer_delete", args=[offer_b.pk])).status_code == 404
    assert editor.get(reverse("portal:site_edit", args=[portal_b.pk, site_b.pk])).status_code == 404
    # A's profile id with B's site id
    assert editor.post(reverse("portal:site_edit", args=[portal_a.pk, site_b.pk]), {"name": "X"}).status_code == 404
    assert editor.post(reverse("portal:site_delete", args=[site_b.pk])).status_code == 404
    assert editor.post(reverse("portal:photo_delete", args=[photo_b.pk])).status_code == 404
    assert editor.post(reverse("portal:contact_remove", args=[contact_b.pk])).status_code == 404
    offer_b.refresh_from_db()
    contact_b.refresh_from_db()
    assert (
        offer_b.title == ""
        and Site.objects.filter(pk=site_b.pk).exists()
        and Photo.objects.filter(pk=photo_b.pk).exists()
    )
    assert contact_b.is_active


def test_an_editor_of_a_sees_nothing_of_b_in_the_back_office(editor, portal_a, portal_b):
    assert editor.get(reverse("portal:staff_profile", args=[portal_b.pk])).status_code == 403
    assert editor.get(reverse("portal:staff_history", args=[portal_b.pk])).status_code == 403
    body = editor.get(reverse("portal:editor_dashboard", args=[portal_a.pk])).content.decode()
    assert portal_b.name not in body


def test_approving_a_change_cannot_reach_another_company(portal_a, portal_b, editor_a, staff):
    """Even a stored change that names B's site (e.g. forged JSON) is applied only within A."""
    from portal import services

    site_b = SiteFactory(profile=portal_b)
    change = ChangeRequest.objects.create(
        profile=portal_a,
        kind=ChangeRequest.Kind.SITE_DELETE,
        target_id=site_b.pk,
        data={},
        author=editor_a,
        summary="x",
    )
    with pytest.raises(services.ChangeRefused, match="nicht mehr gibt"):
        services.change_approve(change=change, by=staff)
    assert Site.objects.filter(pk=site_b.pk).exists()


def test_offer_form_refuses_nonsense(editor, portal_a):
    url = reverse("portal:offer_create", args=[portal_a.pk])
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    assert "Vergangenheit" in editor.post(url, _offer_data(start_date=past)).content.decode()
    assert "zwischen 1 und 500" in editor.post(url, _offer_data(places="0")).content.decode()
    assert not Offer.objects.exists()


def test_editor_typing_the_email_of_company_bs_contact_neither_sees_nor_links_that_person(editor, portal_a, portal_b):
    from contacts.models import OrganisationRole, Person
    from testing.factories import OrganisationRoleFactory, PersonFactory

    stranger = PersonFactory(first_name="Berta", last_name="Geheimhaus", email="berta@firma-b.example")
    OrganisationRoleFactory(person=stranger, organisation=portal_b.organisation, kind=OrganisationRole.Kind.TRAINING)
    response = editor.post(
        reverse("portal:contact_add", args=[portal_a.pk]),
        {"kind": "training", "first_name": "Neu", "last_name": "Kontaktperson", "email": "Berta@firma-b.example",
         "phone": "", "job_title": "", "consent": "on"},
        follow=True,
    )  # fmt: skip
    body = response.content.decode()
    assert "Kontaktperson" in body and "Geheimhaus" not in body and "Berta" not in body
    assert set(stranger.roles.values_list("organisation_id", flat=True)) == {portal_b.organisation_id}
    added = OrganisationRole.objects.get(organisation=portal_a.organisation)
    assert added.person != stranger and added.person.full_name == "Neu Kontaktperson"
    assert Person.objects.get(pk=stranger.pk).last_name == "Geheimhaus"
    assert not stranger.consents.exists()  # the consent belongs to the new person, for company A


def test_the_same_contact_twice_is_refused_with_a_message(editor, portal_a):
    ContactFactory(profile=portal_a, email="ina@firma-a.example")
    response = editor.post(
        reverse("portal:contact_add", args=[portal_a.pk]),
        {"kind": "hr", "first_name": "Ina", "last_name": "Zwei", "email": "INA@firma-a.example"},
    )
    assert response.status_code == 400
    assert "schon eingetragen" in response.content.decode()
    from contacts.models import OrganisationRole

    assert OrganisationRole.objects.filter(organisation=portal_a.organisation).count() == 1
