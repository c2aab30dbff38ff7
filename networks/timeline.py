"""What networks puts on the CRM's organisation pages (contacts cannot import a feature module):

- timeline entries: joined or left a network, initiative years, partner university, prospects (taken up, moved,
  one-pager sent) – four queries;
- the "Mitgliedschaften" panel (``core.organisations``) – five queries;
- two filters of the organisation list: by kind of membership and by network (``core.organisations``).
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.organisations import register_organisation_filter, register_organisation_panel
from core.timeline import TimelineEntry, register_timeline
from networks.models import NetworkMembership, ProspectActivity, Support, UniversityPartnership


@register_timeline("networks")
def network_entries(organisation) -> list[TimelineEntry]:
    entries = []
    for membership in NetworkMembership.objects.filter(organisation=organisation).select_related("network"):
        url = membership.network.get_absolute_url()
        entries.append(
            TimelineEntry(
                when=membership.joined_on,
                kind=_("Industrieverbund"),
                url=url,
                title=_("Mitglied im %(network)s (%(role)s)")
                % {"network": membership.network.name, "role": membership.get_role_display()},
            )  # fmt: skip
        )
        if membership.left_on:
            entries.append(
                TimelineEntry(
                    when=membership.left_on,
                    kind=_("Industrieverbund"),
                    url=url,
                    title=_("Austritt aus dem %(network)s") % {"network": membership.network.name},
                )  # fmt: skip
            )
    url = reverse("networks:organisation", args=[organisation.pk])
    for support in Support.objects.filter(organisation=organisation):
        entries.append(
            TimelineEntry(
                when=support.starts_on,
                kind=_("Industrie-Initiative"),
                url=url,
                title=_("%(kind)s der Industrie-Initiative %(year)s (%(level)s)")
                % {"kind": support.get_kind_display(), "year": support.year, "level": support.get_level_display()},
            )  # fmt: skip
        )
    partnership = UniversityPartnership.objects.filter(organisation=organisation).first()
    if partnership:
        entries.append(
            TimelineEntry(when=partnership.since, kind=_("Industrie-Initiative"), url=url, title=_("Partnerhochschule"))
        )
    activities = ProspectActivity.objects.filter(prospect__organisation=organisation).select_related(
        "prospect__network"
    )
    for activity in activities.order_by("-at")[:50]:
        prospect = activity.prospect
        if activity.kind == ProspectActivity.Kind.ONEPAGER:
            title = _("One-Pager „%(target)s“ an %(to)s gesendet") % {
                "target": prospect.target_name, "to": activity.recipient or "–",
            }  # fmt: skip
        elif activity.kind == ProspectActivity.Kind.CREATED:
            title = _("Akquise für %(target)s aufgenommen") % {"target": prospect.target_name}
        else:
            title = _("Akquise für %(target)s: %(old)s → %(new)s") % {
                "target": prospect.target_name, "old": activity.get_from_stage_display(),
                "new": activity.get_to_stage_display(),
            }  # fmt: skip
        entries.append(
            TimelineEntry(
                when=activity.at,
                kind=_("Akquise"),
                title=title,
                url=prospect.get_absolute_url(),
                detail=activity.reason,
            )  # fmt: skip
        )
    return entries


@register_organisation_panel("networks", template="networks/_organisation_panel.html", order=50)
def memberships_panel(organisation):
    from networks.selectors import organisation_memberships

    return {"m": organisation_memberships(organisation)}


# --- filters of the CRM's organisation list -------------------------------------------------------------------------


def _active_memberships(today=None):
    today = today or timezone.localdate()
    return NetworkMembership.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=today), joined_on__lte=today)


MEMBERSHIP_KINDS = {
    "initiative-mitglied": gettext_lazy("Mitglied der Industrie-Initiative (dieses Jahr)"),
    "initiative-foerderer": gettext_lazy("Förderer der Industrie-Initiative (dieses Jahr)"),
    "verbund": gettext_lazy("Mitglied eines Industrieverbunds"),
    "verbund-sprecher": gettext_lazy("Sprecher/-in eines Industrieverbunds"),
    "verbund-partner": gettext_lazy("Partner eines Industrieverbunds"),
    "hochschule": gettext_lazy("Partnerhochschule"),
    "akquise": gettext_lazy("in der Akquise"),
}


def _membership_filter(queryset, value: str):
    from networks.models import Prospect

    year = timezone.localdate().year
    outer = OuterRef("pk")
    conditions = {
        "initiative-mitglied": Exists(Support.objects.filter(organisation=outer, year=year, kind=Support.Kind.MEMBER)),
        "initiative-foerderer": Exists(
            Support.objects.filter(organisation=outer, year=year, kind=Support.Kind.SPONSOR)
        ),
        "verbund": Exists(_active_memberships().filter(organisation=outer)),
        "verbund-sprecher": Exists(
            _active_memberships().filter(organisation=outer, role=NetworkMembership.Role.SPOKESPERSON)
        ),
        "verbund-partner": Exists(
            _active_memberships().filter(organisation=outer, role=NetworkMembership.Role.PARTNER)
        ),
        "hochschule": Exists(
            UniversityPartnership.objects.filter(organisation=outer).filter(
                Q(until__isnull=True) | Q(until__gte=timezone.localdate())
            )
        ),
        "akquise": Exists(Prospect.objects.filter(organisation=outer).exclude(stage__in=Prospect.CLOSED)),
    }
    return queryset.filter(conditions[value]) if value in conditions else queryset


def _network_filter(queryset, value: str):
    return queryset.filter(Exists(_active_memberships().filter(organisation=OuterRef("pk"), network__slug=value)))


def _network_choices():
    from networks.selectors import network_choices

    return network_choices()


register_organisation_filter(
    "mitgliedschaft", label=gettext_lazy("Mitgliedschaft"), choices=lambda: list(MEMBERSHIP_KINDS.items()),
    apply=_membership_filter, order=10,
)  # fmt: skip
register_organisation_filter(
    "verbund", label=gettext_lazy("Industrieverbund"), choices=_network_choices, apply=_network_filter, order=20
)
