"""The JSON API as a connected system would use it: tokens, scopes, errors, pages, ETags."""

import datetime
import json

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.selectors import hash_secret
from api.services import token_create, token_revoke
from events.models import Registration
from events.tests.factories import QuestionFactory, event_with_audience
from testing.factories import OrganisationFactory, OrganisationRoleFactory

pytestmark = pytest.mark.django_db


def post_json(client, url, data, **headers):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **headers)


def test_a_whole_event_registration_through_the_api(client, staff, bearer):
    event, audience = event_with_audience(quota=1)
    question = QuestionFactory(event=event, text="Vegetarisch?", kind="yesno", required=True)
    auth = bearer(staff, ["events:read", "events:write"])

    created = post_json(client, f"/api/v1/events/{event.pk}/registrations", {
        "audience_id": audience.pk, "email": "Ada@Example.org", "first_name": "Ada", "last_name": "Lovelace",
        "answers": {str(question.pk): "ja"},
    }, **auth)  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "confirmed" and body["email"] == "ada@example.org"

    read = client.get(f"/api/v1/registrations/{body['id']}", **auth)
    assert read.status_code == 200 and read.json()["last_name"] == "Lovelace"
    listed = client.get(f"/api/v1/registrations?event={event.pk}", **auth).json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]

    # the same rules as the form: the quota is full, so the next one waits
    second = post_json(client, f"/api/v1/events/{event.pk}/registrations", {
        "audience_id": audience.pk, "email": "grace@example.org", "first_name": "Grace", "last_name": "Hopper",
        "answers": {str(question.pk): "nein"},
    }, **auth)  # fmt: skip
    assert second.status_code == 201 and second.json()["status"] == "waiting"
    # and a double registration is refused with the service's message and code, nothing stored
    again = post_json(client, f"/api/v1/events/{event.pk}/registrations", {
        "audience_id": audience.pk, "email": "ada@example.org", "first_name": "Ada", "last_name": "L",
        "answers": {str(question.pk): "ja"},
    }, **auth)  # fmt: skip
    assert again.status_code == 422
    assert again.json()["code"] == "registration_refused" and "bereits" in again.json()["message"]
    assert Registration.objects.filter(event=event).count() == 2

    # Ada cancels: her seat goes to Grace, as with the link in the mail
    cancelled = client.post(f"/api/v1/registrations/{body['id']}/cancel", **auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get(f"/api/v1/registrations/{second.json()['id']}", **auth).json()["status"] in (
        "offered",
        "confirmed",
    )


def test_bad_input_gets_a_clear_error_and_changes_nothing(client, staff, bearer):
    event, audience = event_with_audience()
    other_event, foreign_audience = event_with_audience()
    auth = bearer(staff, ["events:write"])
    url = f"/api/v1/events/{event.pk}/registrations"
    valid = {"audience_id": audience.pk, "email": "a@example.org", "first_name": "A", "last_name": "B"}

    malformed = post_json(client, url, '{"audience_id": ', **auth)
    assert malformed.status_code == 400 and malformed.json()["code"] == "malformed_json"
    wrong_type = post_json(client, url, {**valid, "audience_id": "viele"}, **auth)
    assert wrong_type.status_code == 422 and wrong_type.json()["code"] == "invalid"
    assert wrong_type.json()["errors"][0]["field"] == "audience_id"
    unknown = post_json(client, url, {**valid, "is_admin": True}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "is_admin"
    foreign = post_json(client, url, {**valid, "audience_id": foreign_audience.pk}, **auth)
    assert foreign.status_code == 422 and foreign.json()["field"] == "audience"
    nul = post_json(client, url, {**valid, "first_name": "A\u0000"}, **auth)
    assert nul.status_code == 400
    missing_event = post_json(client, "/api/v1/events/999999/registrations", valid, **auth)
    assert missing_event.status_code == 404 and missing_event.json()["code"] == "not_found"
    assert not Registration.objects.exists()


def test_tokens_are_stored_hashed_and_expired_or_revoked_ones_are_refused(client, staff, bearer):
    created = token_create(user=staff, name="CRM", scopes=["contacts:read"])
    assert created.secret.startswith("kw_") and created.secret not in str(ApiToken.objects.values_list())
    assert created.token.key_hash == hash_secret(created.secret)
    header = {"HTTP_AUTHORIZATION": f"Bearer {created.secret}"}
    assert client.get("/api/v1/organisations", **header).status_code == 200
    created.token.refresh_from_db()
    assert created.token.last_used_at is not None

    assert client.get("/api/v1/organisations").json()["code"] == "token_missing"
    unknown = client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer kw_falsch")
    assert unknown.status_code == 401 and unknown.json()["code"] == "token_invalid"
    expired = bearer(staff, ["contacts:read"], expires_at=timezone.now() + datetime.timedelta(seconds=1))
    ApiToken.objects.filter(name="Test").update(expires_at=timezone.now() - datetime.timedelta(days=1))
    answer = client.get("/api/v1/organisations", **expired)
    assert answer.status_code == 401 and answer.json()["code"] == "token_expired"
    token_revoke(token=created.token)
    answer = client.get("/api/v1/organisations", **header)
    assert answer.status_code == 401 and answer.json()["code"] == "token_revoked"


def test_a_token_used_beyond_its_scope_is_refused(client, staff, bearer):
    event, audience = event_with_audience()
    read_only = bearer(staff, ["events:read"])
    answer = post_json(client, f"/api/v1/events/{event.pk}/registrations", {
        "audience_id": audience.pk, "email": "a@example.org", "first_name": "A", "last_name": "B",
    }, **read_only)  # fmt: skip
    assert answer.status_code == 403 and answer.json()["code"] == "scope_missing"
    assert "events:write" in answer.json()["message"]
    assert client.get("/api/v1/people", **read_only).json()["code"] == "scope_missing"
    assert not Registration.objects.exists()


def test_a_company_editors_token_sees_only_their_company(client, editor_a, company_a, company_b, bearer):
    auth = bearer(editor_a, ["contacts:read", "portal:read"], organisation=company_a)
    own_person = OrganisationRoleFactory(organisation=company_a).person
    other_person = OrganisationRoleFactory(organisation=company_b).person

    assert client.get(f"/api/v1/organisations/{company_a.pk}", **auth).status_code == 200
    other = client.get(f"/api/v1/organisations/{company_b.pk}", **auth)
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert [row["id"] for row in client.get("/api/v1/organisations", **auth).json()["items"]] == [company_a.pk]
    assert client.get(f"/api/v1/people/{own_person.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/people/{other_person.pk}", **auth).status_code == 404
    from portal.tests.factories import ProfileFactory

    own_profile = ProfileFactory(organisation=company_a, is_published=False)
    other_profile = ProfileFactory(organisation=company_b)
    assert client.get(f"/api/v1/portal/profiles/{own_profile.pk}", **auth).json()["is_published"] is False
    assert client.get(f"/api/v1/portal/profiles/{other_profile.pk}", **auth).status_code == 404
    assert [row["id"] for row in client.get("/api/v1/portal/profiles", **auth).json()["items"]] == [own_profile.pk]
    # an editor cannot reach staff modules, whatever the token says
    assert client.get("/api/v1/registrations", **auth).json()["code"] == "scope_missing"


def test_an_editor_cannot_create_a_token_for_another_company(editor_a, company_b):
    from core.errors import ServiceError

    with pytest.raises(ServiceError):
        token_create(user=editor_a, name="X", scopes=["portal:read"], organisation=company_b)
    with pytest.raises(ServiceError):
        token_create(
            user=editor_a, name="X", scopes=["events:read"], organisation=editor_a.editor_of.first().organisation
        )
    assert not ApiToken.objects.exists()


def test_cursor_pagination_walks_every_row_once(client, staff, bearer):
    names = [f"Firma {i:03d}" for i in range(7)]
    for name in reversed(names):
        OrganisationFactory(name=name)
    auth = bearer(staff, ["contacts:read"])
    seen, url = [], "/api/v1/organisations?limit=3"
    while url:
        page = client.get(url, **auth).json()
        seen += [row["name"] for row in page["items"]]
        url = f"/api/v1/organisations?limit=3&cursor={page['next_cursor']}" if page["next_cursor"] else None
    assert seen == names
    bad = client.get("/api/v1/organisations?cursor=kaputt", **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "cursor_invalid"


def test_an_unchanged_list_answers_304_to_its_etag(client, staff, bearer):
    OrganisationFactory(name="Firma Etag")
    auth = bearer(staff, ["contacts:read"])
    first = client.get("/api/v1/organisations", **auth)
    assert first.status_code == 200 and first["ETag"]
    assert "private" in first["Cache-Control"] and "Authorization" in first["Vary"]  # never in a shared cache
    again = client.get("/api/v1/organisations", HTTP_IF_NONE_MATCH=first["ETag"], **auth)
    assert again.status_code == 304
    OrganisationFactory(name="Firma Neu")
    changed = client.get("/api/v1/organisations", HTTP_IF_NONE_MATCH=first["ETag"], **auth)
    assert changed.status_code == 200


def test_too_many_requests_answer_429_with_retry_after(client, staff, bearer, settings):
    settings.API_RATE_LIMIT = 2
    auth = bearer(staff, ["contacts:read"])
    assert client.get("/api/v1/organisations", **auth).status_code == 200
    assert client.get("/api/v1/organisations", **auth).status_code == 200
    answer = client.get("/api/v1/organisations", **auth)
    assert answer.status_code == 429 and answer.json()["code"] == "rate_limited"
    assert 1 <= int(answer["Retry-After"]) <= 60


def test_the_public_reads_need_no_token(client, company_a):
    from portal.tests.factories import OfferFactory, ProfileFactory

    offer = OfferFactory(profile=ProfileFactory(organisation=company_a))
    event, _audience = event_with_audience()
    draft, _audience = event_with_audience(status="draft")
    assert [row["id"] for row in client.get("/api/v1/portal/offers").json()["items"]] == [offer.pk]
    assert client.get(f"/api/v1/portal/companies/{offer.profile_id}").json()["name"]
    events = [row["id"] for row in client.get("/api/v1/events").json()["items"]]
    assert event.pk in events and draft.pk not in events
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404


def test_the_docs_page_loads_no_asset_from_another_site(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "https://" not in page and "//cdn" not in page
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/events/{id}/registrations" in schema["paths"]


def test_a_consultation_booking_through_the_api_keeps_the_forms_rules(client, staff, expert, bearer):
    from advisory.tests.factories import make_day

    day = make_day(expert, count=1)
    auth = bearer(staff, ["advisory:read", "advisory:write"])
    url = f"/api/v1/days/{day.pk}/bookings"
    person = {"name": "Erna Erfinderin", "email": "erna@example.org", "description": "Ein Patent?", "consent": True}
    without_consent = post_json(client, url, {**person, "consent": False}, **auth)
    assert without_consent.status_code == 422 and without_consent.json()["message"]
    booked = post_json(client, url, person, **auth)
    assert booked.status_code == 201, booked.content
    assert client.get(f"/api/v1/bookings/{booked.json()['id']}", **auth).json()["email"] == "erna@example.org"
    full = post_json(client, url, {**person, "email": "zweite@example.org"}, **auth)
    assert full.status_code == 422  # the one slot is taken: the service's refusal, nothing booked
    assert len(client.get(f"/api/v1/bookings?day={day.pk}", **auth).json()["items"]) == 1


def test_organisations_are_written_with_the_staff_forms_rules(client, staff, bearer):
    from contacts.models import Organisation

    auth = bearer(staff, ["contacts:read", "contacts:write"])
    created = post_json(client, "/api/v1/organisations", {
        "name": "Neue Werke GmbH", "postcode": "48151", "city": "Münster", "tags": ["Wasserstoff"],
    }, **auth)  # fmt: skip
    assert created.status_code == 201, created.content
    organisation = Organisation.objects.get(pk=created.json()["id"])
    assert [tag.name for tag in organisation.tags.all()] == ["Wasserstoff"]

    bad = post_json(client, "/api/v1/organisations", {"name": "Zweite", "postcode": "12"}, **auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "postcode"
    changed = client.patch(f"/api/v1/organisations/{organisation.pk}", json.dumps({"city": "Greven"}),
                           content_type="application/json", **auth)  # fmt: skip
    assert changed.status_code == 200 and changed.json()["city"] == "Greven"
    organisation.refresh_from_db()
    assert organisation.postcode == "48151" and [t.name for t in organisation.tags.all()] == ["Wasserstoff"]
    assert Organisation.objects.count() == 1


def test_a_change_based_on_an_old_version_is_refused_with_412(client, staff, company_a, bearer):
    auth = bearer(staff, ["contacts:read", "contacts:write"])
    url = f"/api/v1/organisations/{company_a.pk}"
    etag = client.get(url, **auth)["ETag"]

    def patch(city, version):
        return client.patch(url, json.dumps({"city": city}), content_type="application/json",
                            HTTP_IF_MATCH=version, **auth)  # fmt: skip

    assert patch("Greven", etag).status_code == 200  # the version we read: the change goes through
    stale = patch("Emsdetten", etag)  # the same, now old, version: refused
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    assert client.get(url, **auth).json()["city"] == "Greven"


def test_a_company_editor_cannot_write_organisations_not_even_their_own(client, editor_a, company_a, bearer):
    from core.errors import ServiceError

    with pytest.raises(ServiceError):
        token_create(user=editor_a, name="X", scopes=["contacts:write"], organisation=company_a)
    client.force_login(editor_a)
    answer = client.patch(f"/api/v1/organisations/{company_a.pk}", json.dumps({"city": "Anderswo"}),
                          content_type="application/json")  # fmt: skip
    assert answer.status_code == 403 and answer.json()["code"] == "not_allowed"
    company_a.refresh_from_db()
    assert company_a.city != "Anderswo"
