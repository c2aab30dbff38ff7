"""Does a new organisation or person look like one we already have?

Staff create records one at a time; before a new one is saved, the form shows the existing
records it probably duplicates (``organisation_duplicates`` / ``person_duplicates``) and asks
to confirm. Organisations compare on stored, indexed keys (``Organisation.name_key`` and
``domain``, set on save), so the check costs one indexed query with 100,000 organisations.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils.translation import gettext as _

from core.search import fold_text

# Words of legal forms, dropped wherever they stand: "Bröcker GmbH & Co. KG" and "bröcker" compare equal.
LEGAL_WORDS = frozenset(
    "gmbh mbh co kg ag ohg ug haftungsbeschrankt gbr eg ev se kgaa inh ek e k v und einzelunternehmen "
    "gesellschaft beschrankter haftung kommanditgesellschaft aktiengesellschaft".split()
)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Addresses at these domains say nothing about the company.
MAIL_PROVIDERS = frozenset(
    "gmail.com googlemail.com gmx.de gmx.net web.de t-online.de freenet.de yahoo.com yahoo.de outlook.com "
    "outlook.de hotmail.com hotmail.de live.de icloud.com me.com aol.com posteo.de mailbox.org arcor.de "
    "online.de 1und1.de ionos.de email.de".split()
)
LIMIT = 10


def organisation_name_key(name: str) -> str:
    """The name as compared for duplicates: folded (case, accents, ß, ue), without punctuation and legal forms."""
    words = _WORD_RE.findall(fold_text(name))
    kept = [word for word in words if word not in LEGAL_WORDS]
    return " ".join(kept or words)


def _host(value: str) -> str:
    value = (value or "").strip().lower()
    if not value:
        return ""
    if "://" not in value:
        value = "http://" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def organisation_domain(*, website: str = "", email: str = "") -> str:
    """The company's own domain: the website's host, else the e-mail's domain unless it is a mail provider."""
    host = _host(website)
    if host:
        return host
    domain = email.rpartition("@")[2].strip().lower() if "@" in (email or "") else ""
    return "" if domain in MAIL_PROVIDERS else domain


@dataclass(frozen=True)
class Duplicate:
    record: object  # Organisation or Person
    reasons: tuple[str, ...]


def organisation_duplicates(organisation, limit: int = LIMIT) -> list[Duplicate]:
    """Existing organisations ``organisation`` (not saved yet, or being edited) probably duplicates:
    same name without legal form, same web or e-mail domain, or same postcode and a name that
    starts with the same word."""
    from contacts.models import Organisation

    organisation.derive()
    key, domain, postcode = organisation.name_key, organisation.domain, organisation.postcode.strip()
    email_domain = organisation_domain(email=organisation.email)
    query = Q()
    if key:
        query |= Q(name_key=key)
    domains = {d for d in (domain, email_domain) if d}
    if domains:
        query |= Q(domain__in=domains)
    first_word = key.split(" ")[0] if key else ""
    if postcode and first_word:
        query |= Q(postcode=postcode) & (Q(name_key=first_word) | Q(name_key__startswith=first_word + " "))
    if not query:
        return []
    candidates = (
        Organisation.objects.filter(query)
        .exclude(pk=organisation.pk)
        .only("pk", "name", "postcode", "city", "member_number", "name_key", "domain")
        .order_by("name", "pk")[:limit]
    )
    found = []
    for candidate in candidates:
        reasons = []
        if key and candidate.name_key == key:
            reasons.append(_("gleicher Name"))
        if candidate.domain and candidate.domain in domains:
            reasons.append(_("gleiche Domain (%(domain)s)") % {"domain": candidate.domain})
        if postcode and candidate.postcode == postcode and not reasons:
            reasons.append(_("ähnlicher Name, gleiche PLZ"))
        found.append(Duplicate(record=candidate, reasons=tuple(reasons)))
    return found


def person_name_key(first_name: str, last_name: str) -> str:
    return " ".join(_WORD_RE.findall(fold_text(f"{first_name} {last_name}")))


def person_duplicates(
    *, first_name: str, last_name: str, email: str = "", organisation=None, exclude_pk=None, limit: int = LIMIT
) -> list[Duplicate]:
    """People a new person probably duplicates: the same e-mail address, or the same first and last
    name (accents and case ignored) at ``organisation``."""
    from contacts.models import OrganisationRole, Person

    found: dict[int, list[str]] = {}
    records: dict[int, Person] = {}
    email = (email or "").strip()
    people = Person.objects.filter(anonymised_at__isnull=True).exclude(pk=exclude_pk)
    if email:
        for person in people.filter(email__iexact=email).order_by("pk")[:limit]:
            records[person.pk] = person
            found.setdefault(person.pk, []).append(_("gleiche E-Mail-Adresse"))
    if organisation is not None and organisation.pk:
        wanted = person_name_key(first_name, last_name)
        roles = (
            OrganisationRole.objects.filter(organisation=organisation, person__anonymised_at__isnull=True)
            .exclude(person_id=exclude_pk)
            .select_related("person")
        )
        for role in roles:
            person = role.person
            if person_name_key(person.first_name, person.last_name) == wanted and wanted:
                records[person.pk] = person
                reason = _("gleicher Name bei %(organisation)s") % {"organisation": organisation.name}
                if reason not in found.setdefault(person.pk, []):
                    found[person.pk].append(reason)
    return [Duplicate(record=records[pk], reasons=tuple(reasons)) for pk, reasons in found.items()][:limit]


def confirmed(duplicates: list[Duplicate], confirmed_ids: str) -> bool:
    """True if staff already saw (and confirmed) every one of ``duplicates``: the form sends back the
    ids it showed; a duplicate that was not shown then asks again."""
    shown = {part for part in (confirmed_ids or "").split(",") if part.strip().isdigit()}
    return all(str(duplicate.record.pk) in shown for duplicate in duplicates)


def shown_ids(duplicates: list[Duplicate]) -> str:
    return ",".join(str(duplicate.record.pk) for duplicate in duplicates)
