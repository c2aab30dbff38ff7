"""Query counts: the report pages read in a fixed number of queries, and the year's figures cost the
same number of queries whatever the number of records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.figures import figures_for_year
from reports import access, selectors, services
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def frozen(staff, lead):
    report = services.report_create(title="Bericht", year=YEAR, by=staff)
    version = report.versions.get()
    services.section_save(section=version.sections.get(), title="A", body="{contacts.organisations}", by=staff)
    services.version_freeze(version=version, by=lead)
    services.version_publish(version=version, by=lead)
    services.version_create(report=report, by=staff)
    return access.version_for_staff(version.pk)  # as the views fetch it


def test_report_pages_read_in_fixed_queries(frozen, django_assert_num_queries):
    report = frozen.report
    with django_assert_num_queries(1):
        assert len(selectors.reports_overview()) == 1
    with django_assert_num_queries(1):
        versions = selectors.report_versions(report)
    with django_assert_num_queries(1):
        selectors.version_sections(selectors.current_version(versions))
    with django_assert_num_queries(1):
        assert [v.number for v in selectors.template_choices()] == [2]
    with django_assert_num_queries(1):
        assert selectors.published_versions() == [frozen]


def test_a_frozen_version_reads_its_figures_from_its_snapshot_not_the_records(frozen, django_assert_num_queries):
    OrganisationFactory()
    with django_assert_num_queries(1):  # its sections; every figure comes from the snapshot
        document = selectors.document_for(frozen)
    assert document.sections[0].blocks[0].runs[0].text == "0"


def _figure_queries(year: int) -> int:
    with CaptureQueriesContext(connection) as context:
        figures_for_year(year)
    return len(context.captured_queries)


def test_the_years_figures_cost_the_same_queries_for_few_records_and_many():
    OrganisationFactory()
    few = _figure_queries(YEAR)
    OrganisationFactory.create_batch(30)
    assert _figure_queries(YEAR) == few
    # shared queries: a module's related figures come from one query, so fewer queries than figures
    assert few < len(figures_for_year(YEAR))
