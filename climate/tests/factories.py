import datetime
from decimal import Decimal

import factory

from climate.models import PolicyTalk, Publication, SurveySubmission
from testing.factories import OrganisationFactory


class PolicyTalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyTalk

    date = datetime.date(2020, 3, 5)
    institution = "Landtag NRW"
    people = "Abgeordnete"
    topic = "CO2-Bepreisung nach dem BEHG"
    outcome = "Position dargelegt"


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    title = factory.Sequence(lambda n: f"Kurzstudie {n}")
    published_on = datetime.date(2020, 7, 1)


class SurveySubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveySubmission

    organisation = factory.SubFactory(OrganisationFactory)
    district = factory.LazyAttribute(lambda o: o.organisation.district)
    wz_section = factory.LazyAttribute(lambda o: o.organisation.wz_section)
    contact_name = "Eva Energie"
    contact_email = factory.Sequence(lambda n: f"energie{n}@example.org")
    natural_gas_kwh = Decimal(1_000_000)
    switch_year = 2030
    switch_share = 100
    h2_demand_t = Decimal("27.093")
