"""core.prepared: the SQL is compiled once, the rows are read fresh on every call."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F
from django.utils import timezone

from core.models import OutgoingMail, ScheduledJobRun
from core.prepared import PreparedInsert, PreparedQuery, RowModel, compiled_rows

pytestmark = pytest.mark.django_db


def _mail(reference: str, subject: str) -> OutgoingMail:
    return OutgoingMail.objects.create(
        to_email="a@example.org", from_email="b@example.org", subject=subject, body_text="x", template="t",
        reference=reference, message_id=f"<{reference}@example.org>",
    )  # fmt: skip


def test_a_prepared_query_reads_fresh_rows_with_the_values_of_each_call(django_assert_num_queries):
    built = []

    def build(reference):
        built.append(reference)
        return OutgoingMail.objects.filter(reference=reference).values("reference", "subject", "created_at")

    query = PreparedQuery(build, reference="~sample~")
    first, second = _mail("r:1", "Erste"), _mail("r:2", "Zweite")
    with django_assert_num_queries(1):
        [row] = query.rows(reference="r:1")
    assert row == {"reference": "r:1", "subject": "Erste", "created_at": first.created_at}
    assert query.rows(reference="r:2")[0]["subject"] == "Zweite" and query.rows(reference="r:3") == []
    OutgoingMail.objects.filter(pk=second.pk).update(subject="Geändert")
    assert query.rows(reference="r:2")[0]["subject"] == "Geändert"
    assert built == ["~sample~"]  # compiled once; every call read the table


def test_lists_of_values_and_dates_take_their_places():
    mails = [_mail(f"r:{n}", f"Nr. {n}") for n in range(3)]
    query = PreparedQuery(
        lambda pks, since: OutgoingMail.objects.filter(pk__in=pks, created_at__gte=since).values("pk").order_by("pk"),
        pks=[-1, -2], since=datetime.datetime(1901, 1, 2, tzinfo=datetime.UTC),
    )  # fmt: skip
    since = timezone.now() - datetime.timedelta(hours=1)
    assert query.rows(pks=[mails[0].pk, mails[2].pk], since=since) == [{"pk": mails[0].pk}, {"pk": mails[2].pk}]
    assert query.rows(pks=[mails[1].pk, 0], since=since) == [{"pk": mails[1].pk}]
    assert query.rows(pks=[mails[1].pk, 0], since=timezone.now() + datetime.timedelta(hours=1)) == []
    # another number of values than the samples: built as usual, still right
    assert len(query.rows(pks=[mail.pk for mail in mails], since=since)) == 3


def test_a_value_used_twice_in_the_query_is_compiled_once_and_fills_both_places():
    built = []

    def build(reference):
        built.append(reference)
        same_reference = OutgoingMail.objects.filter(reference=reference, subject="Zweite")
        return OutgoingMail.objects.filter(reference=reference).values(
            "subject", twin=Exists(same_reference)
        )  # the filter and the subquery both hold the value

    _mail("r:1", "Erste")
    _mail("r:2", "Zweite")
    query = PreparedQuery(build, reference="~sample~")
    assert query.rows(reference="r:1") == [{"subject": "Erste", "twin": False}]
    assert query.rows(reference="r:2") == [{"subject": "Zweite", "twin": True}]
    assert built == ["~sample~"]


def test_a_sample_the_sql_does_not_carry_verbatim_is_built_every_time_and_still_right():
    built = []

    def build(text):
        built.append(text)
        return OutgoingMail.objects.filter(subject__icontains=text).values("subject")  # wrapped in % … %

    _mail("r:1", "Ihre Anmeldung")
    query = PreparedQuery(build, text="~sample~")
    assert query.rows(text="anmeldung") == [{"subject": "Ihre Anmeldung"}]
    assert query.rows(text="absage") == []
    assert built == ["~sample~", "anmeldung", "absage"]


def test_an_id_too_large_for_the_database_finds_nothing_instead_of_a_server_error():
    # /beratung/sprechtage/99999999999999999999/ gave a 500 on SQLite (OverflowError): the compiled
    # SQL took the URL's id as it came. Such a value now goes through the ORM, which knows it matches
    # no row, on either database; ordinary ids still use the compiled SQL.
    mail = _mail("r:big", "Groß")
    query = PreparedQuery(lambda pk: OutgoingMail.objects.filter(pk=pk).values("subject"), pk=-1)
    assert query.rows(pk=10**20) == [] and query.rows(pk=-(10**20)) == []
    assert query.rows(pk=mail.pk) == [{"subject": "Groß"}]


def test_compiled_rows_compile_once_per_key_and_read_fresh_rows():
    built = []

    def build(name):
        built.append(name)
        return ScheduledJobRun.objects.filter(name=name).values("name", "last_run_at")

    now = timezone.now()
    ScheduledJobRun.objects.create(name="a", last_run_at=now)
    assert compiled_rows(("test.jobs", "a"), lambda: build("a")) == [{"name": "a", "last_run_at": now}]
    later = now + datetime.timedelta(minutes=1)
    ScheduledJobRun.objects.filter(name="a").update(last_run_at=later)
    assert compiled_rows(("test.jobs", "a"), lambda: build("a"))[0]["last_run_at"] == later
    assert compiled_rows(("test.jobs", "b"), lambda: build("b")) == []  # another input, another key
    assert built == ["a", "b"]
    assert compiled_rows(("test.jobs", "none"), lambda: ScheduledJobRun.objects.filter(pk__in=[]).values("pk")) == []


def test_row_model_builds_instances_with_their_related_objects_cached(django_assert_num_queries):
    user = get_user_model().objects.create_user(email="staff@example.org", password="x" * 12)
    content_type = ContentType.objects.get_for_model(OutgoingMail)
    with_type = LogEntry.objects.create(user=user, content_type=content_type, object_repr="Mail", action_flag=1)
    without = LogEntry.objects.create(user=user, object_repr="ohne Typ", action_flag=2)
    entries = RowModel(LogEntry, related=("user", "content_type"))
    query = PreparedQuery(
        lambda pk: LogEntry.objects.filter(pk=pk).values(*entries.names, flag_twice=F("action_flag") * 2), pk=-1
    )
    with django_assert_num_queries(1):
        entry = entries.instance(query.rows(pk=with_type.pk)[0])
        assert (entry.pk, entry.object_repr, entry.flag_twice, entry._state.adding) == (with_type.pk, "Mail", 2, False)
        assert entry.user == user and entry.user.email == "staff@example.org" and entry.content_type == content_type
        assert entry.content_type.model == "outgoingmail" and entry.action_time == with_type.action_time
    with django_assert_num_queries(1):  # the row; an empty key is cached as None, not fetched
        assert entries.instance(query.rows(pk=without.pk)[0]).content_type is None
    # a plain instance: saved like any other, and the next read sees the change
    entry.object_repr = "Geändert"
    entry.save(update_fields=["object_repr"])
    assert entries.instance(query.rows(pk=with_type.pk)[0]).object_repr == "Geändert"


def test_compiled_pages_give_what_the_paginator_gives_for_the_queryset_and_read_fresh(django_assert_num_queries):
    from django.core.paginator import Paginator

    from core.prepared import CompiledPages

    for n in range(7):
        _mail(f"p:{n}", f"Betreff {n}")

    def build():
        return OutgoingMail.objects.filter(reference__startswith="p:").order_by("reference").values("reference")

    compiled = Paginator(CompiledPages(("test.pages",), build), 3)
    plain = Paginator(build(), 3)
    for number in (1, 2, 3, 4, "x"):
        assert list(compiled.get_page(number)) == list(plain.get_page(number))
        assert compiled.get_page(number).number == plain.get_page(number).number
    assert compiled.count == 7 and compiled.num_pages == 3
    _mail("p:0a", "neu")  # sorts second: the next read shows it and the new count
    fresh = Paginator(CompiledPages(("test.pages",), build), 3)
    with django_assert_num_queries(2):
        page = fresh.get_page(1)
        assert [row["reference"] for row in page] == ["p:0", "p:0a", "p:1"]
    assert fresh.count == 8
    empty = Paginator(CompiledPages(("test.pages", "none"), lambda: build().filter(pk__in=[])), 3)
    assert empty.count == 0 and list(empty.get_page(1)) == []


def test_compiled_pages_make_rows_into_instances():
    from core.prepared import CompiledPages

    mail = _mail("i:1", "Instanz")
    model = RowModel(OutgoingMail)
    pages = CompiledPages(
        ("test.instances",),
        lambda: OutgoingMail.objects.filter(reference="i:1").values(*model.names),
        row=model.instance,
    )
    [row] = pages[0:5]
    assert isinstance(row, OutgoingMail) and row.pk == mail.pk and row.subject == "Instanz"


def test_compiled_pages_hand_each_page_to_the_page_hook_once():
    from core.prepared import CompiledPages

    for n in range(4):
        _mail(f"h:{n}", f"Haken {n}")
    seen = []

    def page(rows: list) -> list:  # e.g. a second query for the whole page
        seen.append([row["reference"] for row in rows])
        return [{**row, "shown": row["reference"].upper()} for row in rows]

    pages = CompiledPages(
        ("test.hook",),
        lambda: OutgoingMail.objects.filter(reference__startswith="h:").order_by("reference").values("reference"),
        page=page,
    )
    assert [row["shown"] for row in pages[0:3]] == ["H:0", "H:1", "H:2"] and seen == [["h:0", "h:1", "h:2"]]
    assert [row["shown"] for row in pages[3:6]] == ["H:3"] and len(seen) == 2


def _unsaved_mail(reference: str, **values) -> OutgoingMail:
    return OutgoingMail(
        to_email="a@example.org", from_email="b@example.org", subject="Betreff", body_text="x", template="t",
        reference=reference, message_id=f"<{reference}@example.org>", headers={"X-Eins": "1"}, **values,
    )  # fmt: skip


def test_a_prepared_insert_writes_the_row_save_would_write(django_assert_num_queries):
    from django.db.models.signals import post_save, pre_save

    sent = []

    def record(signal):
        return lambda sender, instance, **kwargs: sent.append((signal, instance.pk, kwargs.get("created")))

    on_pre, on_post = record("pre"), record("post")
    pre_save.connect(on_pre, sender=OutgoingMail)
    post_save.connect(on_post, sender=OutgoingMail)
    try:
        insert = PreparedInsert(OutgoingMail)
        saved = _unsaved_mail("ins:save")
        saved.save()
        sent.clear()
        prepared = _unsaved_mail("ins:prepared")
        with django_assert_num_queries(1):
            assert insert.create(prepared) is prepared
        again = insert.create(_unsaved_mail("ins:again"))  # the compiled statement, other values
    finally:
        pre_save.disconnect(on_pre, sender=OutgoingMail)
        post_save.disconnect(on_post, sender=OutgoingMail)
    assert prepared.pk and again.pk > prepared.pk > saved.pk
    assert not prepared._state.adding and prepared._state.db == "default"
    assert sent[:2] == [("pre", None, None), ("post", prepared.pk, True)]  # as save() sends them

    def stored(pk):
        row = OutgoingMail.objects.filter(pk=pk).values().get()
        return {
            k: v for k, v in row.items() if k not in ("id", "reference", "message_id", "created_at", "next_attempt_at")
        }

    assert stored(prepared.pk) == stored(saved.pk)
    row = OutgoingMail.objects.get(pk=again.pk)
    assert (row.reference, row.headers, row.created_at) == ("ins:again", {"X-Eins": "1"}, again.created_at)
    assert row.created_at is not None  # auto_now_add through the field's pre_save


def test_a_prepared_insert_saves_an_expression_as_save_does():
    from django.db.models.functions import Now

    mail = PreparedInsert(OutgoingMail).create(_unsaved_mail("ins:expr", next_attempt_at=Now()))
    mail.refresh_from_db()
    assert mail.next_attempt_at is not None and OutgoingMail.objects.filter(reference="ins:expr").count() == 1


def test_a_model_whose_save_does_more_is_refused():
    from contacts.models import Organisation

    with pytest.raises(ValueError):
        PreparedInsert(Organisation)


def test_every_prepared_query_of_the_modules_is_compiled_once_not_built_on_every_call():
    """A sample the SQL does not carry makes a query quietly slow (built on every call, still right):
    the registration's seat count was one. Each of the modules' prepared queries must prepare."""
    import gc
    import importlib

    from django.apps import apps
    from django.db import connection, transaction

    from core.prepared import _UNPREPARED

    for app in apps.get_app_configs():
        for module in ("selectors", "services", "startpage", "views", "access", "tasks"):
            try:
                importlib.import_module(f"{app.name}.{module}")
            except ModuleNotFoundError as missing:
                if missing.name != f"{app.name}.{module}":
                    raise
    queries = [o for o in gc.get_objects() if isinstance(o, PreparedQuery) and o.build.__module__ != __name__]
    assert len(queries) > 10
    if connection.vendor == "sqlite":  # it passes dates as text: a query with a date sample is built each time there
        queries = [q for q in queries if not any(isinstance(v, datetime.date) for v in q.samples.values())]
    with transaction.atomic():  # the locking ones need a transaction, as they run in one
        unprepared = [q.build.__code__.co_filename for q in queries if q._prepare("default") is _UNPREPARED]
    assert unprepared == []
