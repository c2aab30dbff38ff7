"""Every selector reads in a fixed number of queries, however many rows there are."""

import datetime

import pytest

from climate import selectors
from climate.models import SurveyInvitation
from climate.reference import current_version
from climate.tests.factories import PolicyTalkFactory, PublicationFactory, SurveySubmissionFactory
from testing.factories import DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_rows():
    districts = [DistrictFactory(name=f"Kreis {n}") for n in range(3)]
    for n in range(12):
        organisation = OrganisationFactory(district=districts[n % 3], wz_code="24.10" if n % 2 else "35.11")
        SurveySubmissionFactory(organisation=organisation, switch_year=2030 + n % 4)
        invitation = SurveyInvitation.objects.create(organisation=organisation, email=f"e{n}@example.org")
        SurveySubmissionFactory(organisation=organisation, invitation=invitation, is_current=False)
    PolicyTalkFactory.create_batch(7)
    PublicationFactory.create_batch(4)
    PublicationFactory(is_public=False)
    return districts


@pytest.mark.parametrize(
    ("name", "call", "queries"),
    [
        ("regional_demand", lambda d: selectors.regional_demand(), 2),
        ("regional_demand filtered", lambda d: selectors.regional_demand(district_id=d[0].pk, section="C"), 2),
        (
            "submissions_latest",
            lambda d: [
                s.organisation.name + (s.district.name if s.district else "") for s in selectors.submissions_latest()
            ],
            1,
        ),  # fmt: skip
        ("submission_rows", lambda d: list(selectors.submission_rows()), 1),
        (
            "invitations_latest",
            lambda d: [(i.organisation.name, i.answered) for i in selectors.invitations_latest()],
            1,
        ),
        ("calculator_uses", lambda d: selectors.calculator_uses(2020), 1),
        ("talks_latest", lambda d: selectors.talks_latest(), 1),
        ("talks_filtered", lambda d: list(selectors.talks_filtered(year=2020, q="BEHG")), 1),
        ("talk_rows", lambda d: list(selectors.talk_rows()), 1),
        ("publications_latest", lambda d: selectors.publications_latest(), 1),
        ("publications_all", lambda d: selectors.publications_all(), 1),
        ("publications_public", lambda d: selectors.publications_public(), 1),
        ("reference_versions", lambda d: [(v.created_by, v.based_on) for v in selectors.reference_versions()], 1),
    ],
)
def test_selector_query_count(many_rows, django_assert_num_queries, name, call, queries):
    with django_assert_num_queries(queries):
        result = call(many_rows)
    assert result is not None, name


def test_reference_tables_read_one_version_in_two_queries(django_assert_num_queries):
    version = current_version()
    with django_assert_num_queries(2):
        prices, factors = selectors.reference_tables(version)
    assert len(prices) == 10 and len(factors) == 32


def test_selectors_return_what_they_promise(many_rows):
    assert len(selectors.submissions_latest(limit=5)) == 5
    assert len(list(selectors.submission_rows())) == 24  # current and superseded answers
    assert len(list(selectors.submission_rows(district_id=many_rows[0].pk))) == 8
    assert sum(1 for i in selectors.invitations_latest() if i.answered) == 12
    assert len(selectors.publications_public()) == 4 and len(selectors.publications_all()) == 5
    assert len(list(selectors.talks_filtered(year=datetime.date(2020, 3, 5).year))) == 7
    assert not list(selectors.talks_filtered(year=2019))
