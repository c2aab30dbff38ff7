from django.utils.translation import gettext as _

from core.timeline import TimelineEntry, register_timeline
from portal.models import CompanyProfile, Offer


@register_timeline("portal")
def portal_entries(organisation) -> list[TimelineEntry]:
    """The portal entry's changes and its offers (two queries)."""
    profile = CompanyProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        return []
    entries = [
        TimelineEntry(
            when=offer.created_at,
            kind=_("Portal"),
            title=_("Angebot: %(title)s") % {"title": offer.display_title},
            url=offer.get_absolute_url() if offer.is_public else "",
            detail=_("Beginn %(date)s") % {"date": offer.start_date.strftime("%d.%m.%Y")},
        )  # fmt: skip
        for offer in Offer.objects.filter(profile=profile).select_related("occupation").order_by("-created_at")[:30]
    ]
    entries.append(
        TimelineEntry(
            when=profile.created_at,
            kind=_("Portal"),
            title=_("Portal-Eintrag angelegt"),
            url=profile.get_absolute_url(),
        )
    )
    return entries
