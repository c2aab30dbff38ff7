"""``manage.py seed_demo`` is idempotent: a second run creates nothing, in any table."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command


def _row_counts() -> dict[str, int]:
    """Rows per table of every model of every app (many-to-many and history tables included)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.django_db
def test_a_second_seed_demo_changes_no_tables_row_count(monkeypatch):
    from accounts.models import User
    from contacts import demo as contacts_demo
    from contacts.models import OrganisationEditor

    # 40 demo companies instead of 300: every builder still runs over real data, in a fraction of the time
    monkeypatch.setattr(contacts_demo, "DEMO_ORGANISATIONS", 40)
    call_command("seed_demo", stdout=io.StringIO())
    first = _row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    second = _row_counts()
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    assert not changed, f"seed_demo is not idempotent (table: first run, second run): {changed}"
    # the demo logins of the two company editors edit the first two demo companies, whatever else exists
    for email, member_number in contacts_demo.DEMO_EDITORS:
        edited = OrganisationEditor.objects.filter(user=User.objects.get(email=email))
        assert list(edited.values_list("organisation__member_number", flat=True)) == [member_number]
