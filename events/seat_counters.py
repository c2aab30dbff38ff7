"""Seats taken and people waiting per audience, kept by the database itself.

``Audience.seats_taken`` and ``Audience.people_waiting`` are written by triggers on
``events_registration`` (insert, delete, and an update of ``status`` or ``audience_id``), in the same
transaction as the change to the registration, whatever made it: a service, the admin, a bulk
update, an erasure, a test factory. The seat decision reads them under the event's lock instead of
counting the event's registrations, so a registration costs the same at the 10th seat as at the
1,000th, and the event page, the calendar and the start page read the figures from the audience rows.

Why triggers and not counters updated in Python: every path that changes a registration would have to
remember it, and one that forgot (a queryset ``update()``, ``bulk_create``) would show a wrong count or
sell a seat twice. The triggers cannot be forgotten. ``Audience.save()`` never writes the two columns
(see the model), so an edited audience cannot put back a stale figure.

PostgreSQL and SQLite get the same triggers in their own dialects. SQLite drops a table's triggers when
a migration rebuilds the table, so ``post_migrate`` puts them back (``reinstall_missing``) and
recounts: the figures are right again before anything reads them.
"""

from django.db import connections

SEATED = ("pending", "confirmed", "offered")  # Registration.SEATED, as stored
WAITING = "waiting"

_SEATED_SQL = ", ".join(f"'{status}'" for status in SEATED)
_TRIGGERS = ("events_registration_seats_insert", "events_registration_seats_delete", "events_registration_seats_update")


def _delta(row: str, sign: str, *, cast: str) -> str:
    """``UPDATE`` of the audience of ``row`` (``NEW`` or ``OLD``), adding (``+``) or removing (``-``) it."""
    seated = f"({row}.status IN ({_SEATED_SQL})){cast}"
    waiting = f"({row}.status = '{WAITING}'){cast}"
    return (
        f"UPDATE events_audience SET seats_taken = seats_taken {sign} {seated}, "
        f"people_waiting = people_waiting {sign} {waiting} WHERE id = {row}.audience_id"
    )


_POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION events_registration_seats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_delta("OLD", "-", cast="::int")}; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN {_delta("NEW", "+", cast="::int")}; END IF;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER events_registration_seats_insert AFTER INSERT ON events_registration "
    "FOR EACH ROW EXECUTE FUNCTION events_registration_seats()",
    "CREATE OR REPLACE TRIGGER events_registration_seats_delete AFTER DELETE ON events_registration "
    "FOR EACH ROW EXECUTE FUNCTION events_registration_seats()",
    "CREATE OR REPLACE TRIGGER events_registration_seats_update AFTER UPDATE OF status, audience_id "
    "ON events_registration FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.audience_id IS DISTINCT FROM NEW.audience_id) EXECUTE FUNCTION events_registration_seats()",
]
_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS events_registration_seats_insert AFTER INSERT ON events_registration "
    f"BEGIN {_delta('NEW', '+', cast='')}; END",
    "CREATE TRIGGER IF NOT EXISTS events_registration_seats_delete AFTER DELETE ON events_registration "
    f"BEGIN {_delta('OLD', '-', cast='')}; END",
    "CREATE TRIGGER IF NOT EXISTS events_registration_seats_update AFTER UPDATE OF status, audience_id "
    "ON events_registration WHEN OLD.status IS NOT NEW.status OR OLD.audience_id IS NOT NEW.audience_id "
    f"BEGIN {_delta('OLD', '-', cast='')}; {_delta('NEW', '+', cast='')}; END",
]
_RECOUNT = f"""UPDATE events_audience SET
  seats_taken = (SELECT COUNT(*) FROM events_registration r
                 WHERE r.audience_id = events_audience.id AND r.status IN ({_SEATED_SQL})),
  people_waiting = (SELECT COUNT(*) FROM events_registration r
                    WHERE r.audience_id = events_audience.id AND r.status = '{WAITING}')"""


def _present(connection) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = ANY(%s) AND tgrelid = 'events_registration'::regclass",
                [list(_TRIGGERS)],
            )
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events_registration' "
                f"AND name IN ({', '.join('%s' for _ in _TRIGGERS)})",
                list(_TRIGGERS),
            )
        return cursor.fetchone()[0]


def install(connection) -> bool:
    """Create the triggers where any is missing and recount every audience; True if it did."""
    if connection.vendor not in ("postgresql", "sqlite") or _present(connection) == len(_TRIGGERS):
        return False
    with connection.cursor() as cursor:
        for statement in _POSTGRESQL if connection.vendor == "postgresql" else _SQLITE:
            cursor.execute(statement)
        cursor.execute(_RECOUNT)
    return True


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for name in _TRIGGERS:
            on = " ON events_registration" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS events_registration_seats()")


def reinstall_missing(sender=None, using="default", **kwargs) -> None:
    """post_migrate: put back the triggers a table rebuild removed (SQLite), and recount."""
    connection = connections[using]
    tables = connection.introspection.table_names()
    if "events_registration" in tables and "events_audience" in tables:
        with connection.cursor() as cursor:
            columns = {c.name for c in connection.introspection.get_table_description(cursor, "events_audience")}
        if {"seats_taken", "people_waiting"} <= columns:
            install(connection)
