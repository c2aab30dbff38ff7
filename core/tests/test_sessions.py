"""core.sessions: Django's database sessions, the read compiled once; expired and deleted sessions stay gone."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_and_an_expired_or_deleted_one_does_not(django_assert_num_queries):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    with django_assert_num_queries(1):
        assert SessionStore(store.session_key)["answer"] == 42
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - datetime.timedelta(1))
    expired = SessionStore(store.session_key)
    assert expired.get("answer") is None and expired.session_key is None
    store = SessionStore()
    store["answer"] = 1
    store.save()
    store.delete()
    assert SessionStore(store.session_key).get("answer") is None


def test_a_logged_in_client_uses_it(login, staff):
    client = login(staff)
    assert client.get(reverse("contacts:person_list")).status_code == 200
    Session.objects.all().delete()  # e.g. logged out in another process
    assert client.get(reverse("contacts:person_list")).status_code == 302
