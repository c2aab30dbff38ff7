"""Schemathesis against the OpenAPI document, through the Django WSGI app: no 5xx on any endpoint,
every answer conforms to the document (status code, content type, body)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import SCOPES
from api.services import token_create
from events.tests.factories import QuestionFactory, RegistrationFactory, event_with_audience
from testing.factories import OrganisationRoleFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_app(db, settings):
    settings.API_RATE_LIMIT = 0  # the fuzzer sends many requests; the limit has its own test
    # the app runs inside the test's transaction: keep Django from closing the connection per request
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(wsgi_app, staff, expert, company_a):
    """A token with every scope, over a small world: rows in every module the API reads."""
    from advisory.tests.factories import book, make_day
    from competition.tests.factories import make_edition, make_project
    from networks.tests.factories import NetworkFactory
    from newsletter.tests.factories import NewsletterListFactory, SubscriberFactory
    from portal.tests.factories import OfferFactory, ProfileFactory

    event, audience = event_with_audience(quota=5)
    QuestionFactory(event=event, text="Vegetarisch?", kind="yesno")
    RegistrationFactory(audience=audience)
    OrganisationRoleFactory(organisation=company_a)
    OfferFactory(profile=ProfileFactory(organisation=company_a))
    book(make_day(expert, count=2), email="gebucht@example.org")
    SubscriberFactory(newsletter_list=NewsletterListFactory(), email="leserin@example.org")
    NetworkFactory(name="Verbund", slug="verbund")
    make_project(make_edition(stage="published", year=2024))

    return token_create(user=staff, name="Schemathesis", scopes=SCOPES).secret


# the document is read once, through the app, when the tests are collected (no database needed)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@hypothesis_settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_endpoint_keeps_to_its_schema(case, staff_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {staff_token}"}, checks=CHECKS)
