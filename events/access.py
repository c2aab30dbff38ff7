"""Access helpers: fetch a guarded object or fail the right way (not visible → 404)."""

from django.http import Http404

from core.roles import Role
from events import selectors
from events.models import Event, Registration


def event_for_public(slug: str) -> Event:
    """Drafts do not exist for the public."""
    return selectors.event_public(slug)


def event_for_staff(user, pk: int, *, only_audiences_and_questions: bool = False) -> Event:
    if not (user.is_authenticated and user.has_role(Role.STAFF)):
        raise Http404
    return selectors.event_for_staff(pk, only_audiences_and_questions=only_audiences_and_questions)


def registration_by_token(token: str) -> Registration:
    """Whoever holds the link in the mail may see and cancel that one registration."""
    registration = selectors.registration_for_token(token)
    if registration is None or registration.anonymised_at:
        raise Http404
    return registration


def registration_for_staff(user, pk: int) -> Registration:
    if not (user.is_authenticated and user.has_role(Role.STAFF)):
        raise Http404
    try:
        return Registration.objects.select_related("event", "audience").get(pk=pk)
    except (Registration.DoesNotExist, ValueError):
        raise Http404 from None
