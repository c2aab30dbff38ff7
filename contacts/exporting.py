"""CSV and XLSX exports of the organisation and people lists (reads only).

The organisation export has exactly the columns of the import, in the same
formats, so an exported file can be imported again (every row is then reported
as a duplicate of the existing organisation).
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from contacts.models import OrganisationRole
from contacts.selectors import OrganisationFilters, organisations_filtered, people_filtered
from contacts.tabular import ORGANISATION_COLUMNS, PERSON_EXPORT_HEADERS

_CHUNK = 2000


def organisation_export_header() -> list[str]:
    return [column.header for column in ORGANISATION_COLUMNS]


def _organisation_cells(organisation) -> list:
    return [
        organisation.name,
        organisation.legal_form,
        organisation.street,
        organisation.postcode,
        organisation.city,
        organisation.district.name if organisation.district_id else "",
        organisation.wz_code,
        organisation.employees,
        organisation.member_number,
        "ja" if organisation.energy_intensive else "nein",
        organisation.website,
        organisation.email,
        organisation.phone,
        ", ".join(sorted(tag.name for tag in organisation.tags.all())),
    ]


def organisation_export_rows(filters: OrganisationFilters) -> Iterator[list]:
    """Rows of the filtered list in list order, read in chunks (3 queries per 2,000 rows)."""
    queryset = (
        organisations_filtered(filters).select_related("district").prefetch_related("tags").order_by("name", "id")
    )
    for organisation in queryset.iterator(chunk_size=_CHUNK):
        yield _organisation_cells(organisation)


def person_export_header() -> list[str]:
    return list(PERSON_EXPORT_HEADERS)


def person_export_rows(q: str = "") -> Iterator[list]:
    roles = OrganisationRole.objects.select_related("organisation").order_by("organisation__name", "kind")
    queryset = people_filtered(q).prefetch_related(Prefetch("roles", queryset=roles))
    for person in queryset.iterator(chunk_size=_CHUNK):
        yield [
            person.get_salutation_display() if person.salutation else "",
            person.title,
            person.first_name,
            person.last_name,
            person.email,
            person.phone,
            person.language,
            "; ".join(f"{role.organisation.name} ({role.get_kind_display()})" for role in person.roles.all()),
        ]
