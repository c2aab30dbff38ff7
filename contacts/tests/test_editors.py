"""Company editors: invited from contacts (the organisation picker), tied to their organisation."""

import pytest
from django.urls import reverse

from accounts.models import User
from contacts.models import OrganisationEditor
from contacts.picker import organisation_label
from contacts.services import EditorInviteRefused, organisation_editor_invite
from core.models import OutgoingMail
from core.roles import Role
from testing.factories import OrganisationFactory

INVITE_URL = reverse("contacts:editor_invite")
SUGGESTIONS_URL = reverse("contacts:organisation_suggestions")


def _invite(client, organisation, **data):
    payload = {"organisation": organisation, "email": "neu@example.org", "full_name": "Nina Neu", "language": "de"}
    payload.update(data)
    return client.post(INVITE_URL, payload)


@pytest.mark.django_db
@pytest.mark.smoke
def test_staff_invite_an_editor_from_the_organisations_page(login, staff, company_a):
    client = login(staff)
    detail = client.get(company_a.get_absolute_url()).content.decode()
    assert f'href="{INVITE_URL}?organisation={company_a.pk}"' in detail
    assert "Noch keine Firmenredaktion." in detail
    # the link preselects the organisation in the picker
    form_page = client.get(INVITE_URL, {"organisation": company_a.pk}).content.decode()
    assert f'value="{organisation_label(company_a)}"' in form_page

    response = _invite(client, organisation_label(company_a))
    assert response.status_code == 302 and response["Location"] == company_a.get_absolute_url()
    detail = client.get(company_a.get_absolute_url()).content.decode()
    assert "Die Einladung an neu@example.org ist unterwegs (Firmenredaktion von Firma A Maschinenbau)." in detail
    assert "Nina Neu &lt;neu@example.org&gt;" in detail and "Einladung noch nicht angenommen" in detail

    invited = User.objects.get(email="neu@example.org")
    assert invited.roles == {Role.EDITOR} and not invited.has_usable_password()
    link = OrganisationEditor.objects.get(user=invited)
    assert link.organisation == company_a
    assert link.history.get().history_user == staff  # the right is in the audit trail
    mail = OutgoingMail.objects.get(to_email="neu@example.org", template="invitation")
    assert "Tara Team hat Sie zu Kammerwerk eingeladen" in mail.body_text
    assert f"Sie pflegen künftig den Eintrag von {company_a.name}." in mail.body_text
    assert "Firmenredaktion" in mail.body_text
    audit = client.get(reverse("contacts:audit_log")).content.decode()
    assert f"neu@example.org – {company_a.name}" in audit


@pytest.mark.django_db
def test_an_existing_editor_gets_one_more_company_without_a_new_invitation(login, staff, editor_a, company_b):
    response = _invite(login(staff), company_b.name, email="Redaktion-A@Example.org")
    assert response.status_code == 302
    assert set(editor_a.editor_of.values_list("organisation__name", flat=True)) == {
        "Firma A Maschinenbau",
        "Firma B Kunststofftechnik",
    }
    assert not OutgoingMail.objects.exists()
    # twice for the same company: a clear message, nothing changes
    again = _invite(login(staff), company_b.name, email=editor_a.email)
    assert again.status_code == 200
    assert f"{editor_a.email} pflegt den Eintrag von {company_b.name} schon." in again.content.decode()
    assert editor_a.editor_of.count() == 2


@pytest.mark.django_db
def test_an_editor_invitation_never_adds_the_editor_role_to_an_existing_account(login, staff, expert, company_a):
    response = _invite(login(staff), company_a.name, email=expert.email)
    assert response.status_code == 200
    assert "hat schon ein Konto, aber ohne die Rolle Firmenredaktion" in response.content.decode()
    assert User.objects.get(pk=expert.pk).roles == {Role.EXPERT}
    assert not OrganisationEditor.objects.exists() and not OutgoingMail.objects.exists()
    with pytest.raises(EditorInviteRefused):
        organisation_editor_invite(
            organisation=company_a, email=staff.email, full_name="Tara", language="de", invited_by=staff
        )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor_a", "expert", "juror", "public_user"])
def test_only_staff_invite_editors(request, login, persona, company_a):
    client = login(request.getfixturevalue(persona))
    assert client.get(INVITE_URL).status_code == 403
    assert _invite(client, company_a.name).status_code == 403
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.django_db
def test_the_invitation_mail_speaks_the_chosen_language(login, staff, company_a):
    _invite(login(staff), company_a.name, email="john@example.org", full_name="John Doe", language="en")
    mail = OutgoingMail.objects.get(to_email="john@example.org")
    assert mail.language == "en" and "has invited you to Kammerwerk" in mail.body_text


# --- the organisation picker (contacts.picker.OrganisationField) -----------------------------------------------


@pytest.mark.django_db
def test_the_organisation_is_required(login, staff):
    response = _invite(login(staff), "")
    assert response.status_code == 200 and response.context["form"].has_error("organisation")
    assert not User.objects.filter(email="neu@example.org").exists()


@pytest.mark.django_db
def test_unknown_organisation_is_a_clear_german_error(login, staff, company_a):
    response = _invite(login(staff), "Gibtsnicht Werke")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keine Organisation gefunden zu „Gibtsnicht Werke“" in html
    assert 'aria-invalid="true"' in html
    assert not OutgoingMail.objects.exists()


@pytest.mark.django_db
def test_ambiguous_organisation_lists_the_candidates_to_choose_from(login, staff):
    north = OrganisationFactory(name="Müller Metallbau GmbH", postcode="48143", city="Münster")
    south = OrganisationFactory(name="Müller Metallbau GmbH", postcode="46325", city="Borken")
    client = login(staff)
    html = _invite(client, "müller metall").content.decode()
    assert "Mehrere Organisationen passen zu „müller metall“" in html
    # the candidates are offered in the field's <datalist>, so picking one works without JavaScript
    assert f'<option value="{organisation_label(north)}">' in html
    assert f'<option value="{organisation_label(south)}">' in html
    assert organisation_label(south) == "Müller Metallbau GmbH (46325 Borken)"

    assert _invite(client, organisation_label(south)).status_code == 302
    assert list(OrganisationEditor.objects.values_list("organisation", flat=True)) == [south.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["Firma A Maschinenbau", "firma a maschinenbau", "  Firma   A Maschinenbau ", "firma a masch", "4711", "A Münster"],
)
def test_organisation_found_by_name_words_place_or_member_number(login, staff, company_a, company_b, text):
    company_a.member_number = "4711"
    company_a.save()
    response = _invite(login(staff), text)
    assert response.status_code == 302, response.content.decode()
    assert OrganisationEditor.objects.get().organisation == company_a


@pytest.mark.django_db
def test_exact_name_wins_over_longer_names(login, staff):
    short = OrganisationFactory(name="Kabel Werk")
    OrganisationFactory(name="Kabel Werk Nord")
    assert _invite(login(staff), "Kabel Werk").status_code == 302
    assert OrganisationEditor.objects.get().organisation == short


@pytest.mark.django_db
def test_invite_page_offers_an_accessible_picker(login, staff):
    html = login(staff).get(INVITE_URL).content.decode()
    assert '<label for="id_organisation">' in html
    assert 'list="id_organisation_options"' in html and '<datalist id="id_organisation_options">' in html
    assert f'hx-get="{SUGGESTIONS_URL}?feld=organisation"' in html
    assert 'aria-describedby="id_organisation_helptext"' in html


@pytest.mark.django_db
def test_htmx_suggestions_while_typing(login, staff, company_a, company_b):
    client = login(staff)

    def suggest(text):
        return client.get(SUGGESTIONS_URL, {"feld": "organisation", "organisation": text}, HTTP_HX_REQUEST="true")

    response = suggest("firma")
    html = response.content.decode()
    assert response.status_code == 200 and "<form" not in html
    assert organisation_label(company_a) in html and organisation_label(company_b) in html
    assert "HX-Request" in response["Vary"]
    narrowed = suggest("kunststoff").content.decode()
    assert organisation_label(company_b) in narrowed and company_a.name not in narrowed
    assert suggest("").content.decode().strip() == ""


@pytest.mark.django_db
def test_organisation_suggestions_are_a_fixed_number_of_queries(login, staff, django_assert_max_num_queries):
    for n in range(30):
        OrganisationFactory(name=f"Serienfirma {n}")
    client = login(staff)
    with django_assert_max_num_queries(4):
        html = client.get(SUGGESTIONS_URL, {"feld": "q", "q": "serienfirma"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count("<option") == 8


# --- erasure ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_erasing_an_editor_removes_the_company_link(staff, company_a):
    from core.privacy import DataSubject, personal_data_erase

    invitation = organisation_editor_invite(
        organisation=company_a, email="weg@example.org", full_name="Wera Weg", language="de", invited_by=staff
    )
    personal_data_erase(DataSubject(email="weg@example.org"))
    assert not OrganisationEditor.objects.filter(user=invitation.user).exists()
    assert not User.objects.get(pk=invitation.user.pk).is_active
