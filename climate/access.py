"""Access helpers: fetch a guarded climate object for a user or a token, or fail the right way.

Not visible to the user → 404 (a personal link that does not verify, another company's
organisation, an unpublished publication); staff-only records for someone who is not staff → 403,
as the staff views' role check answers.
"""

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404

from climate.models import PolicyTalk, Publication, ReferenceTableVersion, SurveyInvitation
from climate.services import SURVEY_LINK_MAX_AGE, SURVEY_SALT
from contacts.access import organisations_edited_by
from contacts.models import Organisation
from core.roles import Role


def _is_staff(user) -> bool:
    return user.is_authenticated and user.has_role(Role.STAFF)


def _staff_object(user, queryset, pk):
    if not _is_staff(user):
        raise PermissionDenied
    obj = queryset.filter(pk=pk).first() if isinstance(pk, int) else None
    if obj is None:
        raise Http404
    return obj


def survey_invitation_for_token(token: str) -> SurveyInvitation:
    """The invitation behind a personal survey link: signed, younger than 90 days, not revoked."""
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_LINK_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("o"), int):
        raise Http404
    invitation = (
        SurveyInvitation.objects.select_related("organisation", "organisation__district")
        .filter(pk=data["i"], organisation_id=data["o"], revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def survey_organisations_for_user(user) -> list[Organisation]:
    """The organisations the user edits: the ones they may answer the survey for (one query)."""
    if not user.is_authenticated:
        return []
    return list(organisations_edited_by(user).select_related("district").order_by("name", "pk"))


def survey_organisation_for_user(user, pk: int) -> Organisation:
    """An organisation the user edits and so may answer the survey for; any other one does not exist for them."""
    if not user.is_authenticated:
        raise Http404
    organisation = organisations_edited_by(user).select_related("district").filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def publication_for_download(user, pk: int) -> Publication:
    """The PDF of a public publication for anyone; of any publication for staff."""
    publication = Publication.objects.filter(pk=pk).first()
    if publication is None or not publication.file or not (publication.is_public or _is_staff(user)):
        raise Http404
    return publication


def publication_for_staff(user, pk: int) -> Publication:
    return _staff_object(user, Publication.objects.all(), pk)


def policy_talk_for_staff(user, pk: int) -> PolicyTalk:
    return _staff_object(user, PolicyTalk.objects.all(), pk)


def reference_version_for_staff(user, pk: int) -> ReferenceTableVersion:
    return _staff_object(user, ReferenceTableVersion.objects.select_related("based_on"), pk)


def survey_invitation_for_staff(user, pk: int) -> SurveyInvitation:
    return _staff_object(user, SurveyInvitation.objects.select_related("organisation"), pk)
