"""The permission matrix, declared per app.

Every app lists each of its URL names in ``<app>/tests/url_access.py``::

    from testing.access import Access, LOGIN, PUBLIC, Public
    from core.roles import Role

    URL_ACCESS = {
        "contacts:organisation_list": Access(Role.STAFF),
        "contacts:organisation_detail": Access(Role.STAFF, kwargs=lambda w: {"pk": w.company_a.pk}),
        "contacts:person_export": Access(Role.STAFF, method="post", kwargs=...),
    }

    def build(world):            # optional: create the objects the kwargs need
        world.day = ConsultationDayFactory()

``core/tests/test_permission_matrix.py`` turns every entry into one test that requests the URL
as every persona, and fails when a URL is missing here. Expectations:

- allowed persona → anything but 401/403/404 and no redirect to the login;
- logged-out visitor on a non-public URL → redirect to the login page (or ``anonymous_status``, e.g. 401 of the JSON API);
- logged-in persona without the role → 403.

A GET entry is a page unless it says ``page=False`` (a download, an htmx fragment, JSON): the
accessibility test opens every page in Chromium and checks it with axe-core.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PUBLIC = "anyone"  # anyone, logged in or not (not "public": that is Role.PUBLIC, the registered public)
LOGIN = "login"  # any logged-in user


@dataclass(frozen=True)
class Access:
    allowed: str  # a Role value, PUBLIC or LOGIN
    more: tuple[str, ...] = ()  # further roles that are allowed
    kwargs: Callable | None = None  # world → URL kwargs
    method: str = "get"
    data: dict = field(default_factory=dict)
    denied_status: int = 403  # what a logged-in persona without the role gets (404 where existence is hidden)
    page: bool = True  # an HTML page (GET); False for downloads, fragments and JSON
    anonymous_status: int | None = (
        None  # what a logged-out visitor gets; None: the redirect to the login (a JSON API: 401)
    )

    @property
    def is_page(self) -> bool:
        return self.method == "get" and self.page

    @property
    def roles(self) -> set[str]:
        return {self.allowed, *self.more}


def Public(**kwargs) -> Access:  # noqa: N802 – reads like a constant in the matrices
    return Access(PUBLIC, **kwargs)


def LoggedIn(**kwargs) -> Access:  # noqa: N802
    return Access(LOGIN, **kwargs)
