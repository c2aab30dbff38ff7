"""Reads for the portal pages, each in a fixed number of queries."""

import datetime
import time
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from contacts.models import District, OrganisationRole
from contacts.selectors import consent_is_given, consented_emails
from core.search import fulltext_filter
from events import selectors as event_selectors
from portal.models import (
    CONSENT_PURPOSE,
    HISTORY_MODELS,
    ChangeRequest,
    CompanyProfile,
    Occupation,
    Offer,
    Photo,
    ProfileViewCount,
    Site,
)
from portal.text import query_stems
from portal.validators import html_clean

PAGE_SIZE = 20
_CHOICES_TTL = 300.0
_choices_cache: dict[str, tuple[float, object]] = {}


def _cached(key: str, loader):
    """Reference lists change rarely: keep them in the process for a few minutes."""
    now = time.monotonic()
    hit = _choices_cache.get(key)
    if hit and now - hit[0] < _CHOICES_TTL:
        return hit[1]
    value = loader()
    _choices_cache[key] = (now, value)
    return value


def clear_caches() -> None:
    _choices_cache.clear()


def occupation_choices() -> list[tuple[int, str, str]]:
    return _cached("occupations", lambda: list(Occupation.objects.order_by("name").values_list("pk", "slug", "name")))


def district_choices() -> list[tuple[int, str, str]]:
    return _cached("districts", lambda: list(District.objects.order_by("name").values_list("pk", "slug", "name")))


def occupations() -> list[Occupation]:
    return list(Occupation.objects.order_by("name"))


def occupation_by_slug(slug: str) -> Occupation | None:
    return Occupation.objects.filter(slug=slug).first()


def _id_for(choices, slug: str) -> int | None:
    return next((pk for pk, choice_slug, _name in choices if choice_slug == slug), None)


# --- offers -------------------------------------------------------------------------


def public_offers(today: datetime.date | None = None) -> QuerySet[Offer]:
    """What the public sees: active offers of published companies whose start has not passed."""
    today = today or timezone.localdate()
    return Offer.objects.filter(is_active=True, profile_published=True, start_date__gte=today)


def _public_offers_with_company() -> QuerySet[Offer]:
    """:func:`public_offers`, checked against the company row itself, with what a title and link need."""
    return public_offers().filter(profile__is_published=True).select_related("profile", "occupation")


def latest_public_offers(*, limit: int = 20) -> list[Offer]:
    """The newest offers the public sees, with company and occupation (``display_title``): for other modules.

    One query. The portal's publication rule holds: company published, offer active, start not passed.
    """
    return list(_public_offers_with_company().order_by("-created_at", "-pk")[:limit])


def public_offer(pk: int) -> Offer | None:
    """One offer the public sees (the rule of :func:`latest_public_offers`), by id, or ``None``. One query."""
    return _public_offers_with_company().filter(pk=pk).first()


def latest_published_companies(*, limit: int = 20) -> list[CompanyProfile]:
    """The newest published company profiles: for other modules."""
    return list(CompanyProfile.objects.filter(is_published=True).order_by("-created_at", "-pk")[:limit])


def published_company(pk: int) -> CompanyProfile | None:
    return CompanyProfile.objects.filter(is_published=True, pk=pk).first()


@dataclass(frozen=True)
class OfferFilters:
    q: str = ""
    occupation: str = ""  # Occupation.slug
    district: str = ""  # District.slug
    kind: str = ""
    year: int | None = None
    sector: str = ""
    sort: str = "relevanz"  # or "beginn"

    @property
    def active(self) -> bool:
        return any([self.q, self.occupation, self.district, self.kind, self.year, self.sector])


def offers_filtered(filters: OfferFilters) -> QuerySet[Offer]:
    queryset = public_offers()
    words = query_stems(filters.q)
    if words:
        queryset = fulltext_filter(queryset, " ".join(words))
    if filters.occupation:
        queryset = queryset.filter(occupation_id=_id_for(occupation_choices(), filters.occupation) or 0)
    if filters.district:
        queryset = queryset.filter(district_id=_id_for(district_choices(), filters.district) or 0)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year:
        queryset = queryset.filter(
            start_date__gte=datetime.date(filters.year, 1, 1), start_date__lt=datetime.date(filters.year + 1, 1, 1)
        )
    if filters.sector:
        queryset = queryset.filter(sector=filters.sector)
    return queryset


def _relevance(words: list[str]) -> RawSQL:
    """The same number on both databases: 2 per query word found in the title/occupation, 1 otherwise.

    (Every row already matches every word somewhere; the title counts double.)
    """
    parts = ['(CASE WHEN (\' \' || "portal_offer"."title_stems") LIKE %s THEN 2 ELSE 1 END)'] * len(words)
    # The SQL is fixed text; the query words are bound parameters (and only letters and digits).
    return RawSQL(" + ".join(parts), [f"% {word}%" for word in words], output_field=IntegerField())  # noqa: S611


@dataclass(frozen=True)
class OfferPage:
    rows: list[Offer]
    number: int
    has_next: bool


def _url_prefix(url_name: str) -> str:
    """``/portal/ausbildung/`` for "portal:offer_detail": rows add their slug (reverse() per row costs more than the row)."""
    return reverse(url_name, args=["-"])[:-2]


def _with_urls(rows, **names):
    prefixes = {attribute: _url_prefix(url_name) for attribute, url_name in names.items()}
    for row in rows:
        for attribute, prefix in prefixes.items():
            slug = row.slug if attribute == "url" else row.profile.slug
            setattr(row, attribute, f"{prefix}{slug}/")
    return rows


def _with_labels(rows) -> None:
    """Per-row texts computed once per page (template filters and plural tags per row cost more than the query)."""
    kinds = {value: str(label) for value, label in Offer.Kind.choices}
    places: dict[int, str] = {}
    for row in rows:
        row.kind_label = kinds.get(row.kind, row.kind)
        row.start_text = row.start_date.strftime("%d.%m.%Y")
        if row.places not in places:
            places[row.places] = ngettext("%(count)s Platz", "%(count)s Plätze", row.places) % {"count": row.places}
        row.places_text = places[row.places]
        row.title_text = row.title or row.occupation.name


def offer_search(filters: OfferFilters, page: int = 1, page_size: int = PAGE_SIZE) -> OfferPage:
    """One page of results in two queries, whatever the number of matches.

    First the ids of the page, from the offer table alone (filter, rank, sort; no COUNT, one
    row more than the page to know if there is a next); then those rows with their company,
    occupation, district and site.
    """
    page = max(1, min(page, 500))
    queryset = offers_filtered(filters)
    words = query_stems(filters.q)
    if words and filters.sort != "beginn":
        queryset = queryset.annotate(relevance=_relevance(words)).order_by("-relevance", "start_date", "id")
    else:
        queryset = queryset.order_by("start_date", "id")
    start = (page - 1) * page_size
    ids = list(queryset.values_list("pk", flat=True)[start : start + page_size + 1])
    if not ids:
        return OfferPage(rows=[], number=page, has_next=False)
    rows = (
        Offer.objects.filter(pk__in=ids[:page_size])
        .select_related("profile", "occupation", "district", "site")
        .only(
            "id", "slug", "kind", "title", "start_date", "places", "occupation__name", "occupation__duration_months",
            "profile__name", "profile__slug", "profile__logo", "district__name", "site__city",
        )
    )  # fmt: skip
    by_id = {offer.pk: offer for offer in rows}
    ordered = [by_id[pk] for pk in ids[:page_size] if pk in by_id]
    _with_urls(ordered, url="portal:offer_detail", company_url="portal:company_detail")
    _with_labels(ordered)
    return OfferPage(rows=ordered, number=page, has_next=len(ids) > page_size)


def occupation_overview(filters: OfferFilters) -> list[dict]:
    """The same results grouped by occupation: how many companies, offers and places (one query)."""
    return list(
        offers_filtered(filters)
        .values("occupation__slug", "occupation__name")
        .annotate(companies=Count("profile", distinct=True), offers=Count("id"), places=Sum("places"))
        .order_by("-companies", "occupation__name")
    )


def offer_detail(slug: str) -> Offer:
    """A public offer with everything its page and its JSON-LD show (one query); raises Offer.DoesNotExist."""
    return (
        public_offers()
        .filter(profile__is_published=True)
        .select_related("profile__organisation", "occupation", "site__district", "district", "contact__person")
        .get(slug=slug)
    )


def offer_contact(offer: Offer) -> OrganisationRole | None:
    """The offer's contact person if they may be shown: active, and consented for this company (one query)."""
    role = offer.contact
    if role is None or not role.is_active or role.person.anonymised_at is not None:
        return None
    email = role.email or role.person.email
    if not email or not consent_is_given(email=email, purpose=CONSENT_PURPOSE, organisation=role.organisation_id):
        return None
    return role


def _compact(value):
    """Without empty values (``None``, ``""``, empty lists and objects), at every depth."""
    if isinstance(value, dict):
        items = {key: _compact(item) for key, item in value.items()}
        return {key: item for key, item in items.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in map(_compact, value) if item not in (None, "", [], {})]
    return value


def _posting_description(offer: Offer) -> str:
    """The offer's texts as sanitised HTML (schema.org asks for HTML in a JobPosting's description)."""
    parts = [linebreaks(offer.profile.short_description, autoescape=True)]
    for heading, text in ((_("Voraussetzungen"), offer.requirements), (_("So bewerben Sie sich"), offer.how_to_apply)):
        if text.strip():
            parts.append(f"<h3>{escape(heading)}</h3>{linebreaks(text, autoescape=True)}")
    return html_clean("".join(parts)) or f"<p>{escape(offer.display_title)}</p>"


def offer_job_posting(offer: Offer, *, absolute_url) -> dict:
    """schema.org ``JobPosting`` of an offer from :func:`offer_detail` (no query); no empty fields.

    ``absolute_url(path)`` makes a full URL (``request.build_absolute_uri``).
    """
    profile, site, organisation = offer.profile, offer.site, offer.profile.organisation
    place = site or organisation
    return _compact(
        {
            "@context": "https://schema.org/",
            "@type": "JobPosting",
            "title": offer.display_title,
            "description": _posting_description(offer),
            "datePosted": offer.created_at.date().isoformat(),
            "validThrough": offer.start_date.isoformat(),
            "jobStartDate": offer.start_date.isoformat(),
            "employmentType": "INTERN" if offer.kind == Offer.Kind.INTERNSHIP else "OTHER",
            "educationRequirements": offer.requirements,
            "occupationalCategory": offer.occupation.name_official,
            "totalJobOpenings": offer.places,
            "hiringOrganization": {
                "@type": "Organization",
                "name": profile.name,
                "url": absolute_url(profile.get_absolute_url()),
                "sameAs": profile.website,
                "logo": absolute_url(profile.logo.url) if profile.logo else None,
            },
            "jobLocation": {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": place.street,
                    "postalCode": place.postcode,
                    "addressLocality": place.city,
                    "addressRegion": offer.district.name if offer.district else None,
                    "addressCountry": "DE",
                },
            },
            "url": absolute_url(offer.get_absolute_url()),
        }
    )


# --- companies ----------------------------------------------------------------------


def portal_contacts(organisation_id: int) -> QuerySet[OrganisationRole]:
    """The company's active HR and training functions: the only people of the CRM the portal deals with."""
    return OrganisationRole.objects.filter(
        organisation_id=organisation_id,
        kind__in=[OrganisationRole.Kind.HR, OrganisationRole.Kind.TRAINING],
        is_active=True,
        person__anonymised_at__isnull=True,
    )


def _contacts_with_consent(organisation_id: int) -> list[tuple[OrganisationRole, bool]]:
    """Each contact of the company and whether they consented to appear for this company (two queries)."""
    roles = list(portal_contacts(organisation_id).select_related("person").order_by("kind", "person__last_name", "id"))
    emails = [role.email or role.person.email for role in roles]
    consented = consented_emails(purpose=CONSENT_PURPOSE, organisation=organisation_id, emails=emails)
    return [(role, (email or "").lower() in consented) for role, email in zip(roles, emails, strict=True)]


def published_contacts(organisation_id: int) -> list[OrganisationRole]:
    """The HR and training contacts who consented to publication for this company (two queries)."""
    return [role for role, consented in _contacts_with_consent(organisation_id) if consented]


def company_detail(slug: str) -> CompanyProfile:
    """A published profile with its sites, photos, occupations and current offers (five queries)."""
    offers = public_offers().select_related("occupation", "site").order_by("start_date", "id")
    return (
        CompanyProfile.objects.filter(is_published=True)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("sites", queryset=Site.objects.select_related("district")),
            Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
            Prefetch("occupations", queryset=Occupation.objects.order_by("name")),
            Prefetch("offers", queryset=offers, to_attr="public_offers"),
        )
        .get(slug=slug)
    )


@dataclass(frozen=True)
class CompanyFilters:
    q: str = ""
    district: str = ""
    sector: str = ""
    occupation: str = ""

    @property
    def active(self) -> bool:
        return any([self.q, self.district, self.sector, self.occupation])


@dataclass(frozen=True)
class CompanyPage:
    rows: list[CompanyProfile]
    number: int
    has_next: bool


def companies_filtered(filters: CompanyFilters) -> QuerySet[CompanyProfile]:
    queryset = CompanyProfile.objects.filter(is_published=True)
    words = query_stems(filters.q)
    if words:
        queryset = fulltext_filter(queryset, " ".join(words))
    if filters.district:
        district_id = _id_for(district_choices(), filters.district) or 0
        queryset = queryset.filter(
            Exists(Site.objects.filter(profile=OuterRef("pk"), district_id=district_id))
            | Q(organisation__district_id=district_id)
        )
    if filters.sector:
        queryset = queryset.filter(sector=filters.sector)
    if filters.occupation:
        occupation_id = _id_for(occupation_choices(), filters.occupation) or 0
        queryset = queryset.filter(
            Exists(
                CompanyProfile.occupations.through.objects.filter(
                    companyprofile_id=OuterRef("pk"), occupation_id=occupation_id
                )
            )
        )
    return queryset


def company_search(filters: CompanyFilters, page: int = 1, page_size: int = PAGE_SIZE) -> CompanyPage:
    """One page of companies by name (one query)."""
    page = max(1, min(page, 1000))
    queryset = (
        companies_filtered(filters)
        .select_related("organisation__district")
        .only(
            "id",
            "slug",
            "name",
            "short_description",
            "logo",
            "sector",
            "organisation__city",
            "organisation__district__name",
        )
        .order_by("name", "id")
    )
    start = (page - 1) * page_size
    rows = list(queryset[start : start + page_size + 1])
    _with_urls(rows, url="portal:company_detail")
    return CompanyPage(rows=rows[:page_size], number=page, has_next=len(rows) > page_size)


def occupation_companies(occupation: Occupation, district_slug: str = "") -> list[CompanyProfile]:
    """Which companies train this occupation (in this district)? With their current offers of it (two queries)."""
    filters = CompanyFilters(district=district_slug, occupation=occupation.slug)
    offers = public_offers().filter(occupation=occupation).order_by("start_date", "id")
    return list(
        companies_filtered(filters)
        .select_related("organisation__district")
        .prefetch_related(Prefetch("offers", queryset=offers, to_attr="current_offers"))
        .order_by("name", "id")[:500]
    )


def sitemap_entries() -> dict:
    return {
        "companies": list(
            CompanyProfile.objects.filter(is_published=True).order_by("pk").values_list("slug", flat=True)
        ),
        "offers": list(public_offers().order_by("pk").values_list("slug", "updated_at")[:45000]),
        "occupations": [slug for _pk, slug, _name in occupation_choices()],
    }


# --- editor and staff pages -----------------------------------------------------------


def editor_dashboard(profile: CompanyProfile) -> dict:
    """What an editor's dashboard shows of their entry (seven queries)."""
    return {
        "sites": list(profile.sites.select_related("district")),
        "offers": list(profile.offers.select_related("occupation", "site").order_by("-start_date", "id")),
        "photos": list(profile.photos.all()),
        "contacts": _contacts_with_consent(profile.organisation_id),
        "occupations": list(profile.occupations.order_by("name")),
        "pending": list(profile.change_requests.filter(status=ChangeRequest.Status.PENDING).select_related("author")),
        "today": timezone.localdate(),
    }


def invitable_events(limit: int = 100) -> list:
    """The events staff may invite the editors to: the events module's upcoming public events."""
    return event_selectors.upcoming_public_events(limit=limit)


def editor_emails() -> list[str]:
    """The addresses of every active editor of a portal company (one query)."""
    return list(
        User.objects.filter(is_active=True, editor_of__organisation__portal_profile__isnull=False)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def profile_editors(profile: CompanyProfile) -> list:
    """The editor links of a company, with their accounts (one query)."""
    return list(profile.organisation.editors.select_related("user").order_by("user__email"))


def staff_profiles(q: str = "") -> list[CompanyProfile]:
    queryset = CompanyProfile.objects.select_related("organisation").annotate(
        pending=Count("change_requests", filter=Q(change_requests__status=ChangeRequest.Status.PENDING)),
        editor_count=Count("organisation__editors", distinct=True),
    )
    if q:
        queryset = queryset.filter(name__icontains=q)
    return list(queryset.order_by("-pending", "name")[:300])


def pending_count() -> int:
    return ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count()


_CHANGE_MODELS = {
    ChangeRequest.Kind.PROFILE: CompanyProfile,
    ChangeRequest.Kind.SITE: Site,
    ChangeRequest.Kind.OFFER: Offer,
}


def _field_label(kind: str, key: str) -> str:
    model = _CHANGE_MODELS.get(kind)
    try:
        return str(model._meta.get_field(key).verbose_name) if model else key
    except FieldDoesNotExist:
        return key


def review_queue() -> list[tuple[ChangeRequest, list[tuple[str, object]]]]:
    """Pending changes, oldest first, each with its fields as (label, value) lines for the reviewer (two queries)."""
    changes = list(
        ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
        .select_related("profile", "author")
        .order_by("created_at", "id")
    )
    occupation_names = dict(Occupation.objects.values_list("pk", "name")) if changes else {}
    described = []
    for change in changes:
        lines = []
        for key, value in change.data.items():
            if key == "occupation":
                value = occupation_names.get(value, value)
            elif key == "occupations":
                value = ", ".join(occupation_names.get(item, str(item)) for item in value)
            elif isinstance(value, bool):
                value = _("ja") if value else _("nein")
            lines.append((_field_label(change.kind, key), value))
        described.append((change, lines))
    return described


def history_record(profile: CompanyProfile, model_key: str, history_id: int):
    """A recorded version of the profile, one of its sites or offers, or ``None`` (one query)."""
    model = HISTORY_MODELS.get(model_key)
    if model is None:
        return None
    owner = {"id": profile.pk} if model is CompanyProfile else {"profile_id": profile.pk}
    return model.history.filter(history_id=history_id, **owner).first()


def profile_history(profile: CompanyProfile, limit: int = 100) -> list[dict]:
    """Every recorded change of the profile, its sites and offers, newest first, with author and changed fields."""
    entries = []
    for key, model in HISTORY_MODELS.items():
        records = (
            model.history.filter(id=profile.pk)
            if model is CompanyProfile
            else model.history.filter(profile_id=profile.pk)
        )
        records = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
        previous_ids = {}
        chains: dict[int, list] = {}
        for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
            chains.setdefault(record.id, []).append(record)
        for chain in chains.values():
            for index, record in enumerate(chain):
                previous_ids[record.history_id] = chain[index - 1] if index else None
        for record in records:
            before = previous_ids.get(record.history_id)
            changed = []
            if record.history_type == "~" and before is not None:
                for change in record.diff_against(before).changes:
                    try:
                        changed.append(str(model._meta.get_field(change.field).verbose_name))
                    except Exception:  # noqa: BLE001 – m2m history fields
                        changed.append(change.field)
            entries.append({"key": key, "record": record, "label": model._meta.verbose_name, "changed": changed})
    entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
    return entries[:limit]


def view_counts(year: int) -> list[dict]:
    return list(
        ProfileViewCount.objects.filter(month__year=year).values("month").annotate(views=Sum("views")).order_by("month")
    )


def offers_by_occupation_and_district(year: int) -> list[dict]:
    """Offers starting in ``year``, counted by occupation and district (for the annual report)."""
    return list(
        Offer.objects.filter(start_date__year=year)
        .values("occupation__name", "district__name")
        .annotate(offers=Count("id"), places=Sum("places"))
        .order_by("occupation__name", "district__name")
    )


def published_profile_urls(organisation_ids) -> dict[int, str]:
    """The public portal page of each of these organisations that has a published entry, by organisation id
    (one query): other modules link to the portal with it."""
    rows = CompanyProfile.objects.filter(is_published=True, organisation_id__in=list(organisation_ids))
    return {
        organisation_id: reverse("portal:company_detail", args=[slug])
        for organisation_id, slug in rows.values_list("organisation_id", "slug")
    }
