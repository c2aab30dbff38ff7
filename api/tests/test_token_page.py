"""The token page: staff create, see and revoke tokens; a company editor only for their own company."""

import datetime
import re

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create

pytestmark = pytest.mark.django_db


def test_staff_create_a_token_see_it_once_and_revoke_it(client, staff):
    client.force_login(staff)
    page = client.post("/api/tokens/", {"name": "CRM-Abgleich", "scopes": ["contacts:read", "events:read"],
                                        "expires_on": "2099-12-31"})  # fmt: skip
    assert page.status_code == 200
    secret = re.search(r'<code id="new-token"[^>]*>(kw_[^<]+)</code>', page.content.decode()).group(1)
    assert "no-store" in page["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.scopes == ["contacts:read", "events:read"]
    assert timezone.localtime(token.expires_at) == timezone.make_aware(datetime.datetime(2100, 1, 1))  # end of day
    # shown once: the list shows only the prefix
    listing = client.get("/api/tokens/").content.decode()
    assert "CRM-Abgleich" in listing and secret not in listing and token.prefix in listing
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    client.post(f"/api/tokens/{token.pk}/widerrufen/")
    assert "widerrufen" in client.get("/api/tokens/").content.decode()
    client.logout()
    assert client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_token_without_scopes_or_name_is_refused_with_a_message(client, staff):
    client.force_login(staff)
    page = client.post("/api/tokens/", {"name": "", "scopes": [], "expires_on": "2000-01-01"})
    text = page.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in text or "erforderlich" in text
    assert "Vergangenheit" in text
    assert not ApiToken.objects.exists()


def test_a_company_editor_creates_tokens_only_for_their_company(client, editor_a, company_a, company_b, staff):
    client.force_login(editor_a)
    form = client.get("/api/tokens/").content.decode()
    assert "Firma A Maschinenbau" in form and "Firma B" not in form
    assert "events:read" not in form  # staff modules are not offered
    refused = client.post("/api/tokens/", {"name": "X", "organisation": company_b.pk, "scopes": ["portal:read"]})
    assert refused.status_code == 200 and not ApiToken.objects.exists()
    client.post("/api/tokens/", {"name": "Website", "organisation": company_a.pk, "scopes": ["portal:read"]})
    assert ApiToken.objects.get().organisation == company_a
    # a staff token is not theirs to see or revoke
    staff_token = token_create(user=staff, name="Geheim", scopes=["events:read"]).token
    assert "Geheim" not in client.get("/api/tokens/").content.decode()
    assert client.post(f"/api/tokens/{staff_token.pk}/widerrufen/").status_code == 404
    staff_token.refresh_from_db()
    assert staff_token.revoked_at is None
