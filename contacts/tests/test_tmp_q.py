import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from core.testing.factories import OrganisationFactory

@pytest.mark.django_db
def test_q(login, staff):
    client = login(staff)
    for n in range(40):
        o = OrganisationFactory(name=f"F{n}")
        o.city = "X"; o.save()
    with CaptureQueriesContext(connection) as c:
        client.get(reverse("contacts:audit_log"))
    print("queries", len(c))
