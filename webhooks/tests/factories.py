import factory

from webhooks.events import EVENT_TYPE_NAMES
from webhooks.models import Endpoint


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint

    name = factory.Sequence(lambda n: f"CRM {n}")
    url = "https://crm.example.org/hooks"
    event_types = factory.LazyFunction(lambda: list(EVENT_TYPE_NAMES))
