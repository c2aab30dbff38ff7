"""Import of existing subscribers: preview with every bad row shown, confirm all or nothing, and the
one table reader's limits (size, rows, NUL bytes) with a clear message and nothing stored."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contacts.models import Consent
from core.models import OutgoingMail
from newsletter import services
from newsletter.models import Subscriber, SubscriberImport
from newsletter.tests.factories import NewsletterListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

PROOF = "Anmeldekarten Messe AzuBeYou 11/2020, Ordner 3"


@pytest.fixture
def newsletter_list():
    return NewsletterListFactory()


def _upload(client, newsletter_list, name: str, data: bytes, proof: str = PROOF):
    return client.post(
        f"/newsletter/verwaltung/verteiler/{newsletter_list.pk}/import/",
        {"file": SimpleUploadedFile(name, data), "proof": proof},
    )


def test_import_preview_then_confirm_with_proof(login, staff):
    newsletter_list = NewsletterListFactory()
    SubscriberFactory(newsletter_list=newsletter_list, email="schon@example.org")
    csv = "E-Mail;Name;Sprache;eingewilligt_am\nneu@example.org;Neu;de;01.09.2020\nschon@example.org;;de;\nkaputt;;de;\nneu@example.org;;de;\n"
    client = login(staff)
    response = client.post(
        f"/newsletter/verwaltung/verteiler/{newsletter_list.pk}/import/",
        {"file": SimpleUploadedFile("b.csv", csv.encode()), "proof": "kurz"},
    )
    assert "Nachweis" in response.content.decode()
    response = client.post(
        f"/newsletter/verwaltung/verteiler/{newsletter_list.pk}/import/",
        {
            "file": SimpleUploadedFile("bestand.csv", csv.encode()),
            "proof": "Anmeldekarten Messe AzuBeYou 11/2020, Ordner 3",
        },
    )
    preview = response["Location"]
    assert Subscriber.objects.count() == 1  # nothing written yet
    page = client.get(preview).content.decode()
    assert "keine gültige E-Mail-Adresse" in page and "schon eingetragen" in page
    client.post(preview, {"action": "confirm"})
    new = Subscriber.objects.get(email="neu@example.org")
    assert new.status == "active" and new.confirmed_at.date() == datetime.date(2020, 9, 1)
    assert "Ordner 3" in new.consent.source and new.consent.wording == newsletter_list.consent_wording
    assert not OutgoingMail.objects.exists()  # an import sends no mail
    client.post(preview, {"action": "confirm"})
    assert Subscriber.objects.count() == 2  # confirming twice imports nothing twice


def test_a_20_mb_file_is_refused_with_a_clear_message_and_nothing_is_stored(login, staff, newsletter_list):
    line = b"leser@example.org;Leser;de;01.09.2020\n"
    data = b"E-Mail;Name;Sprache;eingewilligt_am\n" + line * (20 * 1024 * 1024 // len(line))
    response = _upload(login(staff), newsletter_list, "riesig.csv", data)
    assert response.status_code == 400
    assert "Die Datei ist zu groß (höchstens 5,0\xa0MB)" in response.content.decode()
    assert not SubscriberImport.objects.exists() and not Subscriber.objects.exists()


def test_too_many_rows_are_refused_and_nothing_is_stored(login, staff, newsletter_list, monkeypatch):
    monkeypatch.setattr("newsletter.services.imports.MAX_ROWS", 3)
    data = "E-Mail\n" + "".join(f"leser{n}@example.org\n" for n in range(4))
    response = _upload(login(staff), newsletter_list, "lang.csv", data.encode())
    assert response.status_code == 400 and "mehr als 3 Datenzeilen" in response.content.decode()
    assert not SubscriberImport.objects.exists()


@pytest.mark.parametrize("where", [10, 5000], ids=["in the first line", "after the first 4 KB"])
def test_a_nul_byte_anywhere_in_the_file_is_refused_not_a_500(login, staff, newsletter_list, where):
    rows = "".join(f"leser{n}@example.org;Leser {n};de;\n" for n in range(300)).encode()
    data = b"E-Mail;Name;Sprache;eingewilligt_am\n" + rows
    data = data[:where] + b"\x00" + data[where:]
    response = _upload(login(staff), newsletter_list, "nul.csv", data)
    assert response.status_code == 400 and "keine Textdatei" in response.content.decode()
    assert not SubscriberImport.objects.exists() and not Subscriber.objects.exists()


def test_a_file_without_an_email_column_or_a_broken_xlsx_gets_a_message(login, staff, newsletter_list):
    client = login(staff)
    response = _upload(client, newsletter_list, "ohne.csv", b"Name;Sprache\nLea;de\n")
    assert response.status_code == 400 and "Es fehlt eine Spalte „E-Mail“" in response.content.decode()
    response = _upload(client, newsletter_list, "kaputt.xlsx", b"PK\x03\x04 kein Zip")
    assert response.status_code == 400 and "keine lesbare XLSX-Datei" in response.content.decode()
    assert not SubscriberImport.objects.exists()


def test_an_xlsx_list_with_an_exported_formula_cell_imports_the_name_as_written(login, staff, newsletter_list):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-Mail", "Name", "eingewilligt_am"])
    sheet.append(["XLSX@Example.org", "'=Lea", datetime.date(2020, 9, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = SimpleUploadedFile("liste.xlsx", buffer.getvalue())
    batch = services.import_preview(newsletter_list=newsletter_list, upload=path, proof=PROOF, user=staff)
    assert batch.rows[0]["data"] == {
        "email": "xlsx@example.org",
        "name": "=Lea",
        "language": "de",
        "consent_date": "2020-09-01",
    }
    assert services.import_confirm(batch=batch, user=staff) == 1
    assert Subscriber.objects.get().confirmed_at.date() == datetime.date(2020, 9, 1)


def test_a_failure_while_confirming_stores_nothing(login, staff, newsletter_list, monkeypatch):
    data = b"E-Mail\nerste@example.org\nzweite@example.org\n"
    batch = services.import_preview(
        newsletter_list=newsletter_list, upload=SimpleUploadedFile("b.csv", data), proof=PROOF, user=staff
    )
    from newsletter.services import imports

    real_consent_record, calls = imports.consent_record, []

    def consent_then_fail(**kwargs):  # the second row breaks after the first was written
        if calls:
            raise RuntimeError("database went away")
        calls.append(kwargs)
        return real_consent_record(**kwargs)

    monkeypatch.setattr(imports, "consent_record", consent_then_fail)
    with pytest.raises(RuntimeError):
        services.import_confirm(batch=batch, user=staff)
    assert not Subscriber.objects.exists() and not Consent.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "preview"
