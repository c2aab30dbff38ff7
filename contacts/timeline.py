from django.utils.translation import gettext as _

from contacts.models import MergeRecord, Organisation
from core.timeline import TimelineEntry, register_timeline


@register_timeline("contacts")
def organisation_changes(organisation: Organisation) -> list[TimelineEntry]:
    """Created and changed, from the audit trail (one query)."""
    records = organisation.history.select_related("history_user").order_by("-history_date")[:50]
    labels = {"+": _("angelegt"), "~": _("geändert"), "-": _("gelöscht")}
    return [
        TimelineEntry(
            when=record.history_date,
            kind=_("Stammdaten"),
            title=labels.get(record.history_type, record.history_type),
            detail=str(record.history_user or _("System")),
        )
        for record in records
    ]


@register_timeline("contacts_merges")
def organisation_merges(organisation: Organisation) -> list[TimelineEntry]:
    """The duplicates merged into this organisation (one query)."""
    return [
        TimelineEntry(
            when=merge.merged_at,
            kind=_("Stammdaten"),
            title=_("zusammengeführt mit „%(name)s“ (Nr. %(id)s)")
            % {"name": merge.merged_label, "id": merge.merged_id},
            detail=str(merge.merged_by or _("System")),
        )
        for merge in MergeRecord.objects.filter(organisation=organisation).select_related("merged_by")[:50]
    ]
