"""Writes of the webhooks app: endpoints, turning domain events into deliveries, posting them.

Delivery is at-least-once on the wire and exactly-once in our records:

- a domain event (``core.hooks.emit``) becomes at most one :class:`Delivery` per endpoint, written in
  the transaction of the change itself (unique ``(endpoint, event_id)``), so nothing is lost between
  the commit and a crash, and nothing is created twice;
- a worker claims a delivery with a lease (``claimed_until``) before it posts; a second task for the
  same delivery finds it claimed or done and does nothing;
- a worker that dies mid-POST leaves the lease to run out; :func:`deliveries_requeue` (every minute)
  releases it and the delivery is posted again **with the same Webhook-Id**. Whether the receiver got
  the first POST cannot be known, so receivers dedupe on ``Webhook-Id`` (README.md).
"""

import http.client
import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ServiceError, StateConflict
from core.hooks import Event
from core.jobs import enqueue_on_commit
from core.prepared import PreparedQuery
from webhooks.addresses import address_refusal, resolve, url_check
from webhooks.events import EVENT_TYPE_NAMES
from webhooks.models import Attempt, Delivery, Endpoint, new_secret
from webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

# Wait after the 1st, 2nd … failed attempt; after the last one the delivery is marked failed.
RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
                timedelta(hours=12)]  # fmt: skip
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 5
# How long a worker holds a delivery while posting (far longer than the timeout). A lease that ran
# out belonged to a worker that died; a pending row this much overdue has lost its task.
LEASE = timedelta(minutes=2)
USER_AGENT = "Kammerwerk-Webhooks/1"
# Finished deliveries (delivered or failed) stay in the log this long.
KEEP_FINISHED = timedelta(days=90)
NOT_CLAIMED = "not_claimed"


# --- endpoints -----------------------------------------------------------------------


def endpoint_save(
    *, endpoint: Endpoint | None = None, name: str, url: str, event_types: list[str], is_active: bool = True, by=None
) -> Endpoint:
    """Create or change an endpoint. A new one gets a fresh secret (shown once to staff)."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Bitte geben Sie eine Bezeichnung an."), field="name")
    url = url_check(url)
    unknown = set(event_types) - set(EVENT_TYPE_NAMES)
    if unknown or not event_types:
        raise ServiceError(_("Bitte wählen Sie mindestens ein Ereignis aus der Liste."), field="event_types")
    endpoint = endpoint or Endpoint(created_by=by)
    endpoint.name = name[:120]
    endpoint.url = url
    endpoint.event_types = [name for name in EVENT_TYPE_NAMES if name in set(event_types)]
    endpoint.is_active = is_active
    endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, endpoint: Endpoint) -> str:
    """A new secret, effective for the next POST; the old one stops working at once."""
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    return endpoint.secret


def endpoint_set_active(*, endpoint: Endpoint, active: bool) -> Endpoint:
    """Deactivated endpoints get no new deliveries; what is pending for them fails at its next attempt."""
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    return endpoint


# --- events become deliveries ----------------------------------------------------------


# Every event reads the active endpoints anew, in the emitting transaction (one added a moment ago
# gets the next event); only the statement is compiled once per process (core.prepared), since the
# ORM's work for it cost more than the rest of the listener, in the registration's seat lock.
_ACTIVE_ENDPOINTS = PreparedQuery(
    lambda: Endpoint.objects.filter(is_active=True).order_by("name", "pk").values("pk", "event_types")
)


def event_received(event: Event) -> list[Delivery]:
    """The ``core.hooks`` listener: one delivery per active endpoint that subscribed to the event.

    Runs inside the emitting service's transaction; the POST is queued for after the commit."""
    from webhooks.tasks import deliver_webhook

    endpoint_ids = [row["pk"] for row in _ACTIVE_ENDPOINTS.rows() if event.name in row["event_types"]]
    created = []
    for endpoint_id in endpoint_ids:
        try:
            with transaction.atomic():
                delivery, new = Delivery.objects.get_or_create(
                    endpoint_id=endpoint_id, event_id=event.id,
                    defaults={"event_type": event.name, "occurred_at": event.occurred_at, "payload": event.payload,
                              "next_attempt_at": event.occurred_at},
                )  # fmt: skip
        except IntegrityError:  # the same event twice at once: the other one made the row
            continue
        if new:
            enqueue_on_commit(deliver_webhook, delivery.pk)
            created.append(delivery)
    return created


# --- posting ---------------------------------------------------------------------------


def delivery_body(delivery: Delivery) -> bytes:
    """The JSON body, the same bytes on every attempt."""
    document = {
        "id": str(delivery.event_id),
        "type": delivery.event_type,
        "occurred_at": delivery.occurred_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx is an answer, not a new target
        return None


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def _post(endpoint: Endpoint, delivery: Delivery) -> tuple[int | None, str]:
    """POST once: (HTTP status or None, error text; empty when 2xx)."""
    parts = urlsplit(endpoint.url)
    for address in resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)):
        reason = address_refusal(address)
        if reason:
            return None, reason
    body = delivery_body(delivery)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        **signed_headers(endpoint.secret, str(delivery.event_id), body),
    }
    request = urllib.request.Request(endpoint.url, data=body, headers=headers, method="POST")  # noqa: S310 – checked
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, f"{type(error).__name__}: {reason}"[:1000]


def _claim(delivery_id: int, now) -> tuple[Delivery, Attempt] | None:
    """Take the delivery for one attempt, or ``None`` when it is not due, done, or held by another worker."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.claimed_until = now + LEASE
        delivery.save(update_fields=["attempts", "claimed_until"])
        attempt = Attempt.objects.create(delivery=delivery, number=delivery.attempts, started_at=now)
    return delivery, attempt


def delivery_attempt(delivery_id: int, *, now=None) -> str:
    """One attempt at a delivery, as the worker makes it. Returns the delivery's status afterwards
    (``pending`` with ``next_attempt_at`` set after a failure that will be retried), or ``NOT_CLAIMED``
    when it was not due, already done, or held by another worker (nothing happened)."""
    claimed = _claim(delivery_id, now or timezone.now())
    if claimed is None:
        return NOT_CLAIMED
    delivery, attempt = claimed
    if not delivery.endpoint.is_active:
        status_code, error = None, _("Der Endpunkt ist deaktiviert.")
    else:
        status_code, error = _post(delivery.endpoint, delivery)
    finished = timezone.now()
    ok = status_code is not None and 200 <= status_code < 300
    if ok:
        fields = {
            "status": Delivery.Status.DELIVERED,
            "delivered_at": finished,
            "last_error": "",
            "next_attempt_at": None,
        }
    elif delivery.attempts >= MAX_ATTEMPTS or not delivery.endpoint.is_active:
        fields = {"status": Delivery.Status.FAILED, "last_error": error, "next_attempt_at": None}
    else:
        fields = {"last_error": error, "next_attempt_at": finished + RETRY_DELAYS[delivery.attempts - 1]}
    with transaction.atomic():
        Attempt.objects.filter(pk=attempt.pk).update(finished_at=finished, status_code=status_code, error=error)
        # only the holder of the current attempt records the outcome (a stale worker's lease was taken over)
        Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
            claimed_until=None, last_status_code=status_code, **fields
        )
    if not ok:
        logger.warning("Webhook %s to %s: %s", delivery.event_id, delivery.endpoint.url, error)
    return fields.get("status", Delivery.Status.PENDING)


def delivery_replay(*, delivery: Delivery, now=None) -> Delivery:
    """Staff send a delivery again: a new attempt now, with the same event id (``Webhook-Id``)."""
    now = now or timezone.now()
    from webhooks.tasks import deliver_webhook

    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
        if not delivery.endpoint.is_active:
            raise StateConflict(_("Der Endpunkt ist deaktiviert. Aktivieren Sie ihn, bevor Sie erneut senden."))
        if delivery.claimed_until and delivery.claimed_until > now:
            raise StateConflict(_("Diese Zustellung wird gerade gesendet. Bitte versuchen Sie es gleich noch einmal."))
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = now
        delivery.claimed_until = None
        delivery.save(update_fields=["status", "next_attempt_at", "claimed_until"])
        enqueue_on_commit(deliver_webhook, delivery.pk)
    return delivery


def deliveries_requeue(*, now=None) -> int:
    """Recurring: queue again what a dead worker left (an expired lease) and what lost its task
    (pending and overdue by more than the lease). Returns how many were queued."""
    from webhooks.tasks import deliver_webhook

    now = now or timezone.now()
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    expired = pending.filter(claimed_until__lt=now)
    lost = pending.filter(claimed_until__isnull=True, next_attempt_at__lt=now - LEASE)
    ids = sorted(set(expired.values_list("pk", flat=True)) | set(lost.values_list("pk", flat=True)))
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids, claimed_until__lt=now).update(claimed_until=None)
        for delivery_id in ids:
            enqueue_on_commit(deliver_webhook, delivery_id)
    return len(ids)


def deliveries_tidy(*, now=None) -> int:
    """Recurring: delete finished deliveries (and their attempts) older than :data:`KEEP_FINISHED`."""
    cutoff = (now or timezone.now()) - KEEP_FINISHED
    finished = Delivery.objects.exclude(status=Delivery.Status.PENDING).filter(created_at__lt=cutoff)
    deleted, _by_model = finished.delete()
    return deleted
