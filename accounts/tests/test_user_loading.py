"""accounts.backends.UserRolesBackend: the session's user and their roles in one query, read fresh on
every request, so a role taken away or an account deactivated counts on the very next request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from accounts.backends import UserRolesBackend
from accounts.models import RoleAssignment
from accounts.services import user_set_roles
from core.roles import Role
from testing.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("contacts:person_list")


def test_the_user_comes_with_their_roles_in_one_query(django_assert_num_queries, lead):
    with django_assert_num_queries(1):
        user = UserRolesBackend().get_user(str(lead.pk))
        assert user.roles == frozenset({Role.LEAD, Role.STAFF})  # the lead's role implies staff
        assert user.has_role(Role.STAFF) and not user.has_role(Role.EDITOR)
    assert user == lead and user.email == lead.email and user.password == lead.password
    assert user.get_session_auth_hash() == lead.get_session_auth_hash()


def test_an_account_without_roles_and_one_with_several(expert):
    nobody = UserFactory(email="ohne@example.org")
    assert UserRolesBackend().get_user(nobody.pk).roles == frozenset()
    user_set_roles(user=expert, roles=[Role.EXPERT, Role.JUROR, Role.PUBLIC])
    assert UserRolesBackend().get_user(expert.pk).roles == frozenset({Role.EXPERT, Role.JUROR, Role.PUBLIC})


def test_no_such_account_or_a_deactivated_one_is_nobody(staff):
    backend = UserRolesBackend()
    assert backend.get_user("999999") is None and backend.get_user("nicht-da") is None
    staff.is_active = False
    staff.save()
    assert backend.get_user(staff.pk) is None


def test_a_removed_role_denies_the_list_on_the_next_request(login, staff):
    client = login(staff)
    assert client.get(PEOPLE).status_code == 200
    RoleAssignment.objects.filter(user=staff).delete()
    assert client.get(PEOPLE).status_code == 403
    user_set_roles(user=staff, roles=[Role.STAFF])
    assert client.get(PEOPLE).status_code == 200
    user_set_roles(user=staff, roles=[Role.EDITOR])
    assert client.get(PEOPLE).status_code == 403


def test_a_deactivated_account_is_logged_out_on_the_next_request(login, staff):
    client = login(staff)
    assert client.get(PEOPLE).status_code == 200
    staff.is_active = False
    staff.save()
    response = client.get(PEOPLE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_login_form_logs_in_through_this_backend(client, staff):
    response = client.post(reverse("accounts:login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.UserRolesBackend"
    assert client.get(PEOPLE).status_code == 200


def test_a_logged_out_session_is_not_read_again(login, staff):
    client = login(staff)
    assert client.get(PEOPLE).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(PEOPLE).status_code == 302
