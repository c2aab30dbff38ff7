"""What the speed work (issue 18) must not change: the day's page, whose empty booking form comes from
``core.fragments``, never offers a slot that is taken, always offers one that came free, shows a moved
day's new times and a cancellation on the very next request; the service stays at its statements."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisory import services
from advisory.models import ConsultationDay
from advisory.tests.factories import book, make_day

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_fragments")]


def _offered(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="b-slot" value="(\d+)"', page)}


def _times(page: str) -> list[str]:
    return re.findall(r"\d\d:\d\d–\d\d:\d\d", page)


def test_a_taken_slot_leaves_the_page_and_a_freed_one_comes_back_on_the_next_request(client, expert):
    day = make_day(expert, count=3)
    url = reverse("advisory:day_public", args=[day.pk])
    slots = {slot.number: slot.pk for slot in day.slots.all()}
    assert _offered(client.get(url).content.decode()) == set(slots.values())

    booking = book(day, slot=day.slots.get(number=2), email="bea@example.org")
    assert _offered(client.get(url).content.decode()) == {slots[1], slots[3]}

    services.booking_cancel(token=booking.token)
    assert _offered(client.get(url).content.decode()) == set(slots.values())

    book(day, slot=day.slots.get(number=1), email="a@example.org")
    book(day, slot=day.slots.get(number=2), email="b@example.org")
    book(day, slot=day.slots.get(number=3), email="c@example.org")
    page = client.get(url).content.decode()
    assert not _offered(page) and 'name="w-email"' in page and "Warteliste" in page


def test_a_moved_day_shows_its_new_times_and_a_cancelled_day_no_form(client, expert, staff):
    day = make_day(expert, count=2, minutes=30)
    url = reverse("advisory:day_public", args=[day.pk])
    before = _times(client.get(url).content.decode())
    assert len(before) == 2

    services.day_update(day=day, starts_at=day.starts_at + datetime.timedelta(hours=2), expert=expert, place=day.place)
    after = _times(client.get(url).content.decode())
    first = timezone.localtime(day.starts_at + datetime.timedelta(hours=2))
    assert after[0].startswith(f"{first:%H:%M}") and after != before

    services.day_cancel(day=ConsultationDay.objects.get(pk=day.pk))
    page = client.get(url).content.decode()
    assert "abgesagt" in page and not _offered(page)


def test_the_empty_form_follows_the_language(client, expert):
    day = make_day(expert, count=2)
    url = reverse("advisory:day_public", args=[day.pk])
    assert "E-Mail-Adresse" in client.get(url).content.decode()
    client.cookies["kammerwerk_language"] = "en"
    assert "E-Mail-Adresse" not in client.get(url).content.decode()


@pytest.mark.postgres  # the day's lock is a SELECT … FOR UPDATE there; SQLite locks the whole database
def test_booking_takes_the_day_lock_for_five_statements(expert):
    """Person lock, then the day locked and read with its series, the limit, the slot with whether it
    is held, the insert (plus the webhooks' own read); the confirmation follows after the commit."""
    day = make_day(expert, count=3)
    slot = day.slots.get(number=1)
    with CaptureQueriesContext(connection) as ctx:
        book(day, slot=slot, email="bea@example.org")
    statements = [query["sql"] for query in ctx.captured_queries]
    locked = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql)
    assert '"advisory_consultationseries"' in statements[locked]  # day and series in one statement
    inserted = next(i for i, sql in enumerate(statements) if sql.startswith('INSERT INTO "advisory_booking"'))
    assert inserted - locked == 3  # limit, slot; no savepoint, no re-read of the day
    assert not any("SAVEPOINT" in sql for sql in statements[locked:inserted])


# --- the page's content and the form come from core.fragments: what a visitor sees must not change --


def _visitor(prefix="b", **data):
    values = {
        "name": 'Ann <b>"O\'Neil"</b> & Co', "email": "ann@example.org", "company_name": "A&B <GmbH>",
        "description": "Zeile 1\n<script>alert(1)</script>", "consent": "on",
    }  # fmt: skip
    values.update(data)
    return {f"{prefix}-{key}": value for key, value in values.items() if value is not None}


def test_a_slot_taken_in_between_keeps_the_visitors_input_and_offers_the_slots_free_now(client, expert):
    day = make_day(expert, count=3)
    url = reverse("advisory:day_public", args=[day.pk])
    slots = {slot.number: slot.pk for slot in day.slots.all()}
    book(day, slot=day.slots.get(number=1), email="first@example.org")

    response = client.post(url, {"b-slot": slots[1], **_visitor()})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Dieser Termin ist nicht mehr frei. Bitte wählen Sie einen anderen." in page
    assert '<p class="error" id="id_b-slot_error">' in page and 'aria-invalid="true" id="id_b-slot_0"' in page
    assert _offered(page) == {slots[2], slots[3]} and "checked" not in page.split('name="b-slot"')[1][:80]
    assert 'value="Ann &lt;b&gt;&quot;O&#x27;Neil&quot;&lt;/b&gt; &amp; Co"' in page
    assert 'value="ann@example.org"' in page and 'value="A&amp;B &lt;GmbH&gt;"' in page
    assert "\nZeile 1\n&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page
    assert '<input type="checkbox" name="b-consent" required id="id_b-consent" checked>' in page
    assert "<dd>2 von 3</dd>" in page

    # the next visitor in the same situation sees their own input, none of the first one's
    response = client.post(url, {"b-slot": slots[1], **_visitor(name="Bob", email="bob@example.org", company_name="")})
    page = response.content.decode()
    assert 'value="Bob"' in page and 'value="bob@example.org"' in page and "Ann" not in page and "A&amp;B" not in page
    assert 'id="id_b-company_name">' in page  # an empty field has no value


def test_a_refusal_in_the_days_lock_shows_the_slots_free_then(client, expert, monkeypatch):
    """Someone books the chosen slot after the form was checked, before the day's lock: the page says
    so, keeps the input and offers only the slots still free."""
    day = make_day(expert, count=3)
    slots = {slot.number: slot.pk for slot in day.slots.all()}
    create = services.booking_create

    def someone_first(**kwargs):
        create(**{**kwargs, "email": "quick@example.org"})
        return create(**kwargs)

    monkeypatch.setattr(services, "booking_create", someone_first)
    response = client.post(reverse("advisory:day_public", args=[day.pk]), {"b-slot": slots[2], **_visitor()})
    page = response.content.decode()
    assert response.status_code == 400 and "gerade von jemand anderem gebucht" in page
    assert '<div class="form-errors" role="alert">' in page
    assert _offered(page) == {slots[1], slots[3]} and 'value="ann@example.org"' in page


def test_text_that_looks_like_a_marker_is_shown_as_typed(client, expert):
    from core.fragments import slot_marker

    day = make_day(expert, count=2)
    typed = f"{slot_marker('name')} und kwform-email-"
    response = client.post(
        reverse("advisory:day_public", args=[day.pk]), _visitor(name="Bea", description=typed, consent=None)
    )
    page = response.content.decode()
    assert response.status_code == 400 and f"\n{typed}</textarea>" in page
    assert "Bitte bestätigen Sie die Einwilligung" in page and 'value="Bea"' in page


@pytest.mark.parametrize(
    "prefix, data",
    [
        ("b", None),
        ("w", None),
        ("b", {"slot": "taken"}),
        ("b", {"slot": 0, "email": "keine-adresse", "consent": None, "name": ""}),
        ("b", {"slot": 1, "name": "N" * 151, "description": "d" * 2001, "consent": "false"}),
        ("b", {"slot": "abc", "company_name": None, "description": None}),
        ("w", {"email": "x@", "consent": None}),
        ("w", {}),
    ],
)
def test_the_cached_form_is_what_djangos_widgets_render(expert, prefix, data):
    """``BookingForm.html`` (rendered once per shape, the values put in) against the form rendered
    through ``includes/form.html`` as before: the same HTML, labels, errors, aria attributes and all,
    the first time and for a second visitor whose input takes the cached shape."""
    from django.template.loader import render_to_string

    from advisory.forms import BookingForm

    day = make_day(expert, count=3)
    taken = day.slots.get(number=1)
    book(day, slot=taken, email="first@example.org")
    free = list(day.slots.exclude(pk=taken.pk).order_by("number"))
    slots = free if prefix == "b" else None
    for person in ({}, {"name": "Zweite & Person", "email": "zwei@example.org", "description": "anders"}):
        form = None
        if data is not None:
            values = {**data}
            if "slot" in values:
                values["slot"] = {"taken": taken.pk, 0: free[0].pk, 1: free[1].pk}.get(values["slot"], values["slot"])
            merged = _visitor(prefix, **{**person, **values}) if values else {}
            form = BookingForm(merged, slots=slots, prefix=prefix)
            assert not form.is_valid()
        expected = render_to_string("includes/form.html", {"form": form or BookingForm(slots=slots, prefix=prefix)})
        assert BookingForm.html(prefix=prefix, slots=slots, form=form) == expected


def test_the_days_facts_and_counts_show_every_change_on_the_next_request(client, expert):
    day = make_day(expert, count=2, place="Raum 1")
    url = reverse("advisory:day_public", args=[day.pk])
    page = client.get(url).content.decode()
    assert "<dd>2 von 2</dd>" in page and "Raum 1" in page and "Dr. Erika Expert" in page

    services.day_update(day=day, starts_at=day.starts_at, expert=expert, place="Raum 7")
    type(expert).objects.filter(pk=expert.pk).update(full_name="Dr. Erika Neu")
    type(day.series).objects.filter(pk=day.series_id).update(name="Erfinderberatung neu")
    page = client.get(url).content.decode()
    assert "Raum 7" in page and "Dr. Erika Neu" in page and "Erfinderberatung neu am" in page

    book(day, slot=day.slots.get(number=1), email="a@example.org")
    assert "<dd>1 von 2</dd>" in client.get(url).content.decode()
    book(day, slot=day.slots.get(number=2), email="b@example.org")
    page = client.get(url).content.decode()
    assert "<dd>0 von 2</dd>" in page and "Derzeit warten 0 Personen." in page
    services.waitlist_join(day_id=day.pk, name="W", email="w1@example.org", consent=True)
    assert "Derzeit wartet 1 Person." in client.get(url).content.decode()
    services.waitlist_join(day_id=day.pk, name="W", email="w2@example.org", consent=True)
    assert "Derzeit warten 2 Personen." in client.get(url).content.decode()


def test_the_refused_form_follows_the_language(client, expert):
    day = make_day(expert, count=2)
    url = reverse("advisory:day_public", args=[day.pk])
    assert "Bitte bestätigen Sie die Einwilligung" in client.post(url, _visitor(consent=None)).content.decode()
    client.cookies["kammerwerk_language"] = "en"
    page = client.post(url, _visitor(consent=None)).content.decode()
    assert "Bitte bestätigen Sie die Einwilligung" not in page and "E-Mail-Adresse" not in page


def test_the_full_days_waiting_count_follows_the_language(client, expert):
    day = make_day(expert, count=1)
    book(day, email="a@example.org")
    for n in (1, 2):
        services.waitlist_join(day_id=day.pk, name="W", email=f"w{n}@example.org", consent=True)
    url = reverse("advisory:day_public", args=[day.pk])
    assert "Derzeit warten 2 Personen." in client.get(url).content.decode()
    client.cookies["kammerwerk_language"] = "en"
    assert "2 people are waiting." in client.get(url).content.decode()


def test_joining_a_waiting_list_refuses_while_a_slot_is_free_and_mails_each_place(expert):
    """The waiting list's checks and insert are compiled once (core.prepared): same refusals, same rows."""
    from core.models import OutgoingMail

    day = make_day(expert, count=1)
    with pytest.raises(services.BookingError) as error:
        services.waitlist_join(day_id=day.pk, name="Zu Früh", email="early@example.org", consent=True)
    assert error.value.code == "free"
    book(day, email="a@example.org")
    first = services.waitlist_join(day_id=day.pk, name="Erste", email="w1@example.org", consent=True)
    second = services.waitlist_join(day_id=day.pk, name="Zweite", email="w2@example.org", consent=True)
    with pytest.raises(services.BookingError) as error:
        services.waitlist_join(day_id=day.pk, name="Erste", email="W1@Example.org", consent=True)
    assert error.value.code == "duplicate"
    assert first.pk and first.token and first.created_at and second.token != first.token
    mails = {m.to_email: m.body_text for m in OutgoingMail.objects.filter(template="advisory_waitlist_joined")}
    assert "Platz 1 der Warteliste" in mails["w1@example.org"] and "Platz 2 der Warteliste" in mails["w2@example.org"]
