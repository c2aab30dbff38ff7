"""Two people can never hold the same slot: many threads book at once (PostgreSQL and SQLite)."""

import random
import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection

from advisory import services
from advisory.models import Booking, WaitlistEntry
from advisory.tests.factories import make_day


def _storm(day_ids, threads: int, *, pick_slot=None) -> dict:
    results = {"booked": [], "rejected": [], "waitlisted": [], "errors": []}
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def _attempt(number):
        day_id = day_ids[number % len(day_ids)]
        slot_id = pick_slot(day_id) if pick_slot else None
        try:
            booking = services.booking_create(
                day_id=day_id, slot_id=slot_id, name=f"Person {number}", email=f"p{number}@example.org", consent=True
            )
        except services.BookingError as error:
            if error.code != "full":
                with lock:
                    results["rejected"].append(error.code)
                return
            try:
                services.waitlist_join(
                    day_id=day_id, name=f"Person {number}", email=f"p{number}@example.org", consent=True
                )
            except services.BookingError as join_error:
                # a retry after the commit went through but the queueing of the mail hit a lock (SQLite)
                assert join_error.code == "duplicate"
            with lock:
                results["waitlisted"].append(number)
            return
        with lock:
            results["booked"].append(booking.slot_id)

    def worker(number):
        try:
            barrier.wait(timeout=30)
            for attempt in range(200):
                try:
                    _attempt(number)
                    return
                except OperationalError:  # SQLite: database locked – try again like a client would
                    time.sleep(random.uniform(0.001, 0.02) * (1 + attempt % 5))
        except Exception as error:  # noqa: BLE001 – collected and asserted below
            with lock:
                results["errors"].append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    return results


def _assert_no_double_holders(expected_bookings):
    holders = list(Booking.objects.filter(status__in=["offered", "confirmed"]).values_list("slot_id", flat=True))
    assert len(holders) == len(set(holders)) == expected_bookings


def _same_slot_case(expert, threads):
    day = make_day(expert, count=1)
    slot_id = day.slots.get().pk
    results = _storm([day.pk], threads, pick_slot=lambda _day_id: slot_id)
    assert not results["errors"], results["errors"]
    # "limit": a SQLite retry of a request whose booking had committed (the mail queueing hit the lock)
    assert set(results["rejected"]) <= {"taken", "limit"}
    assert len(results["booked"]) + len(results["rejected"]) + len(results["waitlisted"]) == threads
    _assert_no_double_holders(1)


def _many_days_case(expert, threads, days=4, per_day=3):
    day_ids = [make_day(expert, days_ahead=5 + i, count=per_day).pk for i in range(days)]
    results = _storm(day_ids, threads)
    assert not results["errors"], results["errors"]
    assert set(results["rejected"]) <= {"limit"}  # only a retried request whose booking had already committed
    _assert_no_double_holders(days * per_day)
    assert WaitlistEntry.objects.count() == threads - days * per_day
    booked = set(Booking.objects.values_list("email", flat=True))
    waiting = set(WaitlistEntry.objects.values_list("email", flat=True))
    assert not booked & waiting and len(booked | waiting) == threads


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_slot_from_many_threads_postgres(expert):
    _same_slot_case(expert, threads=24)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_threads_many_days_postgres(expert):
    _many_days_case(expert, threads=30)


@pytest.mark.django_db(transaction=True)
def test_same_slot_from_many_threads_sqlite_or_any(expert):
    _same_slot_case(expert, threads=12)


@pytest.mark.django_db(transaction=True)
def test_many_threads_many_days_sqlite_or_any(expert):
    _many_days_case(expert, threads=16, days=3, per_day=2)


def _same_person_on_many_days(day_ids, *, waitlist_day_id=None) -> dict:
    """One person (one address) books every day at once, and joins a full day's list meanwhile."""
    results = {"booked": [], "refused": [], "errors": []}
    lock = threading.Lock()
    calls = [("book", day_id) for day_id in day_ids] + ([("wait", waitlist_day_id)] if waitlist_day_id else [])
    barrier = threading.Barrier(len(calls))

    def worker(kind, day_id):
        try:
            barrier.wait(timeout=30)
            if kind == "book":
                services.booking_create(day_id=day_id, name="Pia Person", email="pia@example.org", consent=True)
            else:
                services.waitlist_join(day_id=day_id, name="Pia Person", email="PIA@example.org", consent=True)
            with lock:
                results["booked"].append((kind, day_id))
        except services.BookingError as error:
            with lock:
                results["refused"].append(error.code)
        except Exception as error:  # noqa: BLE001 – a deadlock or any other failure is collected and asserted
            with lock:
                results["errors"].append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_booking_many_days_at_once_gets_only_the_limit_postgres(expert):
    """The person lock (taken before the day's) keeps the limit of one future booking per series even
    when the same address books eight days and joins a waiting list in the same instant; both services
    take the locks in the same order, so none deadlocks."""
    day_ids = [make_day(expert, days_ahead=5 + i, count=2).pk for i in range(8)]
    full = make_day(expert, days_ahead=20, count=1)
    services.booking_create(day_id=full.pk, name="Other", email="other@example.org", consent=True)
    results = _same_person_on_many_days(day_ids, waitlist_day_id=full.pk)
    assert not results["errors"], results["errors"]
    assert set(results["refused"]) == {"limit"}
    # a place on a waiting list does not count towards the limit: the join may go through before the booking
    assert [kind for kind, _day in results["booked"]].count("book") == 1
    assert Booking.objects.filter(email="pia@example.org").count() == 1
    _assert_no_double_holders(2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_for_the_same_slot_one_wins_postgres(expert):
    day = make_day(expert, count=2)
    slot_id = day.slots.get(number=2).pk
    results = _storm([day.pk], 2, pick_slot=lambda _day_id: slot_id)
    assert not results["errors"], results["errors"]
    assert results["booked"] == [slot_id] and results["rejected"] == ["taken"]
    _assert_no_double_holders(1)
