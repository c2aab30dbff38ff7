"""One access helper per guarded model. Every staff member sees and changes every network, prospect, campaign
and stand (team work); the views declare the role, these helpers turn a missing or malformed id into 404."""

from django.http import Http404

from contacts.models import Organisation
from networks.models import (
    Campaign,
    FairStand,
    InitiativeEvent,
    Network,
    NetworkMeeting,
    NetworkMembership,
    Post,
    PostImport,
    Prospect,
    Support,
)


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def network_for_staff(user, pk) -> Network:
    return _get(Network.objects.all(), pk)


def membership_for_staff(user, pk) -> NetworkMembership:
    return _get(NetworkMembership.objects.select_related("network", "organisation"), pk)


def meeting_for_staff(user, pk) -> NetworkMeeting:
    return _get(NetworkMeeting.objects.select_related("network"), pk)


def organisation_for_staff(user, pk) -> Organisation:
    return _get(Organisation.objects.all(), pk)


def prospect_for_staff(user, pk) -> Prospect:
    return _get(Prospect.objects.select_related("organisation", "network"), pk)


def support_for_staff(user, pk) -> Support:
    return _get(Support.objects.select_related("organisation"), pk)


def initiative_event_for_staff(user, pk) -> InitiativeEvent:
    return _get(InitiativeEvent.objects.all(), pk)


def campaign_for_staff(user, pk) -> Campaign:
    return _get(Campaign.objects.all(), pk)


def post_for_staff(user, pk) -> Post:
    return _get(Post.objects.select_related("campaign", "organisation"), pk)


def post_import_for_staff(user, pk) -> PostImport:
    return _get(PostImport.objects.select_related("campaign", "created_by"), pk)


def stand_for_staff(user, pk) -> FairStand:
    return _get(FairStand.objects.all(), pk)
