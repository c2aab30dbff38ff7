"""The organisation access helper every module builds on: not yours → 404."""

import pytest
from django.http import Http404

from contacts.access import organisation_for_user


@pytest.mark.django_db
@pytest.mark.smoke
def test_editor_of_company_a_gets_404_for_company_b(editor_a, company_a, company_b):
    assert organisation_for_user(editor_a, company_a.pk) == company_a
    with pytest.raises(Http404):
        organisation_for_user(editor_a, company_b.pk)
    with pytest.raises(Http404):
        organisation_for_user(editor_a, company_b.pk, for_change=True)


@pytest.mark.django_db
def test_staff_reach_every_organisation_and_others_none(staff, expert, public_user, company_a, company_b):
    assert organisation_for_user(staff, company_b.pk) == company_b
    for user in (expert, public_user):
        with pytest.raises(Http404):
            organisation_for_user(user, company_a.pk)
    with pytest.raises(Http404):
        organisation_for_user(staff, 999999)


@pytest.mark.django_db
def test_editor_gets_403_on_the_staff_contact_pages(login, editor_a, company_a):
    client = login(editor_a)
    assert client.get(f"/kontakte/organisationen/{company_a.pk}/").status_code == 403
    assert client.get("/kontakte/organisationen/").status_code == 403
