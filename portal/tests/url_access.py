from core.roles import Role
from testing.access import Access, Public

STAFF = Role.STAFF
# Company editors and staff; the kwargs point at company A's entry (editor_a's own).
EDITOR = {"allowed": Role.EDITOR, "more": (Role.STAFF,)}

URL_ACCESS = {
    "portal:search": Public(),
    "portal:offer_detail": Public(kwargs=lambda w: {"slug": w.portal_offer.slug}),
    "portal:company_list": Public(),
    "portal:company_detail": Public(kwargs=lambda w: {"slug": w.portal_a.slug}),
    "portal:occupation_list": Public(),
    "portal:occupation_detail": Public(kwargs=lambda w: {"slug": w.portal_offer.occupation.slug}),
    "portal:sitemap": Public(page=False),
    "portal:alert_signup": Public(
        method="post", data={"email": "schuelerin@example.org", "consent": "on", "q": "Mechatroniker"}
    ),
    "portal:alert_pending": Public(),
    "portal:alert_confirm": Public(kwargs=lambda w: {"value": w.portal_alert_confirm_value}),
    "portal:alert_unsubscribe": Public(kwargs=lambda w: {"token": w.portal_alert.token}),
    "portal:occupation_suggestions": Public(page=False, data={"occupations_neu": "Mechatronik"}),
    "portal:editor_home": Access(**EDITOR),
    "portal:editor_dashboard": Access(**EDITOR, kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:profile_edit": Access(**EDITOR, kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:change_preview": Access(**EDITOR, kwargs=lambda w: {"pk": w.portal_change.pk}),
    "portal:site_create": Access(**EDITOR, kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:site_edit": Access(**EDITOR, kwargs=lambda w: {"pk": w.portal_a.pk, "site_pk": w.portal_site.pk}),
    "portal:site_delete": Access(**EDITOR, method="post", kwargs=lambda w: {"site_pk": w.portal_spare_site().pk}),
    "portal:offer_create": Access(**EDITOR, kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:offer_edit": Access(**EDITOR, kwargs=lambda w: {"offer_pk": w.portal_offer.pk}),
    "portal:offer_delete": Access(**EDITOR, method="post", kwargs=lambda w: {"offer_pk": w.portal_spare_offer().pk}),
    "portal:contact_add": Access(**EDITOR, method="post", kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:contact_remove": Access(**EDITOR, method="post", kwargs=lambda w: {"role_pk": w.portal_contact.pk}),
    "portal:photo_add": Access(**EDITOR, method="post", kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:photo_delete": Access(**EDITOR, method="post", kwargs=lambda w: {"photo_pk": w.portal_spare_photo().pk}),
    "portal:staff_list": Access(STAFF),
    "portal:staff_create": Access(STAFF),
    "portal:staff_profile": Access(STAFF, kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:staff_invite": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:staff_history": Access(STAFF, kwargs=lambda w: {"pk": w.portal_a.pk}),
    "portal:staff_rollback": Access(
        STAFF,
        method="post",
        kwargs=lambda w: {
            "pk": w.portal_a.pk,
            "model_key": "profil",
            "history_id": w.portal_a.history.earliest().history_id,
        },
    ),  # fmt: skip
    "portal:staff_reviews": Access(STAFF),
    "portal:staff_review_decide": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.portal_change.pk}),
    "portal:staff_event_invite": Access(STAFF),
    "portal:staff_figures": Access(STAFF),
}


def build(world):
    from portal.tests.factories import (
        ContactFactory,
        OfferFactory,
        PhotoFactory,
        ProfileFactory,
        SiteFactory,
        alert_factory,
        change_request,
        confirm_value,
    )

    world.portal_a = ProfileFactory(organisation=world.company_a)
    world.portal_b = ProfileFactory(organisation=world.company_b)
    world.portal_site = SiteFactory(profile=world.portal_a)
    world.portal_offer = OfferFactory(profile=world.portal_a, site=world.portal_site)
    world.portal_contact = ContactFactory(profile=world.portal_a)
    world.portal_change = change_request(world.portal_a, world.editor_a)
    world.portal_alert = alert_factory(email="alert@example.org", filters={"q": "Mechatroniker"})
    world.portal_alert_confirm_value = confirm_value(world.portal_alert)
    # POSTs that delete need a fresh object for every request of the matrix.
    world.portal_spare_site = lambda: SiteFactory(profile=world.portal_a)
    world.portal_spare_offer = lambda: OfferFactory(profile=world.portal_a)
    world.portal_spare_photo = lambda: PhotoFactory(profile=world.portal_a)
