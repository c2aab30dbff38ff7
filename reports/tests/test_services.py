"""Versions, freezing and publishing: what staff and the lead can rely on."""

import pytest
from django.utils import timezone

from core.errors import StateConflict
from reports import selectors, services
from reports.models import Section, Version
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _report(staff, body: str, title: str = "Kontakte"):
    report = services.report_create(title=f"Jahresbericht {YEAR}", year=YEAR, by=staff)
    draft = report.versions.get()
    section = draft.sections.get()
    services.section_save(section=section, title=title, body=body, by=staff)
    return report, draft


def _sentence(version) -> str:
    document = selectors.document_for(Version.objects.get(pk=version.pk))
    return "".join(run.text for run in document.sections[0].blocks[0].runs)


def test_changing_a_record_changes_a_new_report_but_not_a_frozen_one(staff, lead):
    OrganisationFactory.create_batch(3)
    report, draft = _report(staff, "Wir betreuen {contacts.organisations} Organisationen.")
    services.version_freeze(version=draft, by=lead)
    OrganisationFactory.create_batch(2)  # records change after the freeze

    assert _sentence(draft) == "Wir betreuen 3 Organisationen."
    new_draft = services.version_create(report=report, by=staff)
    assert _sentence(new_draft) == "Wir betreuen 5 Organisationen."
    _other, other_draft = _report(staff, "Heute {contacts.organisations}.")
    assert _sentence(other_draft) == "Heute 5."
    # the frozen version's outputs keep the old figure too, including the comparison with the year before
    document = selectors.document_for(Version.objects.get(pk=draft.pk))
    row = next(row for group in document.comparison for row in group.rows if row[0].startswith("Organisationen im"))
    assert row[2] == "3"


def test_a_frozen_version_cannot_be_edited(staff, lead):
    _report_, draft = _report(staff, "Text.")
    services.version_freeze(version=draft, by=lead)
    section = Section.objects.get(version=draft)
    with pytest.raises(StateConflict):
        services.section_save(section=section, title="Neu", body="geändert", by=staff)
    with pytest.raises(StateConflict):
        services.section_add(version=draft, title="Noch einer", by=staff)
    with pytest.raises(StateConflict):
        services.version_freeze(version=draft, by=lead)
    assert Section.objects.get(version=draft).body == "Text."


def test_lead_cannot_freeze_a_report_with_an_unknown_placeholder(staff, lead):
    _report_, draft = _report(staff, "Es gab {advisory.talkz} Gespräche.")
    with pytest.raises(services.ReportRefused, match="advisory.talkz"):
        services.version_freeze(version=draft, by=lead)
    assert Version.objects.get(pk=draft.pk).is_draft


def test_a_report_has_one_draft_and_a_new_version_starts_from_the_last(staff, lead):
    report, draft = _report(staff, "Erster Text.")
    with pytest.raises(services.ReportRefused):
        services.version_create(report=report, by=staff)
    services.version_freeze(version=draft, by=lead)
    second = services.version_create(report=report, by=staff)
    assert second.number == 2 and second.is_draft
    assert [s.body for s in second.sections.all()] == ["Erster Text."]


def test_a_new_report_can_take_last_years_text(staff, lead):
    _old, old_draft = _report(staff, "{contacts.organisations} im Jahr {jahr}.")
    report = services.report_create(title="Nächstes Jahr", year=YEAR + 1, by=staff, copy_from=old_draft)
    draft = report.versions.get()
    assert _sentence(draft) == f"0 im Jahr {YEAR + 1}."


def test_only_a_frozen_version_is_published_and_only_one_per_report(staff, lead):
    report, draft = _report(staff, "Text.")
    with pytest.raises(services.ReportRefused):
        services.version_publish(version=draft, by=lead)
    services.version_freeze(version=draft, by=lead)
    services.version_publish(version=draft, by=lead)
    second = services.version_create(report=report, by=staff)
    services.version_freeze(version=second, by=lead)
    services.version_publish(version=second, by=lead)
    assert list(Version.objects.filter(published_at__isnull=False)) == [second]


def test_sections_move_and_the_last_one_stays(staff):
    _report_, draft = _report(staff, "A", title="Erster")
    second = services.section_add(version=draft, title="Zweiter", by=staff)
    services.section_move(section=second, up=True, by=staff)
    assert list(draft.sections.order_by("position").values_list("title", flat=True)) == ["Zweiter", "Erster"]
    services.section_delete(section=second, by=staff)
    with pytest.raises(services.ReportRefused):
        services.section_delete(section=draft.sections.get(), by=staff)
