"""Thin background tasks: call a service."""

from django_tasks import task

from advisory import services


@task()
def send_reminders() -> int:
    return services.reminders_send()


@task()
def expire_offers() -> int:
    return services.offers_expire()


@task()
def erase_descriptions() -> int:
    return services.descriptions_erase()


@task(queue_name="mail")
def send_booking_mail(booking_id: int) -> bool:
    """The confirmation of a new booking (queued by booking_create on commit); safe to run again."""
    return services.booking_mail_send(booking_id=booking_id)


@task()
def resume_booking_mails() -> int:
    """Recurring: the confirmation of bookings whose request died between the slot and the mail."""
    from datetime import timedelta

    bookings = services.bookings_without_mail(older_than=timedelta(minutes=5), within=timedelta(days=2))
    return sum(services.booking_first_mail(booking=booking) for booking in bookings)
