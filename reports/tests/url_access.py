from core.roles import Role
from testing.access import Access, Public

STAFF, LEAD = Role.STAFF, Role.LEAD

URL_ACCESS = {
    "reports:public_list": Public(),
    "reports:public_detail": Public(kwargs=lambda w: {"pk": w.reports_published.pk}),
    "reports:public_pdf": Public(kwargs=lambda w: {"pk": w.reports_published.pk}, page=False),
    "reports:report_list": Access(STAFF),
    "reports:report_create": Access(STAFF),
    "reports:report_detail": Access(STAFF, kwargs=lambda w: {"pk": w.reports_report.pk}),
    "reports:version_create": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.reports_report.pk}),
    "reports:version_detail": Access(STAFF, kwargs=lambda w: {"pk": w.reports_draft.pk}),
    "reports:version_pdf": Access(STAFF, kwargs=lambda w: {"pk": w.reports_draft.pk}, page=False),
    "reports:version_docx": Access(STAFF, kwargs=lambda w: {"pk": w.reports_draft.pk}, page=False),
    "reports:version_freeze": Access(LEAD, method="post", kwargs=lambda w: {"pk": w.reports_draft.pk}),
    "reports:version_publish": Access(LEAD, method="post", kwargs=lambda w: {"pk": w.reports_published.pk}),
    "reports:section_create": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.reports_draft.pk}),
    "reports:section_edit": Access(STAFF, kwargs=lambda w: {"pk": w.reports_section.pk}),
    "reports:section_preview": Access(
        STAFF, method="post", kwargs=lambda w: {"pk": w.reports_section.pk}, data={"title": "T", "body": "{jahr}"}
    ),
    "reports:section_delete": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.reports_section.pk}),
    "reports:section_move": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.reports_section.pk}),
}


def build(world):
    """A report with a frozen, published version 1 and a draft version 2 with its one section (so deleting
    it is refused for every persona alike: a report keeps at least one section)."""
    from reports import services
    from reports.models import Section

    report = services.report_create(title="Jahresbericht 2020", year=2020, by=world.staff)
    first = report.versions.get()
    body = (
        "Es gab {advisory.talks|rund} Gespräche.\n\n## Zahlen\n[[Verlauf: advisory.talks, 3]]\n"
        "[[Aufteilung: events.held_by_kind]]\n[[Tabelle: advisory.talks, advisory.inventor_days]]"
    )
    Section.objects.filter(version=first).update(title="Innovationsförderung", body=body)
    services.version_freeze(version=first, by=world.lead)
    services.version_publish(version=first, by=world.lead)
    draft = services.version_create(report=report, by=world.staff)
    world.reports_report, world.reports_published, world.reports_draft = report, first, draft
    world.reports_section = draft.sections.order_by("position").first()
