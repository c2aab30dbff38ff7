"""Organisation import: preview (nothing written), confirm (all or nothing), duplicates, file checks."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from contacts import importing
from contacts.importing import ImportFileError, ImportStateError, batch_summary, import_confirm, import_preview
from contacts.models import ImportBatch, Organisation
from contacts.tests.helpers import BAD_ROWS, HEADER, csv_bytes, organisation_row, thousand_rows, xlsx_bytes
from testing.factories import DistrictFactory, OrganisationFactory


@pytest.fixture
def muenster(db):
    return DistrictFactory(name="Münster")


@pytest.fixture
def thousand_csv(muenster) -> bytes:
    return csv_bytes(thousand_rows())


@pytest.mark.django_db
@pytest.mark.smoke
def test_import_of_1000_rows_shows_the_3_bad_rows_and_stores_nothing_until_confirmed(login, staff, thousand_csv):
    client = login(staff)
    upload = SimpleUploadedFile("mitglieder.csv", thousand_csv, content_type="text/csv")
    response = client.post(reverse("contacts:organisation_import"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:organisation_import_preview", args=[batch.pk])
    assert Organisation.objects.count() == 0
    assert batch.status == ImportBatch.Status.PREVIEW

    summary = batch_summary(batch)
    assert (summary.total, summary.new, summary.errors, summary.duplicates) == (1000, 997, 3, 0)
    assert [row["line"] for row in summary.error_rows] == sorted(BAD_ROWS)

    page = client.get(response["Location"]).content.decode()
    for line, (_overrides, reasons) in BAD_ROWS.items():
        assert f'<th scope="row" class="num">{line}</th>' in page
        for reason in reasons:
            assert reason in page
    assert "997 Organisationen anlegen" in page
    assert Organisation.objects.count() == 0

    response = client.post(reverse("contacts:organisation_import_confirm", args=[batch.pk]), follow=True)
    assert "Import abgeschlossen: 997 Organisationen angelegt." in response.content.decode()
    assert Organisation.objects.count() == 997
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert batch.created_count == 997
    assert batch.finished_at is not None


@pytest.mark.django_db
def test_confirmed_rows_carry_every_column_and_the_importing_user(staff, muenster):
    row = organisation_row(
        5, **{"Schlagwörter": "Wasserstoff, Ausbildung", "Energieintensiv": "ja", "Beschäftigte": "1.250"}
    )
    batch = import_preview(data=csv_bytes([row]), filename="eine.csv", user=staff)
    import_confirm(batch=batch, user=staff)
    organisation = Organisation.objects.get()
    assert organisation.name == "Importfirma 00005 Anlagenbau"
    assert organisation.legal_form == "GmbH"
    assert (organisation.postcode, organisation.city, organisation.district) == ("48005", "Münster", muenster)
    assert (organisation.wz_code, organisation.wz_section) == ("28.22", "C")
    assert (organisation.employees, organisation.size_class) == (1250, "large")
    assert organisation.member_number == "IM000005"
    assert organisation.energy_intensive is True
    assert organisation.email == "info@importfirma-5.example"
    assert sorted(organisation.tags.values_list("name", flat=True)) == ["Ausbildung", "Wasserstoff"]
    record = organisation.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff


@pytest.mark.django_db
def test_a_second_import_of_the_same_file_creates_no_duplicates(staff, thousand_csv):
    import_confirm(batch=import_preview(data=thousand_csv, filename="a.csv", user=staff), user=staff)
    assert Organisation.objects.count() == 997

    second = import_preview(data=thousand_csv, filename="a.csv", user=staff)
    summary = batch_summary(second)
    assert (summary.new, summary.errors, summary.duplicates) == (0, 3, 997)
    assert all(row["duplicate"]["source"] == "existing" for row in second.rows if row["status"] == "duplicate")
    first_duplicate = next(row for row in second.rows if row["status"] == "duplicate")
    assert first_duplicate["duplicate"]["reason"] == "member_number"
    assert first_duplicate["duplicate"]["id"] == Organisation.objects.get(member_number="IM000001").pk

    import_confirm(batch=second, user=staff)
    assert Organisation.objects.count() == 997


@pytest.mark.django_db
def test_duplicates_by_normalised_name_and_postcode_and_inside_the_file(staff, muenster):
    OrganisationFactory(name="Hölscher Fördertechnik GmbH & Co. KG", postcode="48143", member_number="")
    rows = [
        organisation_row(1, Name="HÖLSCHER  Fördertechnik", PLZ="48143", Mitgliedsnummer=""),  # existing by name
        organisation_row(2, Name="Hölscher Fördertechnik", PLZ="48155", Mitgliedsnummer=""),  # other postcode: new
        organisation_row(3, Name="Neu GmbH", PLZ="48155"),
        organisation_row(4, Name="Neu", PLZ="48155", Mitgliedsnummer=""),  # same as line 4 of the file
        organisation_row(5, Name="Ganz anders", Mitgliedsnummer="IM000003"),  # member number of line 4
    ]
    batch = import_preview(data=csv_bytes(rows), filename="d.csv", user=staff)
    status = {row["line"]: (row["status"], row.get("duplicate", {})) for row in batch.rows}
    assert status[2][0] == "duplicate" and status[2][1]["source"] == "existing"
    assert status[2][1]["reason"] == "name_postcode"
    assert status[3][0] == "new"
    assert status[4][0] == "new"
    assert status[5][0] == "duplicate" and status[5][1] == {
        "source": "file", "line": 4, "name": "Neu GmbH", "reason": "name_postcode",
    }  # fmt: skip
    assert status[6][0] == "duplicate" and status[6][1]["reason"] == "member_number"
    assert status[6][1]["line"] == 4


@pytest.mark.django_db
def test_confirm_checks_duplicates_again_and_skips_rows_created_meanwhile(login, staff, muenster):
    batch = import_preview(data=csv_bytes([organisation_row(1), organisation_row(2)]), filename="x.csv", user=staff)
    OrganisationFactory(name="Zwischendurch angelegt", member_number="IM000002")
    import_confirm(batch=batch, user=staff)
    assert Organisation.objects.count() == 2  # the one above and line 2
    batch.refresh_from_db()
    summary = batch_summary(batch)
    assert (summary.created, summary.skipped) == (1, 1)
    page = login(staff).get(reverse("contacts:organisation_import_preview", args=[batch.pk])).content.decode()
    assert "Zwischendurch angelegt" in page
    assert "gleiche Mitgliedsnummer" in page


@pytest.mark.django_db
def test_confirm_is_all_or_nothing(staff, muenster, monkeypatch):
    batch = import_preview(data=csv_bytes([organisation_row(n) for n in range(1, 30)]), filename="x.csv", user=staff)

    def broken(pairs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(importing, "_set_tags_in_bulk", broken)
    with pytest.raises(RuntimeError):
        import_confirm(batch=batch, user=staff)
    assert Organisation.objects.count() == 0
    assert Organisation.history.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


@pytest.mark.django_db
def test_a_batch_is_confirmed_once_and_discard_writes_nothing(login, staff, muenster):
    client = login(staff)
    batch = import_preview(data=csv_bytes([organisation_row(1)]), filename="x.csv", user=staff)
    import_confirm(batch=batch, user=staff)
    with pytest.raises(ImportStateError):
        import_confirm(batch=batch, user=staff)
    response = client.post(reverse("contacts:organisation_import_confirm", args=[batch.pk]), follow=True)
    assert "Dieser Import ist schon abgeschlossen oder verworfen." in response.content.decode()
    assert Organisation.objects.count() == 1

    other = import_preview(data=csv_bytes([organisation_row(2)]), filename="y.csv", user=staff)
    response = client.post(reverse("contacts:organisation_import_discard", args=[other.pk]), follow=True)
    assert "Der Import wurde verworfen; es wurde nichts gespeichert." in response.content.decode()
    other.refresh_from_db()
    assert other.status == ImportBatch.Status.DISCARDED
    assert other.rows == []
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.smoke
def test_xlsx_import_works(staff, muenster):
    rows = [
        [
            "Alpha Werkzeugbau",
            "GmbH",
            "Am Hafen 1",
            48143,
            "Münster",
            "münster",
            "28.41",
            120,
            "X1",
            "ja",
            "",
            "",
            "",
            "",
        ],
        ["Beta Sachsen", "AG", "", 1067, "Dresden", "", "C", 9.0, "", "", "beta.example", "", "+49 351 1234", "H2"],
        ["", "GmbH", "", 48143, "Münster", "", "", "", "", "", "", "", "", ""],  # no name
        [None] * 14,  # empty rows are skipped
    ]
    batch = import_preview(data=xlsx_bytes(rows), filename="liste.xlsx", user=staff)
    summary = batch_summary(batch)
    assert (summary.total, summary.new, summary.errors) == (3, 2, 1)
    assert summary.error_rows[0]["line"] == 4
    assert summary.error_rows[0]["errors"] == ["Name: Dieses Feld darf nicht leer sein."]
    import_confirm(batch=batch, user=staff)
    beta = Organisation.objects.get(name="Beta Sachsen")
    assert beta.postcode == "01067"  # Excel's number lost the leading zero; the import puts it back
    assert beta.employees == 9
    assert beta.website == "https://beta.example"
    assert Organisation.objects.get(name="Alpha Werkzeugbau").district == muenster


@pytest.mark.django_db
def test_csv_variants_comma_cp1252_english_headers_and_unknown_columns(staff, muenster):
    header = ["name", "postcode", "city", "district", "employees", "member number", "energy intensive", "Bemerkung"]
    rows = [
        {"name": "Müller Öfen", "postcode": "48143", "city": "Münster", "district": "Münster", "employees": "12",
         "member number": "E1", "energy intensive": "yes", "Bemerkung": "egal"},
    ]  # fmt: skip
    data = csv_bytes(rows, delimiter=",", encoding="cp1252", header=header)
    batch = import_preview(data=data, filename="export.csv", user=staff)
    assert batch.notices == ["Die Spalte „Bemerkung“ ist unbekannt und wird ignoriert."]
    assert batch.rows[0]["status"] == "new"
    assert batch.rows[0]["data"]["name"] == "Müller Öfen"
    assert batch.rows[0]["data"]["energy_intensive"] is True

    without_bom = csv_bytes([organisation_row(1)], encoding="utf-8")
    assert import_preview(data=without_bom, filename="x.csv", user=staff).rows[0]["status"] == "new"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("bild.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Bitte eine CSV- oder XLSX-Datei hochladen"),
        ("brief.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "Bitte eine CSV- oder XLSX-Datei hochladen"),
        ("alt.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Das alte Excel-Format (.xls)"),
        ("kaputt.xlsx", b"Name;PLZ\nA;48143\n", "keine lesbare XLSX-Datei"),
        ("binaer.csv", b"Name\x00\x01\x02", "keine Textdatei"),
        ("leer.csv", b"", "ist leer"),
        ("leer2.csv", b"  \r\n", "Die Datei ist leer."),
        ("nur-kopf.csv", b"Name;PLZ\r\n", "nur die Kopfzeile"),
        ("ohne-name.csv", b"Firma X;PLZ\r\nA;48143\r\n", "Die Spalte „Name“ fehlt"),
    ],
)
def test_files_that_cannot_be_imported_get_a_clear_message(login, staff, filename, data, message):
    client = login(staff)
    response = client.post(reverse("contacts:organisation_import"), {"file": SimpleUploadedFile(filename, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_file_size_and_row_limits(login, staff, muenster, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 5)
    with pytest.raises(ImportFileError, match="mehr als 5 Datenzeilen"):
        import_preview(data=csv_bytes([organisation_row(n) for n in range(6)]), filename="x.csv", user=staff)
    assert (
        len(import_preview(data=csv_bytes([organisation_row(n) for n in range(5)]), filename="x.csv", user=staff).rows)
        == 5
    )

    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1024)
    response = login(staff).post(
        reverse("contacts:organisation_import"),
        {"file": SimpleUploadedFile("gross.csv", csv_bytes([organisation_row(n) for n in range(40)]))},
    )
    assert response.status_code == 400
    assert "Die Datei ist zu groß (höchstens 1,0\xa0KB)." in response.content.decode()


@pytest.mark.django_db
def test_every_row_rule_of_the_form_applies(staff, muenster):
    OrganisationFactory(member_number="VERGEBEN")
    cases = {
        "PLZ": ("ABCDE", "PLZ: Bitte eine fünfstellige deutsche Postleitzahl"),
        "WZ": ("28-22", "WZ: Bitte einen WZ-2008-Code angeben"),
        "E-Mail": ("info@", "E-Mail: Bitte gültige E-Mail-Adresse eingeben."),
        "Telefon": ("bitte anrufen", "Telefon: Bitte eine Telefonnummer aus Ziffern angeben"),
        "Website": ("http://", "Website: "),
        "Beschäftigte": ("viele", "Beschäftigte: Bitte eine ganze Zahl ab 0 angeben (nicht „viele“)."),
        "Kreis": ("Mordor", "Kreis: Unbekannter Kreis „Mordor“ (bekannt: "),
        "Rechtsform": ("Genossenschaft light", "Rechtsform: Unbekannte Rechtsform „Genossenschaft light“."),
        "Energieintensiv": ("vielleicht", "Energieintensiv: Bitte „ja“ oder „nein“ angeben"),
        "Schlagwörter": ("x" * 61, "Schlagwörter: Ein Schlagwort darf höchstens 60 Zeichen lang sein."),
        "Name": ("", "Name: Dieses Feld darf nicht leer sein."),
    }
    rows = [organisation_row(number, **{column: value}) for number, (column, (value, _m)) in enumerate(cases.items())]
    rows.append(organisation_row(99, Mitgliedsnummer="VERGEBEN"))
    batch = import_preview(data=csv_bytes(rows), filename="regeln.csv", user=staff)
    for row, (column, (_value, message)) in zip(batch.rows, cases.items(), strict=False):
        assert row["status"] == "error", column
        assert any(error.startswith(message) for error in row["errors"]), (column, row["errors"])
    assert batch.rows[-1]["status"] == "duplicate"  # a used member number is a duplicate of that organisation


@pytest.mark.django_db
def test_legal_form_and_yes_no_are_read_tolerantly(staff, muenster):
    rows = [organisation_row(1, Rechtsform="gmbh & co kg", Energieintensiv="X"), organisation_row(2, Rechtsform="E.K.")]
    batch = import_preview(data=csv_bytes(rows), filename="x.csv", user=staff)
    assert [row["data"]["legal_form"] for row in batch.rows] == ["GmbH & Co. KG", "e.K."]
    assert batch.rows[0]["data"]["energy_intensive"] is True


@pytest.mark.django_db
def test_import_template_has_the_german_headers(login, staff):
    client = login(staff)
    response = client.get(reverse("contacts:organisation_import_template"))
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content == "\ufeff" + ";".join(HEADER) + "\r\n"
    assert "attachment" in response["Content-Disposition"]
    response = client.get(reverse("contacts:organisation_import_template"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert [cell for cell in next(sheet.iter_rows(values_only=True))] == HEADER


@pytest.mark.django_db
def test_import_pages_are_for_staff_only(login, editor_a, staff, muenster):
    batch = import_preview(data=csv_bytes([organisation_row(1)]), filename="x.csv", user=staff)
    before = Organisation.objects.count()
    client = login(editor_a)
    assert client.get(reverse("contacts:organisation_import")).status_code == 403
    assert client.get(reverse("contacts:organisation_import_preview", args=[batch.pk])).status_code == 403
    assert client.post(reverse("contacts:organisation_import_confirm", args=[batch.pk])).status_code == 403
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_import_pages_in_english(login, staff, muenster):
    client = login(staff)
    client.cookies["kammerwerk_language"] = "en"
    page = client.get(reverse("contacts:organisation_import")).content.decode()
    assert "Import organisations" in page and "Check and show preview" in page
    response = client.post(
        reverse("contacts:organisation_import"),
        {"file": SimpleUploadedFile("x.csv", csv_bytes([organisation_row(1), organisation_row(2, PLZ="1")]))},
        follow=True,
    )
    page = response.content.decode()
    assert "Create 1 organisation" in page
    assert "PLZ: Please enter a five-digit German postcode (e.g. 48143)." in page
