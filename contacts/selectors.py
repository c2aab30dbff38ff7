"""Reads for the contacts pages. Each returns what a page needs in a fixed number of queries."""

import base64
import json
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from contacts.models import (
    Consent,
    District,
    ImportBatch,
    Organisation,
    OrganisationEditor,
    OrganisationRole,
    Person,
    Tag,
)
from contacts.regions import SizeClass
from core.organisations import organisation_filters_apply
from core.prepared import CompiledPages, PreparedQuery, RowModel
from core.roles import Role
from core.search import estimated_matches, fulltext_filter

PAGE_SIZE = 50
# a search with at most this many matches (PostgreSQL's estimate) sorts them instead of walking (name, id):
# about 2.5 µs per match to sort against 1.5 µs per row walked, and the walk's rows depend on where the
# matches fall in the alphabet (``core.search.estimated_matches``)
SORT_MATCHES_UP_TO = 2000


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    district: str = ""  # District.slug
    section: str = ""  # WZ section letter
    size_class: str = ""
    member: str = ""  # "yes" / "no" / ""
    energy_intensive: bool = False
    tag: str = ""  # Tag.name
    extra: tuple[tuple[str, str], ...] = ()  # (parameter, value) of filters other modules add (core.organisations)

    @property
    def active(self) -> bool:
        return any(
            [self.q, self.district, self.section, self.size_class, self.member, self.energy_intensive, self.tag,
             self.extra]
        )  # fmt: skip


def organisations_filtered(filters: OrganisationFilters) -> QuerySet[Organisation]:
    queryset = Organisation.objects.all()
    if filters.q:
        queryset = fulltext_filter(queryset, filters.q, folded=True)
    if filters.district:
        # a scalar subquery, not a join on the slug: the planner can then walk (district_id, name, id)
        queryset = queryset.filter(
            district_id=Subquery(District.objects.filter(slug=filters.district).values("id")[:1])
        )
    if filters.section:
        queryset = queryset.filter(wz_section=filters.section)
    if filters.size_class:
        queryset = queryset.filter(size_class=filters.size_class)
    if filters.member == "yes":
        queryset = queryset.exclude(member_number="")
    elif filters.member == "no":
        queryset = queryset.filter(member_number="")
    if filters.energy_intensive:
        queryset = queryset.filter(energy_intensive=True)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.extra:
        queryset = organisation_filters_apply(queryset, dict(filters.extra))
    return queryset


def encode_cursor(name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([name, pk]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return str(name), int(pk)
    except (ValueError, TypeError):
        return None


@dataclass(frozen=True)
class OrganisationPage:
    rows: list[Organisation]
    next_cursor: str | None
    is_first: bool


def organisation_page(filters: OrganisationFilters, cursor: str = "", page_size: int = PAGE_SIZE) -> OrganisationPage:
    """One page of the staff list, keyset-paginated on (name, id): no COUNT(*), no OFFSET.

    One query whatever the page: the rows with their district joined; the template shows only
    columns of the row and its district. A search on PostgreSQL asks the planner's estimate of its
    matches first (one ``EXPLAIN``): few matches are sorted rather than found by walking (name, id).
    """
    queryset = organisations_filtered(filters)
    name = "name"
    if filters.q and (estimate := estimated_matches(queryset)) is not None and estimate <= SORT_MATCHES_UP_TO:
        # the same order, but not one the (name, id) index can give: PostgreSQL then collects the matches
        # through the search index and sorts them (2-4 ms for "müller", 1,110 matches; the walk took 20 ms)
        name = Coalesce("name", Value(""))  # name is never NULL
    queryset = queryset.select_related("district").order_by(name, "id")
    position = decode_cursor(cursor) if cursor else None
    if position:
        name, pk = position
        # name >= bounds the index range; the OR alone is only a filter (row 90,000 read 90,000 rows)
        queryset = queryset.filter(Q(name__gte=name), Q(name__gt=name) | Q(name=name, id__gt=pk))
    rows = list(
        queryset.only(
            "id", "name", "legal_form", "postcode", "city", "wz_code", "size_class", "member_number",
            "energy_intensive", "district__name",
        )[: page_size + 1]
    )  # fmt: skip
    size_labels = {value: str(label) for value, label in SizeClass.choices}  # translated once per page
    for row in rows:
        row.size_label = size_labels.get(row.size_class, "")
    next_cursor = encode_cursor(rows[page_size - 1].name, rows[page_size - 1].pk) if len(rows) > page_size else None
    return OrganisationPage(rows=rows[:page_size], next_cursor=next_cursor, is_first=position is None)


def people_filtered(q: str = "") -> QuerySet[Person]:
    """People in the staff list (anonymised ones are left out), optionally matching ``q``: every word a
    prefix of a word of the name or e-mail, accents and umlaut spellings ignored ("Mueller" finds "Müller")."""
    people = Person.objects.filter(anonymised_at__isnull=True).order_by("last_name", "first_name", "id")
    q = (q or "").strip()
    if q:
        people = fulltext_filter(people, q, folded=True)
    return people


PERSON_LIST_COLUMNS = ("id", "last_name", "first_name", "email", "phone")


def people_list(q: str = ""):
    """The staff person list for a ``Paginator``: dicts of ``PERSON_LIST_COLUMNS`` in the order of
    :func:`people_filtered`. Without a search the count and each page run SQL compiled once per process
    (``core.prepared.CompiledPages``); a search is built each time (its text stays out of the cache)."""
    q = (q or "").strip()
    if q:
        return people_filtered(q).values(*PERSON_LIST_COLUMNS)
    return CompiledPages(("contacts.people_list",), lambda: people_filtered().values(*PERSON_LIST_COLUMNS))


def merge_records_for(record) -> list:
    """The merges into ``record`` (an organisation or a person), newest first."""
    from contacts.models import MergeRecord

    field = "organisation" if isinstance(record, Organisation) else "person"
    return list(MergeRecord.objects.filter(**{field: record}).select_related("merged_by"))


def organisation_detail(pk: int) -> Organisation:
    """The organisation with its district, tags, people (with their functions) and company editors."""
    roles = OrganisationRole.objects.select_related("person").order_by("kind", "person__last_name")
    editors = OrganisationEditor.objects.select_related("user").order_by("user__email")
    return (
        Organisation.objects.select_related("district")
        .prefetch_related("tags", Prefetch("roles", queryset=roles), Prefetch("editors", queryset=editors))
        .get(pk=pk)
    )


def person_detail(pk: int) -> Person:
    roles = OrganisationRole.objects.select_related("organisation").order_by("organisation__name")
    return Person.objects.prefetch_related("tags", "consents", Prefetch("roles", queryset=roles)).get(pk=pk)


def import_batches_recent(limit: int = 10) -> list:
    """The latest imports for the upload page (without their rows, which may be large)."""
    return list(
        ImportBatch.objects.filter(kind="organisations")
        .select_related("created_by")
        .defer("rows")
        .order_by("-created_at", "-pk")[:limit]
    )


def import_batches_waiting(limit: int = 5) -> list:
    """Organisation imports checked and shown as a preview but neither confirmed nor discarded, oldest first."""
    return list(
        ImportBatch.objects.filter(kind="organisations", status=ImportBatch.Status.PREVIEW)
        .select_related("created_by")
        .defer("rows")
        .order_by("created_at", "pk")[:limit]
    )


_DISTRICT_ROW = RowModel(District)
_DISTRICTS = PreparedQuery(lambda: District.objects.order_by("name").values(*_DISTRICT_ROW.names))
_TAG_NAMES = PreparedQuery(lambda: Tag.objects.order_by("name").values("name"))


def filter_choices() -> dict:
    """The districts and tag names the organisation list's filter offers (2 queries, compiled once:
    every list page and search asks them)."""
    return {
        "districts": [_DISTRICT_ROW.instance(row) for row in _DISTRICTS.rows()],
        "tags": [row["name"] for row in _TAG_NAMES.rows()],
    }


def _historical_m2m_values(model, m2m_fields, versions: dict[int, list]) -> dict[str, dict[int, set]]:
    """{field name: {history_id: set of related ids}} for the given versions, one query per m2m field."""
    from django.apps import apps

    history_ids = [record.history_id for chain in versions.values() for record in chain]
    values: dict[str, dict[int, set]] = {}
    for field in m2m_fields:
        through = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field.name}")
        related = f"{field.m2m_reverse_field_name()}_id"
        values[field.name] = {}
        for history_id, related_id in through.objects.filter(history_id__in=history_ids).values_list(
            "history_id", related
        ):
            values[field.name].setdefault(history_id, set()).add(related_id)
    return values


def audit_entries(limit: int = 200) -> list[dict]:
    """The latest changes to personal records and to access rights (roles, company editors), newest
    first, with the fields each change touched.

    Two queries per audited model (the latest versions, and the versions before
    them to name the changed fields) plus one per many-to-many field.
    """

    def role_title(r) -> str:
        person = " ".join(part for part in [r.person.first_name, r.person.last_name] if part) if r.person else "–"
        kind = OrganisationRole.Kind(r.kind).label if r.kind in OrganisationRole.Kind.values else r.kind
        return f"{person} – {kind} ({r.organisation.name if r.organisation else '–'})"

    def account(user) -> str:
        return user.email if user is not None else "–"

    def access_title(r) -> str:
        role = Role(r.role).label if r.role in Role.values else r.role
        return f"{account(r.user)}: {role}"

    def editor_title(r) -> str:
        return f"{account(r.user)} – {r.organisation.name if r.organisation else '–'}"

    audited = [
        (Organisation, _("Organisation"), (), lambda r: r.name),
        (Person, _("Person"), (), lambda r: " ".join(p for p in [r.title, r.first_name, r.last_name] if p)),
        (OrganisationRole, _("Funktion"), ("person", "organisation"), role_title),
        (Consent, _("Einwilligung"), (), lambda r: f"{r.email}: {r.purpose}"),
        (RoleAssignment, _("Rolle"), ("user",), access_title),
        (OrganisationEditor, _("Firmenredaktion"), ("user", "organisation"), editor_title),
    ]
    entries = []
    for model, label, related, title in audited:
        latest = list(
            model.history.select_related("history_user", *related).order_by("-history_date", "-history_id")[:limit]
        )
        ids = {record.id for record in latest}
        versions: dict[int, list] = {}
        for record in model.history.filter(id__in=ids).order_by("history_date", "history_id"):
            versions.setdefault(record.id, []).append(record)
        m2m_fields = list(getattr(model.history.model, "_history_m2m_fields", []))
        m2m_values = _historical_m2m_values(model, m2m_fields, versions)
        for record in latest:
            chain = versions.get(record.id, [])
            position = next((i for i, r in enumerate(chain) if r.history_id == record.history_id), 0)
            changed = []
            if record.history_type == "~" and position > 0:
                previous = chain[position - 1]
                # m2m fields are compared from one prefetched query, not one query per version
                names = [
                    change.field
                    for change in record.diff_against(previous, excluded_fields=[f.name for f in m2m_fields]).changes
                ]
                names += [
                    field.name
                    for field in m2m_fields
                    if m2m_values[field.name].get(record.history_id, set())
                    != m2m_values[field.name].get(previous.history_id, set())
                ]
                changed = [str(model._meta.get_field(name).verbose_name) for name in sorted(names)]
            entries.append({"record": record, "label": label, "title": title(record), "changed": changed})
    entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
    return entries[:limit]


# --- rules other modules use -------------------------------------------------------------------------------------


def person_for_email(email: str) -> Person | None:
    """The person an e-mail address belongs to: the oldest one not anonymised (case ignored), or ``None``."""
    email = (email or "").strip()
    if not email:
        return None
    return Person.objects.filter(email__iexact=email, anonymised_at__isnull=True).order_by("pk").first()


def consents_active(*, purpose: str, organisation: Organisation | int | None = None) -> QuerySet[Consent]:
    """Consents for ``purpose`` not withdrawn; with ``organisation``, only those given for that company."""
    consents = Consent.objects.filter(purpose=purpose, withdrawn_at__isnull=True)
    if organisation is not None:
        consents = consents.filter(organisation=organisation)
    return consents


def consented_emails(*, purpose: str, organisation: Organisation | int | None = None, emails=None) -> set[str]:
    """The lower-cased addresses with an active consent for ``purpose`` (for that company, if given),
    optionally only among ``emails``."""
    consents = consents_active(purpose=purpose, organisation=organisation)
    if emails is not None:
        wanted = {email.strip().lower() for email in emails if email}
        if not wanted:
            return set()
        consents = consents.filter(email__in=wanted)
    return {email.lower() for email in consents.values_list("email", flat=True)}


def consent_is_given(*, email: str, purpose: str, organisation: Organisation | int | None = None) -> bool:
    return consents_active(purpose=purpose, organisation=organisation).filter(email__iexact=email).exists()
