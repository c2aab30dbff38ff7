"""The services' own rules: refused with a message for the user, nothing half-written."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from climate import services
from climate.models import Publication, ReferenceTableVersion, SurveySubmission
from climate.reference import current_version
from core.errors import ServiceError

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1


def _price(**overrides):
    data = {"label": "Test", "valid_from": datetime.date(2025, 1, 1), "note": "Test", "year": 2025, "kind": "fixed",
            "low": Decimal(55), "mid": Decimal(55), "high": Decimal(55), "legal_basis": "§ 10 BEHG"}  # fmt: skip
    return {**data, **overrides}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"low": Decimal(70), "mid": Decimal(60)}, "mid"),
        ({"low": Decimal(-1), "mid": Decimal(0)}, "mid"),
        ({"year": 1999}, "year"),
        ({"kind": "guess"}, "kind"),
        ({"label": "BEHG/EBeV – Rechtsstand 19.08.2026"}, "label"),
        ({"label": "  "}, "label"),
    ],
)
def test_a_bad_price_change_is_refused_and_no_version_is_created(staff, overrides, field):
    before = ReferenceTableVersion.objects.count()
    with pytest.raises(services.ReferenceChangeRefused) as refused:
        services.reference_price_set(user=staff, **_price(**overrides))
    assert refused.value.field == field and refused.value.message
    assert isinstance(refused.value, ServiceError)
    assert ReferenceTableVersion.objects.count() == before


def test_a_factor_row_of_an_old_version_is_refused(staff):
    old_row = current_version().factors.get(regulation="EBeV 2030", nr="6")
    services.reference_price_set(user=staff, **_price(label="Neu"))
    with pytest.raises(services.ReferenceChangeRefused) as refused:
        services.reference_factor_set(
            user=staff, label="Gas", valid_from=datetime.date(2025, 1, 2), note="x", factor_id=old_row.pk,
            ef_t_per_gj=Decimal("0.06"), hi_gj_per_t=None, density_t_per_1000l=None, source="x",
        )  # fmt: skip
    assert refused.value.field == "factor"
    assert not ReferenceTableVersion.objects.filter(label="Gas").exists()


def test_a_label_taken_meanwhile_shows_on_the_form(staff, login, monkeypatch):
    """The form checks the label; a colleague taking it between check and save gets the service's refusal."""
    from climate.forms import NewVersionForm

    monkeypatch.setattr(NewVersionForm, "clean_label", lambda form: form.cleaned_data["label"])
    services.reference_price_set(user=staff, **_price(label="Preis 2025"))
    response = login(staff).post(reverse("climate:reference_price"), {
        "year": 2025, "kind": "fixed", "low": "60", "mid": "60", "high": "60", "legal_basis": "x",
        "label": "Preis 2025", "valid_from": "2025-01-01", "note": "x",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Eine Version mit dieser Bezeichnung gibt es schon." in response.content.decode()
    assert ReferenceTableVersion.objects.filter(label="Preis 2025").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"switch_share": 0}, "switch_share"),
        ({"switch_share": 101}, "switch_share"),
        ({"switch_year": 2051}, "switch_year"),
        ({"switch_year": 2000}, "switch_year"),
        ({"natural_gas_kwh": None, "heating_oil_l": None}, None),
        ({"natural_gas_kwh": Decimal(-5)}, None),
    ],
)
def test_a_survey_answer_outside_the_rules_is_refused(company_a, overrides, field):
    data = {"organisation": company_a, "contact_name": "Eva", "contact_email": "eva@firma.example",
            "natural_gas_kwh": Decimal(1000), "heating_oil_l": None, "switch_year": NEXT_YEAR, "switch_share": 50,
            "can_host": False, "needs_connection": False}  # fmt: skip
    with pytest.raises(services.SurveyRefused) as refused:
        services.survey_submit(**{**data, **overrides})
    assert refused.value.field == field
    assert not SurveySubmission.objects.exists()


def test_survey_with_heating_oil_still_works_after_staff_add_the_year_2031(client, staff, company_a):
    """Adding a price for 2031 (which no EBeV row covers) once broke every survey answer with heating oil."""
    services.reference_price_set(user=staff, **_price(label="mit 2031", year=2031, kind="ets2", low=Decimal(50),
                                                       mid=Decimal(70), high=Decimal(90)))  # fmt: skip
    submission = services.survey_submit(
        organisation=company_a, contact_name="Eva", contact_email="eva@firma.example", natural_gas_kwh=None,
        heating_oil_l=Decimal(1000), switch_year=NEXT_YEAR, switch_share=100, can_host=False, needs_connection=False,
    )  # fmt: skip
    # 1000 l × 0.845 t/1000 l × 42.8 GJ/t = 36.166 GJ = 10,046 kWh(Hi) ÷ 33.33 kWh/kg = 301 kg
    assert submission.h2_demand_t == Decimal("0.301")
    page = client.get(reverse("climate:hydrogen"), {"heating_oil": "1000", "basis": "lhv", "berechnen": "1"})
    assert page.status_code == 200


def test_invitation_in_an_unknown_language_is_refused(staff, company_a):
    with pytest.raises(services.SurveyRefused) as refused:
        services.survey_invitation_create(organisation=company_a, email="eva@firma.example", language="fr", user=staff)
    assert refused.value.field == "language"


def test_editing_a_publication_keeps_its_pdf_unless_a_new_one_is_uploaded(staff, login):
    publication = services.publication_save(
        title="Kurzstudie", kind="study", published_on=datetime.date(2020, 7, 1),
        file=SimpleUploadedFile("studie.pdf", b"%PDF-1.4 eins", "application/pdf"),
    )  # fmt: skip
    name = publication.file.name
    client = login(staff)
    response = client.post(reverse("climate:publication_edit", kwargs={"pk": publication.pk}), {
        "title": "Kurzstudie Emissionshandel", "kind": "study", "published_on": "2020-07-01", "is_public": "on",
    })  # fmt: skip
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.title == "Kurzstudie Emissionshandel" and publication.file.name == name
    client.post(reverse("climate:publication_edit", kwargs={"pk": publication.pk}), {
        "title": "Kurzstudie Emissionshandel", "kind": "study", "published_on": "2020-07-01", "file-clear": "on",
    })  # fmt: skip
    publication.refresh_from_db()
    assert not publication.file and not publication.is_public


def test_a_publication_the_model_does_not_allow_is_refused(staff):
    with pytest.raises(services.RecordRefused) as refused:
        services.publication_save(title="x" * 400, kind="study", published_on=datetime.date(2020, 7, 1))
    assert refused.value.field == "title"
    assert not Publication.objects.exists()


def _some_session_waits_for_a_lock(timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_changing_prices_at_once_never_lose_a_change(staff):
    """The second change waits for the first, sees that the version it copied is no longer current, and is refused."""
    base = current_version()
    locked, release, outcome = threading.Event(), threading.Event(), {}

    def first_change():
        try:
            with transaction.atomic():
                ReferenceTableVersion.objects.select_for_update().get(pk=base.pk)
                ReferenceTableVersion.objects.create(label="zuerst", valid_from=base.valid_from, source="x",
                                                     based_on=base)  # fmt: skip
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def second_change():
        try:
            services.reference_price_set(user=staff, **_price(label="danach", mid=Decimal(60), high=Decimal(60)))
            outcome["result"] = "stored"
        except services.ReferenceChangeRefused as error:
            outcome["result"] = error.code
        finally:
            connection.close()

    first = threading.Thread(target=first_change)
    first.start()
    assert locked.wait(10)
    second = threading.Thread(target=second_change)
    second.start()
    assert _some_session_waits_for_a_lock()  # the second change waits for the first one's lock
    release.set()
    first.join(10)
    second.join(10)
    assert outcome == {"result": "conflict"}
    assert not ReferenceTableVersion.objects.filter(label="danach").exists()
