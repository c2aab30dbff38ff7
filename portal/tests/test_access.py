"""The portal's part of the permission matrix, plus forged ids: editor A never reaches company B."""

import pytest
from django.urls import reverse

from accounts.roles import expand_roles
from core.testing.access import LOGIN, PUBLIC
from core.tests.test_permission_matrix import PERSONAS
from portal.tests.url_access import URL_ACCESS

pytestmark = pytest.mark.django_db


def test_portal_permission_matrix(client, world):
    failures = []
    for url_name, access in sorted(URL_ACCESS.items()):
        for persona, roles in PERSONAS.items():
            client.logout()
            if roles is not None:
                client.force_login(getattr(world, persona), backend="django.contrib.auth.backends.ModelBackend")
            url = reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)
            response = client.post(url, access.data) if access.method == "post" else client.get(url, access.data)
            granted = expand_roles(set(roles or []))
            if access.allowed == PUBLIC:
                allowed = True
            elif access.allowed == LOGIN:
                allowed = roles is not None
            else:
                allowed = bool(granted & access.roles)
            to_login = response.status_code == 302 and "/konto/anmelden/" in response.headers.get("Location", "")
            if allowed:
                ok = response.status_code not in (401, 403, 404) and not to_login
            elif roles is None:
                ok = to_login
            else:
                ok = response.status_code == access.denied_status
            if not ok:
                failures.append(f"{persona:12} {access.method.upper():4} {url} ({url_name}) → {response.status_code}")
    assert not failures, "\n".join(failures)
