from django.urls import reverse
from django.utils.translation import gettext as _

from core.timeline import TimelineEntry, register_timeline
from events.models import Registration


@register_timeline("events")
def registrations(organisation) -> list[TimelineEntry]:
    """Registrations of the organisation's people (one query)."""
    rows = (
        Registration.objects.filter(organisation=organisation, anonymised_at__isnull=True)
        .select_related("event")
        .order_by("-created_at")[:100]
    )
    return [
        TimelineEntry(
            when=row.created_at,
            kind=_("Veranstaltung"),
            title=row.event.title,
            url=reverse("events:staff_participants", kwargs={"pk": row.event_id}),
            detail=f"{row.full_name} – {row.get_status_display()}",
        )
        for row in rows
    ]
