"""The API's URLs in the permission matrix. JSON endpoints answer a logged-out caller 401 (no login page);
a session of the pages is a caller too, with the rights of its role (the tokens' rules are in test_api.py)."""

from core.roles import Role
from testing.access import Access, Public

STAFF, EDITOR = Role.STAFF, Role.EDITOR


def Api(role=STAFF, **kwargs) -> Access:  # noqa: N802
    return Access(role, page=False, anonymous_status=401, **kwargs)


URL_ACCESS = {
    "api:token_list": Access(STAFF, more=(EDITOR,)),
    "api:token_revoke": Access(STAFF, more=(EDITOR,), method="post", kwargs=lambda w: {"pk": w.api_token.pk}),
    # the browsable OpenAPI page and its document: public (swagger-ui is third-party; not axe-checked)
    "api:v1:openapi-json": Public(page=False),
    "api:v1:openapi-view": Public(page=False),
    "api:v1:api-root": Public(page=False),
    # staff scopes; a company editor sees only their own company (another one: 404)
    "api:v1:organisation_list": Api(STAFF, more=(EDITOR,)),
    "api:v1:organisation_get": Api(STAFF, more=(EDITOR,), kwargs=lambda w: {"id": w.company_a.pk}),
    "api:v1:organisation_create": Api(method="post"),  # an editor: 403, as on the pages
    # the same URL as organisation_get (ninja names each method); the PATCH rules are in test_api.py
    "api:v1:organisation_update": Api(STAFF, more=(EDITOR,), kwargs=lambda w: {"id": w.company_a.pk}),
    "api:v1:person_list": Api(STAFF, more=(EDITOR,)),
    "api:v1:person_get": Api(STAFF, more=(EDITOR,), kwargs=lambda w: {"id": w.api_person.pk}),
    "api:v1:registration_list": Api(),
    "api:v1:registration_get": Api(kwargs=lambda w: {"id": w.registration.pk}),
    "api:v1:registration_create": Api(
        method="post",
        kwargs=lambda w: {"id": w.event.pk},
        denied_status=403,
    ),  # fmt: skip
    "api:v1:registration_cancel": Api(method="post", kwargs=lambda w: {"id": w.spare_registration.pk}),
    # public reads
    "api:v1:event_list": Public(page=False),
    "api:v1:event_get": Public(page=False, kwargs=lambda w: {"id": w.event.pk}),
    "api:v1:company_list": Public(page=False),
    "api:v1:company_get": Public(page=False, kwargs=lambda w: {"id": w.portal_a.pk}),
    "api:v1:offer_list": Public(page=False),
    "api:v1:offer_get": Public(page=False, kwargs=lambda w: {"id": w.portal_offer.pk}),
    "api:v1:profile_list": Api(STAFF, more=(EDITOR,)),
    "api:v1:profile_get": Api(STAFF, more=(EDITOR,), kwargs=lambda w: {"id": w.portal_a.pk}),  # company_a's
    "api:v1:day_list": Api(),
    "api:v1:day_get": Api(kwargs=lambda w: {"id": w.day.pk}),
    "api:v1:booking_list": Api(),
    "api:v1:booking_get": Api(kwargs=lambda w: {"id": w.booking.pk}),
    "api:v1:booking_create": Api(method="post", kwargs=lambda w: {"id": w.day.pk}),
    "api:v1:list_list": Api(),
    "api:v1:subscription_list": Api(),
    "api:v1:subscription_get": Api(kwargs=lambda w: {"id": w.nl_subscriber.pk}),
    "api:v1:network_list": Api(),
    "api:v1:network_get": Api(kwargs=lambda w: {"id": w.network.pk}),
    "api:v1:edition_list": Public(page=False),
    "api:v1:edition_results": Public(page=False, kwargs=lambda w: {"year": w.jf_published.year}),
    "api:v1:figure_list": Api(data={"year": 2025, "prefix": "events."}),
    "api:v1:figure_get": Api(kwargs=lambda w: {"key": w.api_figure_key}, data={"year": 2025}),
}


def build(world):
    from api.services import token_create
    from core.figures import all_figures
    from testing.factories import OrganisationRoleFactory

    # an editor's token of their own company: staff and the editor may revoke it
    world.api_token = token_create(
        user=world.editor_a, name="Matrix", scopes=["portal:read"], organisation=world.company_a
    ).token
    world.api_person = OrganisationRoleFactory(organisation=world.company_a).person
    world.api_figure_key = all_figures()[0].key
