"""CSV/XLSX export of the filtered lists, and the round trip export → import."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contacts.importing import batch_summary, import_confirm, import_preview
from contacts.models import Organisation, Tag
from contacts.tests.helpers import HEADER
from testing.factories import DistrictFactory, OrganisationFactory, OrganisationRoleFactory, PersonFactory


def _csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")  # BOM: Excel reads the umlauts
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@pytest.fixture
def organisations(db):
    borken, muenster = DistrictFactory(name="Borken"), DistrictFactory(name="Münster")
    hydrogen = Tag.objects.create(name="Wasserstoff")
    a = OrganisationFactory(
        name="Anlagenbau Borken", district=borken, wz_code="28.22", employees=300, member_number="M1",
        energy_intensive=True, phone="+49 2861 123-0", email="info@anlagenbau.example",
    )  # fmt: skip
    a.tags.set([hydrogen, Tag.objects.create(name="Ausbildung")])
    OrganisationFactory(name="Bäckerei Münster", district=muenster, wz_code="10.71", employees=12, member_number="")
    OrganisationFactory(name='=HYPERLINK("http://evil.example")', district=muenster, wz_code="62.01", employees=3)
    return a


@pytest.mark.django_db
@pytest.mark.smoke
def test_csv_export_of_the_filtered_list(login, staff, organisations):
    response = login(staff).get(reverse("contacts:organisation_export"), {"district": "borken", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="organisationen-' in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == HEADER
    assert rows[1:] == [
        ["Anlagenbau Borken", "GmbH", "Industriestraße 1", "48143", "Münster", "Borken", "28.22", "300", "M1", "ja",
         "", "info@anlagenbau.example", "+49 2861 123-0", "Ausbildung, Wasserstoff"],
    ]  # fmt: skip


@pytest.mark.django_db
def test_export_uses_every_filter_of_the_list(login, staff, organisations):
    client = login(staff)

    def names(**params):
        return sorted(row[0] for row in _csv_rows(client.get(reverse("contacts:organisation_export"), params))[1:])

    assert len(names()) == 3
    assert names(q="bäcker") == ["Bäckerei Münster"]
    assert names(section="C") == ["Anlagenbau Borken", "Bäckerei Münster"]
    assert names(size_class="small") == ["Bäckerei Münster"]
    assert names(member="yes") == ["Anlagenbau Borken"]
    assert names(energy_intensive="on") == ["Anlagenbau Borken"]
    assert names(tag="Wasserstoff") == ["Anlagenbau Borken"]


@pytest.mark.django_db
def test_formulas_are_neutralised_in_csv_and_stay_text_in_xlsx(login, staff, organisations):
    client = login(staff)
    rows = _csv_rows(client.get(reverse("contacts:organisation_export"), {"q": "hyperlink"}))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    response = client.get(reverse("contacts:organisation_export"), {"q": "hyperlink", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    cell = workbook.worksheets[0]["A2"]
    assert cell.value == '=HYPERLINK("http://evil.example")'
    assert cell.data_type == "s"


@pytest.mark.django_db
def test_xlsx_export(login, staff, organisations):
    response = login(staff).get(reverse("contacts:organisation_export"), {"format": "xlsx", "member": "yes"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1][0] == "Anlagenbau Borken"
    assert rows[1][7] == 300
    assert len(rows) == 2


@pytest.mark.django_db
@pytest.mark.smoke
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_round_trip_export_then_import_finds_only_duplicates(login, staff, organisations, file_format):
    client = login(staff)
    response = client.get(reverse("contacts:organisation_export"), {"format": file_format})
    data = b"".join(response.streaming_content) if file_format == "csv" else response.content
    batch = import_preview(data=data, filename=f"export.{file_format}", user=staff)
    summary = batch_summary(batch)
    assert (summary.total, summary.errors, summary.new, summary.duplicates) == (3, 0, 0, 3)
    assert {row["duplicate"]["id"] for row in batch.rows} == set(Organisation.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_round_trip_into_an_empty_database_recreates_the_same_data(login, staff, organisations):
    client = login(staff)
    exported = b"".join(client.get(reverse("contacts:organisation_export")).streaming_content)
    Organisation.objects.all().delete()
    batch = import_preview(data=exported, filename="export.csv", user=staff)
    import_confirm(batch=batch, user=staff)
    again = b"".join(client.get(reverse("contacts:organisation_export")).streaming_content)
    assert again == exported


@pytest.mark.django_db
def test_people_list_export(login, staff):
    anna = PersonFactory(first_name="Anna", last_name="Ahrens", email="anna@example.org", salutation="frau")
    OrganisationRoleFactory(person=anna, organisation=OrganisationFactory(name="Ahrens Metall"))
    PersonFactory(first_name="Bernd", last_name="Brandt", email="bernd@example.org")
    PersonFactory(first_name="anonymisiert", last_name="anonymisiert", email="", anonymised_at="2026-01-01T00:00Z")
    client = login(staff)
    rows = _csv_rows(client.get(reverse("contacts:person_list_export")))
    assert rows[0][:4] == ["Anrede", "Titel", "Vorname", "Nachname"]
    assert [row[3] for row in rows[1:]] == ["Ahrens", "Brandt"]
    assert rows[1][0] == "Frau"
    assert rows[1][7] == "Ahrens Metall (Personal)"
    rows = _csv_rows(client.get(reverse("contacts:person_list_export"), {"q": "bernd"}))
    assert [row[2] for row in rows[1:]] == ["Bernd"]
    response = client.get(reverse("contacts:person_list_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 3


@pytest.mark.django_db
def test_exports_are_for_staff_only(login, editor_a, client):
    assert login(editor_a).get(reverse("contacts:organisation_export")).status_code == 403
    assert login(editor_a).get(reverse("contacts:person_list_export")).status_code == 403
