import datetime

import factory

from networks.models import Campaign, FairStand, Network, NetworkMembership, Post, Prospect, StateChange, Support
from testing.factories import OrganisationFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Industrieverbund Testregion {n}")
    slug = factory.Sequence(lambda n: f"industrieverbund-testregion-{n}")
    region = "Münsterland"
    topic = "Fachkräfte"
    state = Network.State.ACTIVE
    state_since = datetime.date(2019, 1, 1)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            StateChange.objects.create(
                network=self, previous_state="", state=self.state, changed_on=self.state_since, reason="angelegt"
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    joined_on = datetime.date(2019, 3, 1)


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2020
    kind = Support.Kind.MEMBER
    level = Support.Level.BASIC
    contribution = 500
    starts_on = datetime.date(2020, 1, 1)
    ends_on = datetime.date(2020, 12, 31)


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    contact_name = "Petra Prospekt"
    contact_email = factory.Sequence(lambda n: f"prospekt{n}@firma.example")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Azubimojis {n}")
    slug = factory.Sequence(lambda n: f"azubimojis-{n}")
    starts_on = datetime.date(2020, 9, 1)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    campaign = factory.SubFactory(CampaignFactory)
    published_on = datetime.date(2020, 9, 14)
    channel = "instagram"
    author_name = "Lea"
    author_role = "Auszubildende"
    link = factory.Sequence(lambda n: f"https://www.instagram.com/p/beitrag{n}")


class StandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FairStand

    name = factory.Sequence(lambda n: f"AzuBeYou {n}")
    held_on = datetime.date(2020, 11, 6)


def png_bytes(size=(40, 20), colour="navy") -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
