"""Reads for the accounts pages."""

from core.search import fulltext_filter, search_words

SUGGESTION_LIMIT = 8


def organisation_label(organisation) -> str:
    """How an organisation is shown in the invitation form's picker: "Name (PLZ Ort)"."""
    place = " ".join(part for part in (organisation.postcode, organisation.city) if part)
    return f"{organisation.name} ({place})" if place else organisation.name


def organisation_candidates(query: str, limit: int = SUGGESTION_LIMIT) -> list:
    """Organisations whose name, place or member number match every word of ``query`` as a prefix."""
    from contacts.models import Organisation

    if not search_words(query):
        return []
    queryset = Organisation.objects.only("pk", "name", "postcode", "city", "member_number").order_by("name", "pk")
    return list(fulltext_filter(queryset, query)[:limit])


def organisation_resolve(text: str) -> tuple[object | None, list]:
    """Find the one organisation ``text`` names, for a form's ``clean()``.

    Accepts a label as offered by :func:`organisation_label`, a member number,
    an exact name or any words that match exactly one organisation. Returns
    ``(organisation, [])`` on success, else ``(None, candidates)``: no
    candidates means nothing matched, several mean the text is ambiguous.
    """
    from contacts.models import Organisation

    text = " ".join((text or "").split())
    if not text:
        return None, []
    by_number = Organisation.objects.filter(member_number=text).first()
    if by_number is not None:
        return by_number, []
    candidates = organisation_candidates(text, limit=50)
    for matches in (
        [org for org in candidates if organisation_label(org) == text],
        [org for org in candidates if org.name.casefold() == text.casefold()],
        candidates,
    ):
        if len(matches) == 1:
            return matches[0], []
    return None, candidates[:SUGGESTION_LIMIT]
