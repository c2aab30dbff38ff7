from accounts.roles import Role
from core.testing.access import Access

STAFF = Role.STAFF

URL_ACCESS = {
    "contacts:organisation_list": Access(STAFF),
    "contacts:organisation_create": Access(STAFF),
    "contacts:organisation_detail": Access(STAFF, kwargs=lambda w: {"pk": w.company_a.pk}),
    "contacts:organisation_edit": Access(STAFF, kwargs=lambda w: {"pk": w.company_a.pk}),
    "contacts:organisation_add_person": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.company_a.pk}),
    "contacts:person_list": Access(STAFF),
    "contacts:person_create": Access(STAFF),
    "contacts:person_detail": Access(STAFF, kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:person_edit": Access(STAFF, kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:person_export": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:person_erase": Access(Role.LEAD, kwargs=lambda w: {"pk": w.person.pk}),
    "contacts:audit_log": Access(STAFF),
}


def build(world):
    from core.testing.factories import OrganisationRoleFactory

    world.person = OrganisationRoleFactory(organisation=world.company_a).person
