import pytest

from api.services import token_create


@pytest.fixture
def bearer():
    """``bearer(user, scopes, **kwargs)`` → the Authorization header of a new token."""

    def make(user, scopes, **kwargs):
        created = token_create(user=user, name=kwargs.pop("name", "Test"), scopes=scopes, **kwargs)
        return {"HTTP_AUTHORIZATION": f"Bearer {created.secret}"}

    return make
