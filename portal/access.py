"""Access helpers: a company editor reaches only their own company's rows.

Anything of another company → 404 (we do not reveal that it exists). Staff
reach everything. Built on ``contacts.access.organisation_for_user``.
"""

from django.http import Http404

from contacts.access import organisation_for_user
from contacts.models import OrganisationRole
from core.roles import Role
from portal.models import ChangeRequest, CompanyProfile, Offer, Photo, Site


def _editable_profile_ids(user):
    return CompanyProfile.objects.filter(organisation__editors__user=user).values("pk")


def profile_for_editor(user, pk) -> CompanyProfile:
    try:
        profile = CompanyProfile.objects.select_related("organisation").get(pk=pk)
    except (CompanyProfile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    organisation_for_user(user, profile.organisation_id, for_change=True)
    return profile


def _owned(queryset, user, pk):
    if not user.is_authenticated:
        raise Http404
    if not user.has_role(Role.STAFF):
        queryset = queryset.filter(profile__in=_editable_profile_ids(user))
    try:
        return queryset.select_related("profile__organisation").get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def offer_for_editor(user, pk) -> Offer:
    return _owned(Offer.objects.all(), user, pk)


def site_for_editor(user, pk) -> Site:
    return _owned(Site.objects.all(), user, pk)


def photo_for_editor(user, pk) -> Photo:
    return _owned(Photo.objects.all(), user, pk)


def contact_for_editor(user, pk) -> tuple[OrganisationRole, CompanyProfile]:
    """An HR/training function of the user's company, with its profile."""
    try:
        role = OrganisationRole.objects.select_related("person").get(pk=pk)
        profile = CompanyProfile.objects.select_related("organisation").get(organisation_id=role.organisation_id)
    except (OrganisationRole.DoesNotExist, CompanyProfile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    organisation_for_user(user, role.organisation_id, for_change=True)
    return role, profile


def profiles_for_editor(user):
    return CompanyProfile.objects.filter(organisation__editors__user=user).order_by("name")


def change_for_editor(user, pk) -> ChangeRequest:
    """A pending change of the user's own company (staff: any); 404 otherwise."""
    return _owned(ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING), user, pk)
