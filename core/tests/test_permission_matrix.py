"""Every URL of the app, for every persona (STYLE.md §6).

Fails when a URL has no entry in its app's ``tests/url_access.py``.
"""

import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role, expand_roles
from core.testing.access import LOGIN, PUBLIC

PROJECT_APPS = ["core", "accounts", "contacts", "advisory", "events", "portal", "newsletter", "climate"]
# URL namespaces that belong to third-party code, not to us.
FOREIGN_NAMESPACES = {"admin"}

PERSONAS = {
    "anonymous": None,
    "public_user": [Role.PUBLIC],
    "staff": [Role.STAFF],
    "lead": [Role.LEAD],
    "editor_a": [Role.EDITOR],
    "expert": [Role.EXPERT],
    "juror": [Role.JUROR],
}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in FOREIGN_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _matrices():
    matrix, builders = {}, []
    for label in PROJECT_APPS:
        if not apps.is_installed(label):
            continue
        try:
            module = importlib.import_module(f"{label}.tests.url_access")
        except ModuleNotFoundError:
            continue
        matrix.update(module.URL_ACCESS)
        if hasattr(module, "build"):
            builders.append(module.build)
    return matrix, builders


def test_every_url_is_in_the_matrix():
    matrix, _ = _matrices()
    missing = sorted(set(_url_names()) - set(matrix))
    assert not missing, f"URLs without an entry in <app>/tests/url_access.py: {missing}"


def _request(client, access, world, url_name):
    url = reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)
    if access.method == "post":
        return url, client.post(url, access.data)
    return url, client.get(url, access.data)


@pytest.mark.django_db
@pytest.mark.smoke
def test_permission_matrix(client, world):
    matrix, _ = _matrices()
    failures = []
    for url_name, access in sorted(matrix.items()):
        for persona, roles in PERSONAS.items():
            client.logout()
            if roles is not None:
                client.force_login(getattr(world, persona), backend="django.contrib.auth.backends.ModelBackend")
            url, response = _request(client, access, world, url_name)
            granted = expand_roles(set(roles or []))
            if access.allowed == PUBLIC:
                allowed = True
            elif access.allowed == LOGIN:
                allowed = roles is not None
            else:
                allowed = bool(granted & access.roles)
            location = response.headers.get("Location", "")
            to_login = response.status_code == 302 and "/konto/anmelden/" in location
            if allowed:
                ok = response.status_code not in (401, 403, 404) and not to_login
            elif roles is None:
                ok = to_login
            else:
                ok = response.status_code == access.denied_status
            if not ok:
                failures.append(
                    f"{persona:12} {access.method.upper():4} {url} ({url_name}) → {response.status_code} {location}"
                )
    assert not failures, "Permission matrix violations:\n" + "\n".join(failures)
