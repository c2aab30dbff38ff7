"""The permission matrix for the events URLs alone (the project-wide one covers all apps)."""

import pytest

from accounts.roles import expand_roles
from core.testing.access import PUBLIC
from core.tests.test_permission_matrix import PERSONAS, _request
from events.tests.url_access import URL_ACCESS


@pytest.mark.django_db
def test_events_permission_matrix(client, world):
    failures = []
    for url_name, access in sorted(URL_ACCESS.items()):
        for persona, roles in PERSONAS.items():
            client.logout()
            if roles is not None:
                client.force_login(getattr(world, persona), backend="django.contrib.auth.backends.ModelBackend")
            url, response = _request(client, access, world, url_name)
            allowed = access.allowed == PUBLIC or bool(expand_roles(set(roles or [])) & access.roles)
            to_login = response.status_code == 302 and "/konto/anmelden/" in response.headers.get("Location", "")
            if allowed:
                ok = response.status_code not in (401, 403, 404, 500) and not to_login
            elif roles is None:
                ok = to_login
            else:
                ok = response.status_code == access.denied_status
            if not ok:
                failures.append(f"{persona} {access.method} {url} ({url_name}) → {response.status_code}")
    assert not failures, "\n".join(failures)
