"""Who gets what: personal survey links, other companies, unpublished publications, staff records."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse

from climate import access, services
from climate.models import Publication, SurveyInvitation, SurveySubmission
from climate.tests.factories import PublicationFactory
from contacts.models import OrganisationEditor
from testing.factories import OrganisationFactory, make_editor

pytestmark = pytest.mark.django_db


def _answer(**overrides):
    data = {"contact_name": "Eva Energie", "contact_email": "eva@firma.example", "natural_gas_kwh": "1.000.000",
            "heating_oil_l": "", "switch_year": str(datetime.date.today().year + 4), "switch_share": "50"}  # fmt: skip
    return {**data, **overrides}


def test_personal_survey_page_is_not_kept_by_caches_or_browser_history(client, company_a):
    invitation = SurveyInvitation.objects.create(organisation=company_a, email="eva@firma.example")
    token = services.survey_token(invitation)
    path = reverse("climate:survey_token", kwargs={"token": token})
    assert client.get(path)["Cache-Control"] == "private, no-store"
    answered = client.post(path, _answer())
    assert answered.status_code == 200 and answered["Cache-Control"] == "private, no-store"
    invalid = client.get(reverse("climate:survey_token", kwargs={"token": token + "x"}))
    assert invalid.status_code == 404 and invalid["Cache-Control"] == "private, no-store"


def test_a_link_signed_for_another_purpose_opens_nothing(client, company_a):
    from django.core import signing

    invitation = SurveyInvitation.objects.create(organisation=company_a, email="eva@firma.example")
    foreign = signing.dumps({"i": invitation.pk, "o": company_a.pk}, salt="newsletter.confirm", compress=True)
    odd = signing.dumps(["i", invitation.pk], salt=services.SURVEY_SALT)
    for token in (foreign, odd, "\u00b2", "a" * 500):
        response = client.get(reverse("climate:survey_token", kwargs={"token": token}))
        assert response.status_code == 404
        assert "ungültig oder abgelaufen" in response.content.decode()


def test_staff_revokes_a_link_and_it_stops_working_at_once(client, staff, login, company_a):
    invitation = SurveyInvitation.objects.create(organisation=company_a, email="falsch@firma.example")
    path = reverse("climate:survey_token", kwargs={"token": services.survey_token(invitation)})
    assert client.get(path).status_code == 200
    staff_client = login(staff)
    response = staff_client.post(reverse("climate:survey_invitation_revoke", kwargs={"pk": invitation.pk}))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    page = staff_client.get(reverse("climate:survey_invite")).content.decode()
    assert "widerrufen" in page
    staff_client.logout()
    assert client.get(path).status_code == 404
    assert client.post(path, _answer()).status_code == 404
    assert not SurveySubmission.objects.exists()


def test_editor_cannot_answer_the_survey_for_a_company_they_do_not_edit(login, company_a, company_b):
    editor = make_editor(company_a, "zwei-firmen@example.org")
    third = OrganisationFactory(name="Firma C Glas")
    OrganisationEditor.objects.create(user=editor, organisation=third)
    client = login(editor)
    response = client.post(reverse("climate:survey"), _answer(organisation=str(company_b.pk)))
    assert response.status_code == 400
    assert not SurveySubmission.objects.exists()
    with pytest.raises(Http404):
        access.survey_organisation_for_user(editor, company_b.pk)
    assert client.post(reverse("climate:survey"), _answer(organisation=str(third.pk))).status_code == 200
    assert SurveySubmission.objects.get().organisation == third


def test_the_public_cannot_download_an_unpublished_study(client, staff, login):
    draft = PublicationFactory(is_public=False)
    draft.file.save("entwurf.pdf", ContentFile(b"%PDF-1.4 Entwurf"))
    without_file = PublicationFactory()
    url = reverse("climate:publication_file", kwargs={"pk": draft.pk})
    assert client.get(url).status_code == 404
    assert "Entwurf" not in client.get(reverse("climate:publications")).content.decode()
    assert client.get(reverse("climate:publication_file", kwargs={"pk": without_file.pk})).status_code == 404
    assert login(staff).get(url).status_code == 200


def test_staff_records_that_do_not_exist_answer_404(staff, login):
    client = login(staff)
    for name in ("talk_edit", "publication_edit", "reference_version"):
        assert client.get(reverse(f"climate:{name}", kwargs={"pk": 987654})).status_code == 404, name
    assert client.post(reverse("climate:survey_invitation_revoke", kwargs={"pk": 987654})).status_code == 404


def test_staff_only_records_refuse_everyone_else(editor_a):
    publication = Publication.objects.create(title="Positionspapier", published_on=datetime.date(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        access.publication_for_staff(editor_a, publication.pk)
