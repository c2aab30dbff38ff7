"""accounts/selectors.py reads in a fixed number of queries."""

import pytest

from accounts.selectors import role_change_preview, user_for_email
from core.roles import Role


@pytest.mark.django_db
def test_user_for_email_and_role_change_preview(lead, expert, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = user_for_email("  Expertin@Example.ORG ")
    assert found == expert
    with django_assert_num_queries(0):
        assert user_for_email("   ") is None
    with django_assert_num_queries(1):
        before, after = role_change_preview(found, [Role.LEAD])
    assert (before, after) == (["Experte/Expertin"], ["Geschäftsstelle", "Bereichsleitung", "Experte/Expertin"])
