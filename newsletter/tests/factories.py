import factory
from django.utils import timezone

from newsletter.models import Issue, Item, NewsletterList, Subscriber


class NewsletterListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterList
        django_get_or_create = ("slug",)

    name = "Industrie-Newsletter"
    slug = "industrie"
    consent_wording = "Ja, ich möchte den Industrie-Newsletter per E-Mail erhalten. Abmeldung jederzeit."
    consent_version = "2020-09"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    newsletter_list = factory.SubFactory(NewsletterListFactory)
    email = factory.Sequence(lambda n: f"abonnent{n}@example.org")
    status = Subscriber.Status.ACTIVE
    created_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    newsletter_list = factory.SubFactory(NewsletterListFactory)
    number = factory.Sequence(lambda n: n + 1)
    subject = factory.Sequence(lambda n: f"Industrie-Newsletter Nr. {n + 1}")
    intro = "Liebe Leserinnen und Leser,"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    issue = factory.SubFactory(IssueFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Meldung {n}: Meet-the-Boss & Co.")
    teaser = "Unternehmer treffen Studierende – „Praxis“ zum Anfassen."
    text = "Vier Termine mit der FH Münster.\nJetzt anmelden."
    link = "https://www.industrie-initiative.example/aktuelles"
    source = "Industrie-Initiative"


def active_subscribers(newsletter_list, count: int) -> list[Subscriber]:
    now = timezone.now()
    return Subscriber.objects.bulk_create(
        [
            Subscriber(newsletter_list=newsletter_list, email=f"leser{n}@example.org", status=Subscriber.Status.ACTIVE,
                       created_at=now, confirmed_at=now)
            for n in range(count)
        ]
    )  # fmt: skip
