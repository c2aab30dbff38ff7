from core.roles import Role
from testing.access import Access, LoggedIn, Public

STAFF = Role.STAFF

URL_ACCESS = {
    "climate:calculator": Public(),
    "climate:calculator_csv": Public(data={"natural_gas": "100000"}, page=False),
    "climate:calculator_pdf": Public(data={"natural_gas": "100000"}, page=False),
    "climate:methodology": Public(),
    "climate:relief": Public(),
    "climate:hydrogen": Public(),
    "climate:survey": LoggedIn(),
    "climate:survey_token": Public(kwargs=lambda w: {"token": w.climate_token}),
    "climate:publications": Public(),
    "climate:publication_file": Public(kwargs=lambda w: {"pk": w.climate_publication.pk}, page=False),
    "climate:staff_dashboard": Access(STAFF),
    "climate:reference": Access(STAFF),
    "climate:reference_version": Access(STAFF, kwargs=lambda w: {"pk": w.climate_version.pk}),
    "climate:reference_price": Access(STAFF),
    "climate:reference_factor": Access(STAFF),
    "climate:survey_overview": Access(STAFF),
    "climate:survey_export": Access(STAFF, page=False),
    "climate:survey_answers_export": Access(STAFF, page=False),
    "climate:survey_invite": Access(STAFF),
    "climate:survey_invitation_revoke": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.climate_invitation.pk}),
    "climate:talk_list": Access(STAFF),
    "climate:talk_export": Access(STAFF, page=False),
    "climate:talk_create": Access(STAFF),
    "climate:talk_edit": Access(STAFF, kwargs=lambda w: {"pk": w.climate_talk.pk}),
    "climate:publication_list": Access(STAFF),
    "climate:publication_create": Access(STAFF),
    "climate:publication_edit": Access(STAFF, kwargs=lambda w: {"pk": w.climate_publication.pk}),
}


def build(world):
    import datetime
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from climate import services
    from climate.models import PolicyTalk, Publication, SurveyInvitation
    from climate.reference import current_version

    world.climate_version = current_version()
    world.climate_talk = PolicyTalk.objects.create(
        date=datetime.date(2020, 3, 5), institution="Landtag NRW", people="MdL", topic="CO2-Preis"
    )
    publication = Publication(title="Kurzstudie Emissionshandel", published_on=datetime.date(2020, 7, 1))
    publication.file.save("kurzstudie.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    publication.save()
    world.climate_publication = publication
    invitation = SurveyInvitation.objects.create(organisation=world.company_a, email="energie@firma-a.example")
    world.climate_token = services.survey_token(invitation)
    world.climate_invitation = SurveyInvitation.objects.create(organisation=world.company_b, email="x@firma-b.example")
    services.survey_submit(
        organisation=world.company_a, contact_name="Eva Energie", contact_email="energie@firma-a.example",
        natural_gas_kwh=Decimal(1_000_000), heating_oil_l=None, switch_year=timezone.localdate().year + 1, switch_share=50, can_host=False,
        needs_connection=True,
    )  # fmt: skip
