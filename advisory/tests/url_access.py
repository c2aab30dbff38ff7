from core.roles import Role
from testing.access import Access, Public

STAFF = Role.STAFF
EXPERT = Role.EXPERT

URL_ACCESS = {
    # public
    "advisory:days_public": Public(),
    "advisory:day_public": Public(kwargs=lambda w: {"pk": w.day.pk}),
    "advisory:waitlist_join": Public(method="post", kwargs=lambda w: {"pk": w.full_day.pk}),
    "advisory:booking_manage": Public(kwargs=lambda w: {"token": w.booking.token}),
    "advisory:booking_cancel": Public(method="post", kwargs=lambda w: {"token": w.spare_booking.token}),
    "advisory:booking_move": Public(method="post", kwargs=lambda w: {"token": w.booking.token}),
    "advisory:offer_accept": Public(method="post", kwargs=lambda w: {"token": w.booking.token}),
    "advisory:booking_ics": Public(page=False, kwargs=lambda w: {"token": w.booking.token}),
    "advisory:waitlist_manage": Public(kwargs=lambda w: {"token": w.waitlist_entry.token}),
    "advisory:programmes_public": Public(),
    # staff
    "advisory:overview": Access(STAFF),
    "advisory:consultation_list": Access(STAFF),
    "advisory:consultation_create": Access(STAFF),
    "advisory:consultation_edit": Access(STAFF, kwargs=lambda w: {"pk": w.consultation.pk}),
    "advisory:consultation_follow_up_done": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.consultation.pk}),
    "advisory:programme_list": Access(STAFF),
    "advisory:programme_create": Access(STAFF),
    "advisory:programme_edit": Access(STAFF, kwargs=lambda w: {"pk": w.programme.pk}),
    "advisory:matcher": Access(STAFF, data={"employees": "600", "wz_section": "C"}),
    "advisory:day_list": Access(STAFF),
    "advisory:day_create": Access(STAFF),
    "advisory:day_series_create": Access(STAFF),
    "advisory:day_edit": Access(STAFF, kwargs=lambda w: {"pk": w.day.pk}),
    "advisory:day_cancel": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.day.pk}),
    # staff and the day's expert
    "advisory:day_detail": Access(STAFF, more=(EXPERT,), kwargs=lambda w: {"pk": w.day.pk}),
    "advisory:bookings_export": Access(STAFF, more=(EXPERT,), page=False),
    "advisory:booking_attendance": Access(STAFF, more=(EXPERT,), method="post", kwargs=lambda w: {"pk": w.booking.pk}),
    # experts
    "advisory:expert_schedule": Access(EXPERT),
    "advisory:expert_feed_reset": Access(EXPERT, method="post"),
    # the expert's private calendar feed, opened by its secret address
    "advisory:expert_feed": Public(page=False, kwargs=lambda w: {"token": w.expert_calendar.token}),
}


def build(world):
    from advisory.catalogue import load_catalogue
    from advisory.models import FundingProgramme

    load_catalogue()
    from advisory.tests.factories import ConsultationFactory, book, make_day

    world.day = make_day(world.expert, count=4)
    world.booking = book(world.day, email="gebucht@example.org")
    world.spare_booking = book(world.day, email="storno@example.org")
    world.full_day = make_day(world.expert, days_ahead=12, count=1)
    book(world.full_day, email="voll@example.org")
    from advisory import services

    world.waitlist_entry = services.waitlist_join(
        day_id=world.full_day.pk, name="Wanda Warte", email="warte@example.org", consent=True
    )
    from testing.factories import OrganisationFactory, OrganisationRoleFactory

    client = OrganisationFactory(name="Beratungskunde Werkzeugbau")
    contact = OrganisationRoleFactory(organisation=client).person  # the talk's form offers this person
    world.consultation = ConsultationFactory(adviser=world.staff, organisation=client, person=contact, contact_name="")
    world.programme = FundingProgramme.objects.get(slug="zim")
    world.expert_calendar = services.expert_calendar_reset(expert=world.expert)
