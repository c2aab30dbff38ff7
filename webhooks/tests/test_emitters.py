"""Each module announces its changes through core.hooks with the documented type and payload."""

import pytest

from core.hooks import register_listener, unregister_listener

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    events = []
    register_listener(events.append)
    yield events
    unregister_listener(events.append)


def _types(events) -> list[str]:
    return [event.name for event in events]


def test_a_seat_freed_by_a_cancellation_is_offered_and_both_are_announced(announced):
    from events import services
    from events.services import RegistrationInput
    from events.tests.factories import event_with_audience

    event, audience = event_with_audience(quota=1)

    def register(email):
        data = RegistrationInput(audience_id=audience.pk, email=email, first_name="A", last_name="B")
        return services.registration_create(event=event, data=data)

    seated, waiting = register("a@example.org"), register("b@example.org")
    services.registration_cancel(registration=seated)
    assert _types(announced) == [
        "registration.created", "registration.created", "registration.cancelled", "registration.updated"
    ]  # fmt: skip
    assert announced[-1].payload == {
        "registration_id": waiting.pk, "event_id": event.pk, "audience_id": audience.pk, "status": "offered"
    }  # fmt: skip


def test_a_booking_is_announced_when_made_moved_and_cancelled(announced, expert):
    from advisory import services
    from advisory.tests.factories import book, make_day

    day = make_day(expert, count=3)
    booking = book(day)
    services.booking_move(token=booking.token, slot_id=day.slots.get(number=3).pk)
    services.booking_cancel(token=booking.token)
    assert _types(announced) == ["booking.created", "booking.moved", "booking.cancelled"]
    assert announced[1].payload["slot_id"] == day.slots.get(number=3).pk
    assert announced[2].payload == {
        "booking_id": booking.pk, "day_id": day.pk, "slot_id": day.slots.get(number=3).pk,
        "series_id": day.series_id, "status": "cancelled",
    }  # fmt: skip


def test_a_newsletter_subscription_is_announced_when_confirmed_and_ended(announced):
    from newsletter import services
    from newsletter.access import confirmation_value
    from newsletter.tests.factories import SubscriberFactory

    pending = SubscriberFactory(status="pending", confirmed_at=None, confirm_key="key-1")
    subscriber = services.subscriber_confirm(value=confirmation_value(pending))
    services.subscriber_unsubscribe(subscriber=subscriber)
    assert _types(announced) == ["subscription.confirmed", "subscription.unsubscribed"]
    assert announced[0].payload == {"subscriber_id": pending.pk, "list_id": pending.newsletter_list_id}
    assert "@" not in str(announced[0].payload)


def test_an_offer_is_announced_when_published_changed_and_withdrawn(announced, company_a, staff):
    from portal import services
    from portal.models import ChangeRequest
    from portal.tests.factories import OfferFactory, ProfileFactory

    profile = ProfileFactory(organisation=company_a)
    offer = OfferFactory(profile=profile, title="Ausbildung Mechatronik")
    services.change_submit(
        profile=profile, kind=ChangeRequest.Kind.OFFER, target_id=offer.pk, author=staff,
        data={"title": "Ausbildung Mechatronik 2027", "occupation": offer.occupation_id,
              "start_date": offer.start_date.isoformat()},
    )  # fmt: skip
    services.change_submit(profile=profile, kind=ChangeRequest.Kind.OFFER_DELETE, target_id=offer.pk, data={},
                           author=staff)  # fmt: skip
    assert _types(announced) == ["offer.published", "offer.changed", "offer.withdrawn"]
    assert announced[1].payload == {
        "offer_id": offer.pk, "profile_id": profile.pk, "organisation_id": company_a.pk, "slug": offer.slug,
        "title": "Ausbildung Mechatronik 2027",
    }  # fmt: skip
    assert announced[2].payload["offer_id"] == offer.pk
