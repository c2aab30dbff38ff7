from core.roles import Role
from testing.access import Access, Public

STAFF = Role.STAFF


def _network(w):
    return {"pk": w.network.pk}


def _organisation(w):
    return {"pk": w.company_a.pk}


URL_ACCESS = {
    "networks:overview": Access(STAFF),
    "networks:overview_export": Access(STAFF, page=False),
    "networks:network_create": Access(STAFF),
    "networks:network_detail": Access(STAFF, kwargs=_network),
    "networks:network_edit": Access(STAFF, kwargs=_network),
    "networks:network_state": Access(STAFF, method="post", kwargs=_network),
    "networks:membership_add": Access(STAFF, kwargs=_network),
    "networks:member_export": Access(STAFF, kwargs=_network, page=False),
    "networks:meeting_link": Access(STAFF, method="post", kwargs=_network),
    "networks:meeting_plan": Access(STAFF, kwargs=_network),
    "networks:network_onepager": Access(STAFF, kwargs=_network, page=False),
    "networks:membership_edit": Access(STAFF, kwargs=lambda w: {"pk": w.membership.pk}),
    # POSTs that delete need a fresh object for every request of the matrix
    "networks:meeting_unlink": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.spare_meeting().pk}),
    "networks:organisation": Access(STAFF, kwargs=_organisation),
    "networks:logo_edit": Access(STAFF, kwargs=_organisation),
    "networks:support_add_for": Access(STAFF, method="post", kwargs=_organisation),
    "networks:prospect_board": Access(STAFF),
    "networks:prospect_export": Access(STAFF, page=False),
    "networks:prospect_create": Access(STAFF),
    "networks:prospect_detail": Access(STAFF, kwargs=lambda w: {"pk": w.prospect.pk}),
    "networks:prospect_move": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.prospect.pk}),
    "networks:prospect_onepager": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.prospect.pk}),
    "networks:initiative": Access(STAFF),
    "networks:supporters": Public(),
    "networks:support_create": Access(STAFF),
    "networks:support_edit": Access(STAFF, kwargs=lambda w: {"pk": w.support.pk}),
    "networks:initiative_event_link": Access(STAFF, method="post"),
    "networks:initiative_event_unlink": Access(
        STAFF, method="post", kwargs=lambda w: {"pk": w.spare_initiative_event().pk}
    ),
    "networks:initiative_invite": Access(STAFF, method="post"),
    "networks:initiative_onepager": Access(STAFF, page=False),
    "networks:statement": Access(Role.LEAD),
    "networks:statement_export": Access(Role.LEAD, page=False),
    "networks:partnerships": Access(STAFF),
    "networks:campaign_list": Access(STAFF),
    "networks:campaign_create": Access(STAFF),
    "networks:campaign_detail": Access(STAFF, kwargs=lambda w: {"pk": w.campaign.pk}),
    "networks:campaign_edit": Access(STAFF, kwargs=lambda w: {"pk": w.campaign.pk}),
    "networks:post_create": Access(STAFF, kwargs=lambda w: {"pk": w.campaign.pk}),
    "networks:post_export": Access(STAFF, kwargs=lambda w: {"pk": w.campaign.pk}, page=False),
    "networks:post_import": Access(STAFF, kwargs=lambda w: {"pk": w.campaign.pk}),
    "networks:post_import_preview": Access(STAFF, kwargs=lambda w: {"pk": w.post_import.pk}),
    "networks:post_import_confirm": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.post_import.pk}),
    "networks:post_import_discard": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.post_import.pk}),
    "networks:post_edit": Access(STAFF, kwargs=lambda w: {"pk": w.post.pk}),
    "networks:stand_list": Access(STAFF),
    "networks:stand_detail": Access(STAFF, kwargs=lambda w: {"pk": w.stand.pk}),
    "networks:lead_export": Access(STAFF, kwargs=lambda w: {"pk": w.stand.pk}, page=False),
}


def build(world):
    import datetime

    from django.utils import timezone

    from events.tests.factories import RegistrationFactory, event_with_audience
    from networks.models import InitiativeEvent, Lead, Logo, NetworkMeeting, PostImport
    from networks.tests.factories import (
        CampaignFactory,
        MembershipFactory,
        NetworkFactory,
        PostFactory,
        ProspectFactory,
        StandFactory,
        SupportFactory,
    )

    world.network = NetworkFactory(name="Industrieverbund Matrix", slug="industrieverbund-matrix")
    world.membership = MembershipFactory(network=world.network, organisation=world.company_a)
    held, audience = event_with_audience(
        title="Netzwerktreffen Matrix", status="held", starts_at=timezone.make_aware(datetime.datetime(2020, 7, 9, 17))
    )
    RegistrationFactory(audience=audience)
    world.network_meeting = NetworkMeeting.objects.create(network=world.network, event_id=held.pk)
    world.prospect = ProspectFactory(network=world.network, organisation=world.company_b)
    today = datetime.date.today()
    world.support = SupportFactory(
        organisation=world.company_a, year=today.year, kind="sponsor", level="gold",
        starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31),
    )  # fmt: skip
    # a file name only: the matrix runs once per URL and must not write files
    Logo.objects.create(organisation=world.company_a, image="networks/logos/matrix.png", public=True)
    mtb, _audience = event_with_audience(title="Meet-the-Boss Matrix", kind="meet_the_boss")
    world.initiative_event = InitiativeEvent.objects.create(event_id=mtb.pk)
    world.campaign = CampaignFactory(name="Azubimojis Matrix")
    world.post = PostFactory(campaign=world.campaign, organisation=world.company_a, reach=1200, interactions=90)
    world.post_import = PostImport.objects.create(
        campaign=world.campaign, filename="reichweite.csv",
        rows=[{"line": 2, "status": "update", "errors": [], "post_id": world.post.pk,
               "data": {"link": world.post.link, "published_on": "", "reach": 1500, "interactions": 120,
                        "caption": ""}}],
    )  # fmt: skip
    spare_ids = iter(range(10_000_000, 20_000_000))
    world.spare_meeting = lambda: NetworkMeeting.objects.create(network=world.network, event_id=next(spare_ids))
    world.spare_initiative_event = lambda: InitiativeEvent.objects.create(event_id=next(spare_ids))
    world.stand = StandFactory(name="AzuBeYou Matrix")
    Lead.objects.create(stand=world.stand, name="Mia Messe", email="mia@schule.example", consent_contact=True)
