"""The permission matrix: every named URL of every project app, as every persona.

Each app declares its URLs in ``<app>/tests/url_access.py`` (see :mod:`testing.access`).
``core/tests/test_permission_matrix.py`` turns every entry into one test; the accessibility
and fuzz tests walk the same entries.
"""

import importlib
from functools import cache

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import Role, expand_roles
from testing.access import LOGIN, PUBLIC, Access

# Every app of ours, in layer order; an app that is not installed is skipped.
PROJECT_APPS = [
    "core", "accounts", "contacts", "advisory", "events", "portal", "newsletter", "climate",
    "competition", "networks", "reports", "api", "webhooks",
]  # fmt: skip
# URL namespaces that belong to third-party code, not to us.
FOREIGN_NAMESPACES = {"admin"}

PERSONAS: dict[str, list[str] | None] = {
    "anonymous": None,
    "public_user": [Role.PUBLIC],
    "staff": [Role.STAFF],
    "lead": [Role.LEAD],
    "editor_a": [Role.EDITOR],
    "expert": [Role.EXPERT],
    "juror": [Role.JUROR],
}


def url_names(resolver=None, namespace=""):
    """Every named URL pattern of the project (``app:name``), third-party namespaces left out."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in FOREIGN_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@cache
def matrices() -> tuple[dict[str, Access], tuple]:
    """``(URL name → Access, builders)`` collected from every app's ``tests/url_access.py``."""
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
    return matrix, tuple(builders)


def is_allowed(access: Access, roles: list[str] | None) -> bool:
    if access.allowed == PUBLIC:
        return True
    if access.allowed == LOGIN:
        return roles is not None
    return bool(expand_roles(set(roles or [])) & access.roles)


def persona_for(access: Access) -> str:
    """The first persona allowed to open ``access`` (anonymous for public pages)."""
    if access.allowed == PUBLIC:
        return "anonymous"
    for persona, roles in PERSONAS.items():
        if roles is not None and is_allowed(access, roles):
            return persona
    return "staff"


def url_for(access: Access, world, url_name: str) -> str:
    return reverse(url_name, kwargs=access.kwargs(world) if access.kwargs else None)


def request_as(client, world, persona: str, url_name: str, access: Access, *, data=None):
    """Send the entry's request as ``persona``; returns ``(url, response)``."""
    client.logout()
    if PERSONAS[persona] is not None:
        client.force_login(getattr(world, persona), backend="accounts.backends.UserRolesBackend")
    url = url_for(access, world, url_name)
    data = access.data if data is None else data
    if access.method == "post":
        return url, client.post(url, data)
    return url, client.get(url, data)


def access_failures(client, world, url_name: str, access: Access) -> list[str]:
    """What each persona got that the entry does not allow (empty: the URL holds its rules)."""
    failures = []
    for persona, roles in PERSONAS.items():
        url, response = request_as(client, world, persona, url_name, access)
        location = response.headers.get("Location", "")
        to_login = response.status_code == 302 and "/konto/anmelden/" in location
        if is_allowed(access, roles):
            ok = response.status_code < 500 and response.status_code not in (401, 403, 404) and not to_login
        elif roles is None:
            ok = to_login if access.anonymous_status is None else response.status_code == access.anonymous_status
        else:
            ok = response.status_code == access.denied_status
        if not ok:
            failures.append(f"{persona:12} {access.method.upper():4} {url} → {response.status_code} {location}")
    return failures
