"""Reads for the portal pages, each in a fixed number of queries."""

import datetime
import difflib
import re
import time
from dataclasses import dataclass
from html import unescape

from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from contacts.models import District, OrganisationRole
from contacts.selectors import consent_is_given, consented_emails, consents_active
from core.prepared import SAMPLE_DAY, PreparedQuery, compiled_rows, counted
from core.search import fulltext_filter
from events import selectors as event_selectors
from portal.models import (
    CONSENT_PURPOSE,
    HISTORY_MODELS,
    OFFER_FIELDS,
    PROFILE_FIELDS,
    ChangeRequest,
    CompanyProfile,
    Occupation,
    Offer,
    Photo,
    ProfileViewCount,
    SearchAlert,
    SearchAlertOffer,
    Sector,
    Site,
)
from portal.places import Place, distance_sq_sql, distance_text, haversine_km, place_lookup
from portal.text import query_stems, stem_text
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


def _occupation_index() -> list[tuple[int, str, str, tuple[str, ...]]]:
    """(pk, name, lower-case name, stems of name, official name and field) of every occupation, cached."""

    def load():
        rows = Occupation.objects.order_by("name").values_list("pk", "name", "name_official", "field")
        return [
            (pk, name, name.casefold(), tuple(stem_text(name, official, field).split()))
            for pk, name, official, field in rows
        ]

    return _cached("occupation_index", load)


def occupation_matches(query: str, *, exclude=(), limit: int = 8) -> list[tuple[int, str]]:
    """Occupations for what an editor typed: (pk, name), the names containing the text first, then stem matches.

    "Mechatronikerin" and "mechatronik" find "Mechatroniker/-in", "Kauffrau" finds "Industriekaufmann/-frau"
    (no query once the list is cached).
    """
    text = " ".join((query or "").split()).casefold()
    words = query_stems(query)
    if not text:
        return []
    ranked = []
    for pk, name, lowered, occupation_stems in _occupation_index():
        if pk in exclude:
            continue
        if text in lowered:
            ranked.append((0, lowered.index(text), name, pk))
        elif words and all(any(item.startswith(word) for item in occupation_stems) for word in words):
            first = min(i for i, item in enumerate(occupation_stems) if any(item.startswith(w) for w in words))
            ranked.append((1, first, name, pk))  # "Mechatroniker/-in" before "Kfz-Mechatroniker/-in"
        elif words and all(any(word in item for item in occupation_stems) for word in words):
            ranked.append((2, 0, name, pk))  # inside a compound: "Mechaniker" → "Industriemechaniker/-in"
    return [(pk, name) for _rank, _position, name, pk in sorted(ranked)[:limit]]


def occupation_resolve(text: str) -> tuple[int | None, list[str]]:
    """The one occupation ``text`` names: ``(pk, [])``; else ``(None, names of candidates)``."""
    text = " ".join((text or "").split())
    exact = [pk for pk, name, lowered, _stems in _occupation_index() if lowered == text.casefold()]
    if exact:
        return exact[0], []
    matches = occupation_matches(text, limit=50)
    if len(matches) == 1:
        return matches[0][0], []
    return None, [name for _pk, name in matches[:8]]


def occupation_names() -> dict[int, str]:
    return {pk: name for pk, name, _lowered, _stems in _occupation_index()}


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


_PUBLIC_OFFER_COUNT = PreparedQuery(lambda today: counted(public_offers(today)), today=SAMPLE_DAY)


def public_offer_count() -> int:
    """How many offers the public sees (:func:`public_offers`), for the home page's search box
    (1 query, compiled once per process: only the day differs)."""
    return _PUBLIC_OFFER_COUNT.rows(today=timezone.localdate())[0]["n"]


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


# The search's URL parameters (German at the HTTP edge) and the filters they set.
SEARCH_PARAMS = ("q", "beruf", "kreis", "art", "jahr", "branche", "ort", "umkreis")
RADII_KM = (10, 25, 50)


@dataclass(frozen=True)
class OfferFilters:
    q: str = ""
    occupation: str = ""  # Occupation.slug
    district: str = ""  # District.slug
    kind: str = ""
    year: int | None = None
    sector: str = ""
    sort: str = "relevanz"  # or "beginn", "entfernung"
    place: Place | None = None  # the pupil's town: distances, "near me" order
    radius: int | None = None  # km around ``place``

    @property
    def active(self) -> bool:
        return any([self.q, self.occupation, self.district, self.kind, self.year, self.sector, self.place])

    @property
    def params(self) -> dict:
        """The filters as URL parameters (what a saved search stores); empty ones left out."""
        values = {
            "q": self.q, "beruf": self.occupation, "kreis": self.district, "art": self.kind,
            "jahr": str(self.year) if self.year else "", "branche": self.sector,
            "ort": self.place.name if self.place else "", "umkreis": str(self.radius) if self.radius else "",
        }  # fmt: skip
        return {key: value for key, value in values.items() if value}

    @classmethod
    def from_params(cls, params: dict) -> "OfferFilters":
        """Filters from stored parameters (a saved search); what no longer parses is left out."""
        year = str(params.get("jahr", ""))
        radius = str(params.get("umkreis", ""))
        place = place_lookup(str(params.get("ort", "")))
        return cls(
            q=str(params.get("q", ""))[:100], occupation=str(params.get("beruf", "")),
            district=str(params.get("kreis", "")), kind=str(params.get("art", "")),
            year=int(year) if year.isdigit() and len(year) == 4 else None, sector=str(params.get("branche", "")),
            place=place, radius=int(radius) if place and radius.isdigit() and int(radius) in RADII_KM else None,
            sort="entfernung" if place else "beginn",
        )  # fmt: skip


def _filter_ids(filters: OfferFilters) -> tuple[int | None, int | None]:
    """The ids of the occupation and district the filters name (0 for an unknown one, None for none)."""
    return (
        (_id_for(occupation_choices(), filters.occupation) or 0) if filters.occupation else None,
        (_id_for(district_choices(), filters.district) or 0) if filters.district else None,
    )


def offers_filtered(
    filters: OfferFilters, *, ids: tuple[int | None, int | None] | None = None, today: datetime.date | None = None
) -> QuerySet[Offer]:
    """Public offers matching ``filters`` (``ids``: :func:`_filter_ids` when the caller has them)."""
    occupation_id, district_id = ids or _filter_ids(filters)
    queryset = public_offers(today)
    words = query_stems(filters.q)
    if words:
        queryset = fulltext_filter(queryset, " ".join(words))
    if occupation_id is not None:
        queryset = queryset.filter(occupation_id=occupation_id)
    if district_id is not None:
        queryset = queryset.filter(district_id=district_id)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.year:
        queryset = queryset.filter(
            start_date__gte=datetime.date(filters.year, 1, 1), start_date__lt=datetime.date(filters.year + 1, 1, 1)
        )
    if filters.sector:
        queryset = queryset.filter(sector=filters.sector)
    if filters.place and filters.radius:
        queryset = queryset.alias(distance_sq=distance_sq_sql(filters.place)).filter(
            distance_sq__lte=filters.radius * filters.radius
        )
    return queryset


def _relevance(words: list[str]) -> RawSQL:
    """The same number on both databases: 2 per query word found in the title/occupation, 1 otherwise.

    (Every row already matches every word somewhere; the title counts double.)
    """
    parts = ['(CASE WHEN (\' \' || "portal_offer"."title_stems") LIKE %s THEN 2 ELSE 1 END)'] * len(words)
    # The SQL is fixed text; the query words are bound parameters (and only letters and digits).
    return RawSQL(" + ".join(parts), [f"% {word}%" for word in words], output_field=IntegerField())  # noqa: S611


def _value_names(paths: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """``values()`` names of ``paths`` (``{"": own fields, "profile": its fields, "site__district": …}``)."""
    return tuple(f"{path}__{name}" if path else name for path, names in paths.items() for name in names)


def _instances(model, paths: dict[str, tuple[str, ...]], row: dict):
    """Unsaved instances of ``model`` and its related objects holding only ``row``'s values (names of
    :func:`_value_names`). A fragment is rendered from these on a miss: it can show nothing its key
    (those same values) does not hold, and reading an attribute never sends a query."""
    objects = {"": model(**{name: row[name] for name in paths[""]})}
    for path, names in paths.items():
        if not path:
            continue
        parent_path, _sep, name = path.rpartition("__")
        parent = objects.get(parent_path)
        field = parent._meta.get_field(name) if parent is not None else None
        if field is None or getattr(parent, field.attname) is None:
            objects[path] = None
            continue
        related = field.related_model(pk=getattr(parent, field.attname), **{n: row[f"{path}__{n}"] for n in names})
        setattr(parent, name, related)
        objects[path] = related
    return objects[""]


# What a result card shows of an offer (portal/_offer_card.html), read as plain values.
CARD_VALUES = {
    "": ("id", "slug", "kind", "title", "start_date", "places", "latitude", "longitude", "profile_id",
         "occupation_id", "district_id", "site_id"),
    "profile": ("name", "slug", "logo", "logo_width", "logo_height"),
    "occupation": ("name",),
    "district": ("name",),
    "site": ("city",),
}  # fmt: skip
_CARD_NAMES = _value_names(CARD_VALUES)
# compiled once per process (core.prepared): only the ids of the page differ
_CARDS_QUERY = PreparedQuery(
    lambda ids: Offer.objects.filter(pk__in=ids).values(*_CARD_NAMES),
    ids=[-1_000_000_001 - number for number in range(PAGE_SIZE)],
)


class OfferCard:
    """One search result: the values its card shows (``key``: every one of them, and the distance),
    rendered into an offer only when the card's HTML is not cached (:meth:`offer`)."""

    __slots__ = ("distance_km", "distance_text", "key", "pk", "row", "title_text")

    def __init__(self, row: dict, place: Place | None):
        self.row, self.pk = row, row["id"]
        self.title_text = row["title"] or row["occupation__name"]
        known = place is not None and row["latitude"] is not None and row["longitude"] is not None
        self.distance_km = (
            haversine_km(place.latitude, place.longitude, row["latitude"], row["longitude"]) if known else None
        )
        self.distance_text = distance_text(self.distance_km) if known else ""
        self.key = (*(row[name] for name in _CARD_NAMES), self.distance_text)

    def offer(self) -> Offer:
        """An unsaved offer with the texts its card shows (``url``, ``kind_label``, ``start_text`` …)."""
        offer = _instances(Offer, CARD_VALUES, self.row)
        _with_urls([offer], url="portal:offer_detail", company_url="portal:company_detail")
        _with_labels([offer])
        offer.distance_km, offer.distance_text = self.distance_km, self.distance_text
        return offer


@dataclass(frozen=True)
class OfferPage:
    rows: list[OfferCard]
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


def _with_distances(rows, place: Place | None) -> None:
    """ "ca. 12 km" from the pupil's town, per row (great-circle distance; empty where a place is unknown)."""
    for row in rows:
        known = place is not None and row.latitude is not None and row.longitude is not None
        row.distance_km = haversine_km(place.latitude, place.longitude, row.latitude, row.longitude) if known else None
        row.distance_text = distance_text(row.distance_km) if known else ""


def _search_ids(filters: OfferFilters, ids, today: datetime.date, page: int, page_size: int) -> QuerySet:
    """The ids of a page of results (and one more), from the offer table alone: filter, rank, sort; no COUNT."""
    queryset = offers_filtered(filters, ids=ids, today=today)
    words = query_stems(filters.q)
    if filters.place and filters.sort == "entfernung":
        # nearest first; offers whose place is unknown last
        queryset = queryset.annotate(distance=distance_sq_sql(filters.place)).order_by(
            F("distance").asc(nulls_last=True), "start_date", "id"
        )
    elif words and filters.sort != "beginn":
        queryset = queryset.annotate(relevance=_relevance(words)).order_by("-relevance", "start_date", "id")
    else:
        queryset = queryset.order_by("start_date", "id")
    start = (page - 1) * page_size
    return queryset.values("pk")[start : start + page_size + 1]


def offer_search(filters: OfferFilters, page: int = 1, page_size: int = PAGE_SIZE) -> OfferPage:
    """One page of results in two queries, whatever the number of matches.

    First the ids of the page, from the offer table alone (filter, rank, sort; no COUNT, one
    row more than the page to know if there is a next); then the values their cards show, with
    their company, occupation, district and site (plain values: no model is built unless a card
    is rendered, see :class:`OfferCard`).
    """
    page = max(1, min(page, 500))
    # the SQL of the ids query is compiled once per process for the same inputs (core.prepared)
    key = ("portal.offer_search", filters, _filter_ids(filters), timezone.localdate(), page, page_size)
    ids = [row["pk"] for row in compiled_rows(key, lambda: _search_ids(*key[1:]))]
    if not ids:
        return OfferPage(rows=[], number=page, has_next=False)
    wanted = ids[:page_size]
    if len(wanted) <= PAGE_SIZE:  # the same SQL for every page: the ids padded with 0 (no offer has it)
        rows = _CARDS_QUERY.rows(ids=wanted + [0] * (PAGE_SIZE - len(wanted)))
    else:
        rows = Offer.objects.filter(pk__in=wanted).values(*_CARD_NAMES)
    by_id = {row["id"]: row for row in rows}
    cards = [OfferCard(by_id[pk], filters.place) for pk in ids[:page_size] if pk in by_id]
    return OfferPage(rows=cards, number=page, has_next=len(ids) > page_size)


def filters_summary(filters: OfferFilters) -> str:
    """A search in words, for pages and mails: "„Mechatroniker“ · Industriekaufmann/-frau · bis 25 km um Coesfeld"."""
    names = {slug: name for _pk, slug, name in occupation_choices()}
    districts = {slug: name for _pk, slug, name in district_choices()}
    kinds = dict(Offer.Kind.choices)
    sectors = dict(Sector.choices)
    parts = [
        f"„{filters.q}“" if filters.q else "",
        names.get(filters.occupation, ""),
        _("Kreis %(name)s") % {"name": districts[filters.district]} if filters.district in districts else "",
        str(kinds.get(filters.kind, "")),
        _("Beginn %(year)s") % {"year": filters.year} if filters.year else "",
        str(sectors.get(filters.sector, "")),
    ]
    if filters.place and filters.radius:
        parts.append(_("bis %(km)s km um %(place)s") % {"km": filters.radius, "place": filters.place.name})
    elif filters.place:
        parts.append(_("nahe %(place)s") % {"place": filters.place.name})
    return " · ".join(part for part in parts if part) or _("alle Angebote")


# --- saved searches -------------------------------------------------------------------


def alert_by_token(token: str) -> SearchAlert | None:
    """The alert of a mail's link (its secret token), or ``None`` (one query)."""
    if not token or len(token) > 64:
        return None
    return SearchAlert.objects.filter(token=token).first()


def alert_new_offers(alert: SearchAlert, *, limit: int = 20) -> list[Offer]:
    """Public offers that match the alert, were added after it was confirmed and were not mailed to it yet.

    Nearest first when the search names a town, else by start. One query.
    """
    filters = OfferFilters.from_params(alert.filters)
    queryset = (
        offers_filtered(filters)
        .filter(profile__is_published=True, created_at__gte=alert.confirmed_at)
        .exclude(pk__in=SearchAlertOffer.objects.filter(alert=alert).values("offer_id"))
        .select_related("profile__organisation", "occupation", "site")
    )
    if filters.place:
        queryset = queryset.annotate(distance=distance_sq_sql(filters.place)).order_by(
            F("distance").asc(nulls_last=True), "start_date", "id"
        )
    else:
        queryset = queryset.order_by("start_date", "id")
    offers = list(queryset[:limit])
    _with_distances(offers, filters.place)
    return offers


def alerts_for_email(email: str) -> list[SearchAlert]:
    """Every alert of an address, with how many offers each was mailed (one query): privacy export."""
    return list(
        SearchAlert.objects.filter(email__iexact=email.strip()).annotate(offers_mailed=Count("mailed")).order_by("pk")
    )


def occupation_overview(filters: OfferFilters) -> list[dict]:
    """The same results grouped by occupation: how many companies, offers and places (one query)."""
    return list(
        offers_filtered(filters)
        .values("occupation__slug", "occupation__name")
        .annotate(companies=Count("profile", distinct=True), offers=Count("id"), places=Sum("places"))
        .order_by("-companies", "occupation__name")
    )


# What the public offer page shows of an offer (portal/_offer_body.html, its title and JSON-LD), as plain values.
OFFER_PAGE_VALUES = {
    "": ("id", "slug", "kind", "title", "start_date", "places", "requirements", "how_to_apply", "apply_email",
         "apply_url", "created_at", "profile_id", "occupation_id", "site_id", "district_id", "contact_id"),
    "profile": ("name", "slug", "logo", "logo_width", "logo_height", "short_description", "website",
                "organisation_id"),
    "profile__organisation": ("street", "postcode", "city"),
    "occupation": ("name", "slug", "duration_months", "name_official"),
    "site": ("street", "postcode", "city", "district_id"),
    "site__district": ("name",),
    "district": ("name",),
    "contact": ("job_title", "email", "phone", "is_active", "organisation_id", "person_id"),
    "contact__person": ("title", "first_name", "last_name", "email", "anonymised_at"),
}  # fmt: skip
_OFFER_PAGE_NAMES = _value_names(OFFER_PAGE_VALUES)
PHOTO_VALUES = {"": ("id", "image", "small", "width", "height", "alt_text")}
_PHOTO_NAMES = _value_names(PHOTO_VALUES)


class OfferPageData:
    """What the public offer page shows: ``key`` holds every value of it (the offer's, its company's,
    occupation's, site's and contact's, whether the contact may be shown, the photos); the page's
    parts are rendered from :meth:`offer` and :meth:`context` only when not cached."""

    def __init__(self, row: dict, photos: list[dict]):
        self.row, self.photos = row, photos
        self.title = row["title"] or row["occupation__name"]
        self.company_name = row["profile__name"]
        shown = (
            row["contact_id"] is not None and row["contact__is_active"]
            and row["contact__person__anonymised_at"] is None and row["contact_consented"]
        )  # fmt: skip
        self.key = (
            *(row[name] for name in _OFFER_PAGE_NAMES), shown, tuple(tuple(p[n] for n in _PHOTO_NAMES) for p in photos)
        )  # fmt: skip
        self.contact_shown = shown

    def offer(self) -> Offer:
        """An unsaved offer with its related objects holding only the page's values."""
        return _instances(Offer, OFFER_PAGE_VALUES, self.row)

    def context(self) -> dict:
        """The context of ``portal/_offer_body.html`` (as :func:`offer_preview` gives it)."""
        offer = self.offer()
        return {
            "offer": offer,
            "contact": offer.contact if self.contact_shown else None,
            "photos": [_instances(Photo, PHOTO_VALUES, photo) for photo in self.photos],
        }


def _offer_page_values(slug: str, today: datetime.date) -> QuerySet:
    role_email = Coalesce(NullIf(OuterRef("contact__email"), Value("")), OuterRef("contact__person__email"))
    consented = (
        consents_active(purpose=CONSENT_PURPOSE, organisation=OuterRef("contact__organisation_id"))
        .annotate(upper_email=Upper("email"))
        .filter(upper_email=Upper(role_email))
    )
    return (
        public_offers(today)
        .filter(profile__is_published=True, slug=slug)
        .annotate(
            contact_consented=Exists(consented), has_photos=Exists(Photo.objects.filter(profile=OuterRef("profile_id")))
        )
        .values(*_OFFER_PAGE_NAMES, "contact_consented", "has_photos")[:1]
    )


# compiled once per process (core.prepared): only the slug, the date and the company differ per request
_OFFER_PAGE_QUERY = PreparedQuery(_offer_page_values, slug="~sample slug~", today=datetime.date(1, 1, 2))
_PHOTOS_QUERY = PreparedQuery(
    lambda profile_id: Photo.objects.filter(profile_id=profile_id).order_by("created_at", "id").values(*_PHOTO_NAMES),
    profile_id=-1_000_000_001,
)


def offer_page(slug: str) -> OfferPageData | None:
    """A public offer's page as plain values: one query (two when the company has photos), or ``None``.

    Whether the contact person may be shown (active, not anonymised, consented for this company
    with the address shown) and whether the company has photos are asked in the offer's own query.
    """
    rows = _OFFER_PAGE_QUERY.rows(slug=slug, today=timezone.localdate())
    if not rows:
        return None
    row = rows[0]
    photos = _PHOTOS_QUERY.rows(profile_id=row["profile_id"]) if row["has_photos"] else []
    return OfferPageData(row, photos)


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
    """schema.org ``JobPosting`` of an offer from :meth:`OfferPageData.offer` (no query); no empty fields.

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


def company_page(profile: CompanyProfile, *, occupations=None, contacts=None) -> dict:
    """What the public company page (``portal/_company_body.html``) shows of a profile from :func:`company_detail`."""
    return {
        "profile": profile,
        "offers": profile.public_offers,
        "occupations": list(profile.occupations.all()) if occupations is None else occupations,
        "sites": list(profile.sites.all()),
        "photos": list(profile.photos.all()),
        "contacts": published_contacts(profile.organisation_id) if contacts is None else contacts,
    }


def profile_preview(profile: CompanyProfile, data: dict) -> dict:
    """The public page of ``profile`` as it would look with the change ``data`` applied; nothing is stored.

    ``data`` is a change's data (``ChangeRequest.data`` or the cleaned form as JSON). Also for an
    unpublished profile (the editor sees what would be published). Seven queries (the company page's).
    """
    offers = public_offers().select_related("occupation", "site").order_by("start_date", "id")
    shown = (
        CompanyProfile.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("sites", queryset=Site.objects.select_related("district")),
            Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")),
            Prefetch("offers", queryset=offers, to_attr="public_offers"),
        )
        .get(pk=profile.pk)
    )
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(shown, field, data[field])
    if data.get("logo"):
        shown.logo.name, shown.logo_width, shown.logo_height = data["logo"], None, None
    elif data.get("logo_clear"):
        shown.logo.name = ""
    occupation_ids = data["occupations"] if "occupations" in data else shown.occupations.values("pk")
    return company_page(shown, occupations=list(Occupation.objects.filter(pk__in=occupation_ids).order_by("name")))


def offer_preview(profile: CompanyProfile, target_id: int | None, data: dict) -> dict:
    """The public page of an offer as it would look with the change ``data``; nothing is stored."""
    offer = (Offer.objects.filter(pk=target_id, profile=profile).first() if target_id else None) or Offer(
        profile=profile, created_at=timezone.now()
    )
    for field in OFFER_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    offer.profile = (
        CompanyProfile.objects.select_related("organisation")
        .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("created_at", "id")))
        .get(pk=profile.pk)
    )
    offer.occupation = Occupation.objects.filter(pk=data.get("occupation")).first() or Occupation(name="–")
    offer.site = Site.objects.select_related("district").filter(pk=data.get("site"), profile=profile).first()
    offer.contact = (
        OrganisationRole.objects.select_related("person")
        .filter(pk=data.get("contact"), organisation_id=profile.organisation_id)
        .first()
    )
    offer.start_date = datetime.date.fromisoformat(data["start_date"]) if data.get("start_date") else None
    return {"offer": offer, "contact": offer_contact(offer), "photos": list(offer.profile.photos.all())}


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
            "logo_width",
            "logo_height",
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
    """Slugs and last changes of the published companies and public offers, and the occupations (two queries)."""
    return {
        "companies": list(
            CompanyProfile.objects.filter(is_published=True).order_by("pk").values_list("slug", "touched_at")
        ),
        "offers": list(public_offers().order_by("pk").values_list("slug", "updated_at")),
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
    ChangeRequest.Kind.SITE_DELETE: Site,
    ChangeRequest.Kind.OFFER: Offer,
    ChangeRequest.Kind.OFFER_DELETE: Offer,
}
# Texts compared word by word (the others are shown as before → after).
_LONG_FIELDS = {"description", "requirements", "how_to_apply"}
_HTML_FIELDS = {"description"}


def _field_label(model, key: str) -> str:
    """The German label of a changed field ("Kurzbeschreibung", not ``short_description``)."""
    extra = {"logo": _("Logo"), "logo_clear": _("Logo entfernen")}
    if key in extra:
        return str(extra[key])
    try:
        return str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key


def html_to_text(html: str) -> str:
    """Formatted text as readable lines: one line per paragraph, heading and list item ("• …")."""
    text = re.sub(r"<li[^>]*>", "\n• ", html or "")
    text = re.sub(r"<br\s*/?>|</(p|h3|h4|li|ul|ol)>", "\n", text)
    text = unescape(re.sub(r"<[^>]+>", "", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def text_diff(before: str, after: str) -> str:
    """Word-by-word difference as HTML: removed words in ``<del>``, added ones in ``<ins>`` (escaped)."""
    old, new = re.findall(r"\S+|\n", before or ""), re.findall(r"\S+|\n", after or "")
    removed, added = escape(_("entfernt:")), escape(_("neu:"))
    pieces = []

    def words(tokens):
        return escape(" ".join(tokens)).replace(" \n ", "<br>").replace("\n", "<br>")

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(words(old[i1:i2]))
            continue
        if i2 > i1:
            pieces.append(
                f'<del><span class="visually-hidden">[{removed}</span>{words(old[i1:i2])}<span class="visually-hidden">]</span></del>'
            )
        if j2 > j1:
            pieces.append(
                f'<ins><span class="visually-hidden">[{added}</span>{words(new[j1:j2])}<span class="visually-hidden">]</span></ins>'
            )
    return mark_safe(" ".join(pieces))  # noqa: S308 – every word is escaped above


def _as_data(instance, key: str):
    """A stored value in the form a change's data holds it (ids for related rows, ISO dates)."""
    if instance is None:
        return None
    field = instance._meta.get_field(key)
    if field.is_relation:
        return getattr(instance, field.attname)
    value = getattr(instance, key)
    return value.isoformat() if isinstance(value, datetime.date) else value


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: object = "–"
    after: object = "–"
    diff: str = ""  # a word-by-word difference for long texts
    image_before: str = ""
    image_after: str = ""


def _review_names(changes) -> dict:
    """Names of the rows the pending changes point at: occupations, districts, sites, contacts (≤ 3 queries)."""
    site_ids, role_ids = set(), set()
    for change in changes:
        if change.kind in (ChangeRequest.Kind.SITE, ChangeRequest.Kind.SITE_DELETE) and change.target_id:
            site_ids.add(change.target_id)
        if change.kind == ChangeRequest.Kind.OFFER:
            site_ids.add(change.data.get("site"))
            role_ids.add(change.data.get("contact"))
    site_ids.discard(None)
    role_ids.discard(None)
    return {
        "occupation": occupation_names(),
        "district": {pk: name for pk, _slug, name in district_choices()},
        "site": {site.pk: site for site in Site.objects.filter(pk__in=site_ids).select_related("district")}
        if site_ids
        else {},
        "contact": {
            role.pk: role.person.full_name
            for role in OrganisationRole.objects.filter(pk__in=role_ids).select_related("person")
        }
        if role_ids
        else {},
    }


def _shown(model, key: str, value, names: dict) -> str:
    """A value as a reviewer reads it: choice labels, names instead of ids, German dates, ja/nein."""
    if value in (None, "", []):
        return "–"
    if key == "occupations":
        return ", ".join(sorted(names["occupation"].get(item, str(item)) for item in value))
    if key in ("occupation", "district", "contact"):
        return str(names[key].get(value, value))
    if key == "site":
        site = names["site"].get(value)
        return str(site) if site else str(value)
    if isinstance(value, bool):
        return _("ja") if value else _("nein")
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return str(value)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, models.DateField) and isinstance(value, str):
        return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")
    return str(value)


def _field_changes(change: ChangeRequest, current, names: dict, current_occupations: list[int]) -> list[FieldChange]:
    model = _CHANGE_MODELS.get(change.kind)
    if change.kind in (ChangeRequest.Kind.SITE_DELETE, ChangeRequest.Kind.OFFER_DELETE):
        if current is None:
            return []
        keys = (["name", "street", "postcode", "city", "district"] if model is Site else
                ["kind", "occupation", "title", "start_date", "places"])  # fmt: skip
        return [FieldChange(_field_label(model, key), _shown(model, key, _as_data(current, key), names), _("gelöscht"))
                for key in keys]  # fmt: skip
    rows = []
    for key, after in change.data.items():
        if key in ("logo", "logo_clear"):
            continue
        before = current_occupations if key == "occupations" else _as_data(current, key) if current else None
        if key == "occupations":
            before, after = sorted(before or []), sorted(after or [])
        if (before or None) == (after or None):
            continue
        label = _field_label(model, key)
        if key in _LONG_FIELDS:
            old, new = (html_to_text(before), html_to_text(after)) if key in _HTML_FIELDS else (before, after)
            rows.append(FieldChange(label, diff=text_diff(old or "", new or "")))
        else:
            rows.append(FieldChange(label, _shown(model, key, before, names), _shown(model, key, after, names)))
    if change.kind == ChangeRequest.Kind.PROFILE and (change.data.get("logo") or change.data.get("logo_clear")):
        old = current.logo.url if current and current.logo else ""
        new = default_storage.url(change.data["logo"]) if change.data.get("logo") else ""
        rows.append(FieldChange(_("Logo"), before="–" if not old else "", after=_("kein Logo") if not new else "",
                                image_before=old, image_after=new))  # fmt: skip
    return rows


def review_queue() -> list[tuple[ChangeRequest, list[FieldChange]]]:
    """Pending changes, oldest first, each with its changed fields: label, before and after (≤ 7 queries).

    Long texts come as a word-by-word difference; unchanged fields are left out.
    """
    changes = list(
        ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
        .select_related("profile", "author")
        .order_by("created_at", "id")
    )
    if not changes:
        return []
    names = _review_names(changes)
    offer_ids = [c.target_id for c in changes if c.kind in (ChangeRequest.Kind.OFFER, ChangeRequest.Kind.OFFER_DELETE)]
    offers = {offer.pk: offer for offer in Offer.objects.filter(pk__in=offer_ids)} if any(offer_ids) else {}
    profile_ids = [change.profile_id for change in changes if change.kind == ChangeRequest.Kind.PROFILE]
    occupations: dict[int, list[int]] = {}
    if profile_ids:
        through = CompanyProfile.occupations.through.objects.filter(companyprofile_id__in=profile_ids)
        for profile_id, occupation_id in through.values_list("companyprofile_id", "occupation_id"):
            occupations.setdefault(profile_id, []).append(occupation_id)
    described = []
    for change in changes:
        current = {
            ChangeRequest.Kind.PROFILE: change.profile,
            ChangeRequest.Kind.SITE: names["site"].get(change.target_id),
            ChangeRequest.Kind.SITE_DELETE: names["site"].get(change.target_id),
        }.get(change.kind, offers.get(change.target_id))
        described.append((change, _field_changes(change, current, names, occupations.get(change.profile_id, []))))
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


# --- the JSON API (api module) ----------------------------------------------------------


def api_profiles(*, organisation_ids=None):
    """Company profiles, published or not (for staff, or ``organisation_ids``: an editor's companies), by id."""
    queryset = CompanyProfile.objects.order_by("id")
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=organisation_ids)
    return queryset
