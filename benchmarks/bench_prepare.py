"""Prepare a benchmark run on an already seeded database; prints shell variables.

    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings .venv/bin/python benchmarks/bench_prepare.py

Creates (once) the staff user ``bench-staff@kammerwerk.example`` with the staff role,
opens a fresh session for it (the key goes into wrk's Cookie header, so no login
form and no password hashing is benchmarked), and computes the keyset cursor of a
page deep in the unfiltered list (the row at position ``DEEP_POSITION`` in
``(name, id)`` order), and picks the event with the most registrations and the newsletter
list with the most subscribers for the other staff lists. Output, ready for ``eval``:

    SESSION_KEY=...  CSRF_COOKIE=...  DEEP_CURSOR=...  DEEP_NAME=...  EVENT_PK=...  LIST_PK=...
"""

import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402

from accounts.models import RoleAssignment, User  # noqa: E402
from contacts.models import Organisation  # noqa: E402
from contacts.selectors import encode_cursor  # noqa: E402
from core.roles import Role  # noqa: E402
from events.models import Event  # noqa: E402
from newsletter.models import NewsletterList  # noqa: E402

BENCH_EMAIL = "bench-staff@kammerwerk.example"
DEEP_POSITION = int(os.environ.get("BENCH_DEEP_POSITION", "90000"))


def _largest(model, relation: str) -> int:
    """The pk of the row with the most related rows (0 when there is none)."""
    row = model.objects.annotate(n=Count(relation)).order_by("-n", "pk").values_list("pk", flat=True).first()
    return row or 0


def main() -> None:
    user, _ = User.objects.get_or_create(email=BENCH_EMAIL, defaults={"full_name": "Benchmark Geschäftsstelle"})
    RoleAssignment.objects.get_or_create(user=user, role=Role.STAFF)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.UserRolesBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    total = Organisation.objects.count()
    position = min(DEEP_POSITION, max(total - 60, 0))
    row = Organisation.objects.order_by("name", "id").values_list("name", "id")[position]
    values = {
        "SESSION_KEY": session.session_key,
        "CSRF_COOKIE": _get_new_csrf_string(),  # a browser already holds one; without it every page sets a new cookie
        "DEEP_CURSOR": encode_cursor(row[0], row[1]),
        "DEEP_NAME": row[0],
        "ORGANISATIONS": str(total),
        "EVENT_PK": str(_largest(Event, "registrations")),
        "LIST_PK": str(_largest(NewsletterList, "subscribers")),
    }
    for key, value in values.items():
        print(f"{key}={shlex.quote(value)}")


if __name__ == "__main__":
    main()
