"""Many people register at once: no quota is ever exceeded (PostgreSQL, real threads)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events import services
from events.models import Registration
from events.services import RegistrationInput
from events.tests.factories import meet_the_boss

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_quotas_hold_under_concurrent_registration():
    event, bosses, students = meet_the_boss(boss_quota=5, student_quota=7, capacity=None)
    students.partners_only = False
    students.save()

    def register(number: int) -> str:
        audience = bosses if number % 2 else students
        try:
            data = RegistrationInput(
                audience_id=audience.pk, email=f"p{number % 50}@example.org", first_name="P", last_name=str(number)
            )
            return services.registration_create(event=event, data=data).status
        except services.RegistrationRefused:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(register, range(80)))
    seated = Registration.objects.filter(status__in=Registration.SEATED)
    assert seated.filter(audience=bosses).count() == 5
    assert seated.filter(audience=students).count() == 7
    # every e-mail at most once, the duplicates were refused
    assert Registration.objects.count() == 50 and results.count("refused") == 30
    assert Registration.objects.filter(status="waiting").count() == 50 - 12


def test_freed_seats_under_concurrent_cancel_and_register():
    event, bosses, _students = meet_the_boss(boss_quota=3, student_quota=1)
    first = [
        services.registration_create(
            event=event,
            data=RegistrationInput(audience_id=bosses.pk, email=f"s{i}@example.org", first_name="S", last_name="S"),
        )
        for i in range(3)
    ]

    def work(number: int):
        try:
            if number < 3:
                services.registration_cancel(registration=first[number])
            else:
                data = RegistrationInput(
                    audience_id=bosses.pk, email=f"n{number}@example.org", first_name="N", last_name="N"
                )
                services.registration_create(event=event, data=data)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(20)))
    assert Registration.objects.filter(audience=bosses, status__in=Registration.SEATED).count() == 3
