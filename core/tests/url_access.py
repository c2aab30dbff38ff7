from core.roles import Role
from testing.access import LOGIN, Access, Public

URL_ACCESS = {
    "core:home": Public(),
    "core:start": Access(LOGIN),
    "core:personal": Access(LOGIN),
    "core:personal_links": Public(),
    # the mailed overview: a private page opened by a signed, expiring token
    "core:personal_overview": Public(kwargs=lambda w: {"token": _overview_token(w)}),
    "core:personal_overview_export": Public(page=False, kwargs=lambda w: {"token": _overview_token(w)}),
    "core:healthz": Public(page=False),
    "core:favicon": Public(page=False),
    "core:mail_log": Access(Role.STAFF),
    "core:figures": Access(Role.STAFF),
    "core:imprint": Public(),
    "core:privacy": Public(),
    "core:accessibility": Public(),
    "core:sitemap": Public(page=False),
    "core:sitemap_section": Public(page=False, kwargs=lambda w: {"section": "core", "number": 1}),
    "core:robots": Public(page=False),
    "set_language": Public(method="post", data={"language": "en", "next": "/"}),
}


def _overview_token(world) -> str:
    from core.personal import personal_links_token

    return personal_links_token(world.public_user.email)


def build(world):
    from django.utils import timezone

    from core.models import WorkerHeartbeat

    now = timezone.now()  # a live worker: /healthz answers 200
    WorkerHeartbeat.objects.create(worker_id="matrix", seen_at=now, started_at=now)
