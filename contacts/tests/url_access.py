from core.roles import Role
from testing.access import Access

STAFF = Role.STAFF

URL_ACCESS = {
    "contacts:organisation_list": Access(STAFF),
    "contacts:organisation_suggestions": Access(STAFF, page=False, data={"feld": "q", "q": "Firma"}),
    "contacts:organisation_create": Access(STAFF),
    "contacts:organisation_detail": Access(STAFF, kwargs=lambda w: {"pk": w.company_a.pk}),
    "contacts:organisation_edit": Access(STAFF, kwargs=lambda w: {"pk": w.company_a.pk}),
    "contacts:organisation_add_person": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.company_a.pk}),
    "contacts:organisation_merge": Access(
        STAFF, kwargs=lambda w: {"pk": w.company_a.pk}, data={"other": "Firma B", "keep": "diesen"}
    ),
    "contacts:editor_invite": Access(STAFF),
    "contacts:person_list": Access(STAFF),
    "contacts:person_create": Access(STAFF),
    "contacts:person_suggestions": Access(STAFF, page=False, data={"feld": "q", "q": "a"}),
    "contacts:person_merge": Access(STAFF, kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:person_detail": Access(STAFF, kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:person_edit": Access(STAFF, kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:person_export": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:person_erase": Access(Role.LEAD, kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:audit_log": Access(STAFF),
    "contacts:organisation_export": Access(STAFF, page=False),
    "contacts:person_list_export": Access(STAFF, page=False),
    "contacts:organisation_import": Access(STAFF),
    "contacts:organisation_import_template": Access(STAFF, page=False),
    "contacts:organisation_import_preview": Access(STAFF, kwargs=lambda w: {"pk": w.import_batch.pk}),
    # a confirmed or discarded batch answers with a message and a redirect, so every allowed persona may POST
    "contacts:organisation_import_confirm": Access(
        STAFF, method="post", kwargs=lambda w: {"pk": w.import_batch_to_confirm.pk}
    ),
    "contacts:organisation_import_discard": Access(
        STAFF, method="post", kwargs=lambda w: {"pk": w.import_batch_to_discard.pk}
    ),
}


def build(world):
    from contacts.importing import import_preview
    from contacts.tests.helpers import csv_bytes, organisation_row
    from testing.factories import OrganisationRoleFactory

    world.person = OrganisationRoleFactory(organisation=world.company_a).person
    rows = [organisation_row(1, Kreis=""), organisation_row(2, PLZ="123"), organisation_row(3, Kreis="")]
    batches = [import_preview(data=csv_bytes(rows), filename="matrix.csv", user=world.staff) for _ in range(3)]
    world.import_batch, world.import_batch_to_confirm, world.import_batch_to_discard = batches
