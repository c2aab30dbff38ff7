from core.roles import Role
from testing.access import Access, Public

STAFF = Role.STAFF


def _event(w):
    return {"pk": w.event.pk}


URL_ACCESS = {
    "events:calendar": Public(),
    "events:feed": Public(page=False),
    "events:detail": Public(kwargs=lambda w: {"slug": w.event.slug}),
    "events:event_ics": Public(kwargs=lambda w: {"slug": w.event.slug}, page=False),
    "events:registration_manage": Public(kwargs=lambda w: {"token": w.registration.token}),
    "events:registration_cancel": Public(method="post", kwargs=lambda w: {"token": w.spare_registration.token}),
    "events:registration_accept": Public(method="post", kwargs=lambda w: {"token": w.spare_registration.token}),
    "events:registration_ics": Public(kwargs=lambda w: {"token": w.registration.token}, page=False),
    "events:staff_list": Access(STAFF),
    "events:staff_figures": Access(STAFF),
    "events:staff_create": Access(STAFF),
    "events:staff_detail": Access(STAFF, kwargs=lambda w: {"pk": w.mtb_event.pk}),  # partners, invitations
    "events:staff_edit": Access(STAFF, kwargs=_event),
    "events:staff_audience_add": Access(STAFF, method="post", kwargs=_event),
    "events:staff_question_add": Access(STAFF, method="post", kwargs=_event),
    "events:staff_partners": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.mtb_event.pk}),
    "events:staff_cancel": Access(STAFF, kwargs=_event),
    "events:staff_move_online": Access(STAFF, kwargs=_event),
    "events:staff_participants": Access(STAFF, kwargs=_event),
    "events:staff_export": Access(STAFF, kwargs=_event, page=False),
    "events:staff_checkin": Access(STAFF, kwargs=_event),
    "events:staff_invite": Access(STAFF, kwargs=_event),
    "events:staff_matching": Access(STAFF, kwargs=lambda w: {"pk": w.mtb_event.pk}),
    "events:staff_decide": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.registration.pk}),
    "events:staff_checkin_toggle": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.registration.pk}),
}


def build(world):
    from events.tests.factories import QuestionFactory, RegistrationFactory, event_with_audience, meet_the_boss

    world.event, audience = event_with_audience(quota=10)
    QuestionFactory(event=world.event, text="Nehmen Sie am Mittagessen teil?", kind="yesno")
    world.registration = RegistrationFactory(audience=audience, organisation_name="Firma A Maschinenbau")
    world.spare_registration = RegistrationFactory(audience=audience, email="ersatz@example.org")
    world.mtb_event, bosses, students = meet_the_boss(partner=world.company_b, partner_proof={"code": "PARTNER-1"})
    world.mtb_event.invitations.create(email="eingeladen@example.org")
    RegistrationFactory(audience=bosses, sectors=["maschinenbau"])
    RegistrationFactory(audience=students, sectors=["maschinenbau"])
