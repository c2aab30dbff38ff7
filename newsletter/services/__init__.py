"""The newsletter's writes, the module's published API for views, tasks, commands and other modules.

One module per part, each importing only the parts below it (no import loop):

    subscriptions  sign-up, double opt-in, unsubscribe, preferences, bounced addresses
    imports        existing subscribers from CSV/XLSX: preview, then confirm (uses subscriptions)
    issues         lists, issues, items, schedule, test send (uses subscriptions, sources, rendering)
    sending        queue an issue, the worker's batches, resume after a crash, tracking
                   (uses subscriptions, rendering, smtp)
    bounces        DSN reports → deliveries and addresses (uses subscriptions, dsn)

Callers import from here (``from newsletter import services``; ``services.issue_send(...)``).
"""

from newsletter.services.bounces import bounce_apply
from newsletter.services.imports import import_confirm, import_discard, import_preview
from newsletter.services.issues import (
    issue_create,
    issue_schedule,
    issue_test_send,
    issue_update,
    item_add_from_source,
    item_delete,
    item_move,
    item_save,
    items_reorder,
    list_save,
)
from newsletter.services.sending import (
    deliveries_resume,
    delivery_track,
    issue_deliver,
    issue_send,
    issues_send_due,
)
from newsletter.services.subscriptions import (
    consent_wording_for,
    subscriber_confirm,
    subscriber_mark_bounced,
    subscriber_signup,
    subscriber_unsubscribe,
    subscriber_update_preferences,
)

__all__ = [
    "bounce_apply",
    "consent_wording_for",
    "deliveries_resume",
    "delivery_track",
    "import_confirm",
    "import_discard",
    "import_preview",
    "issue_create",
    "issue_deliver",
    "issue_schedule",
    "issue_send",
    "issue_test_send",
    "issue_update",
    "issues_send_due",
    "item_add_from_source",
    "item_delete",
    "item_move",
    "item_save",
    "items_reorder",
    "list_save",
    "subscriber_confirm",
    "subscriber_mark_bounced",
    "subscriber_signup",
    "subscriber_unsubscribe",
    "subscriber_update_preferences",
]
