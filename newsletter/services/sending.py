"""Bulk sending of an issue: queue one Delivery row per subscriber, then send in batches.

The pipeline (see README.md, "Sending"):

1. :func:`issue_send` locks the issue and :func:`deliveries_queue` writes a row per active
   subscriber with one ``INSERT … SELECT``, with a fixed Message-ID. The unique (issue, subscriber)
   constraint makes a second run a no-op. The task ``deliver_issue`` is queued on commit.
2. :func:`issue_deliver` (the task's body) claims a batch with a conditional UPDATE
   (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and writes a ``DeliveryBatch`` row for it;
   ``rendering.IssueRenderer`` renders the issue once per language and personalises each copy
   by byte replacement.
3. ``smtp.open_messages`` / ``smtp.close_messages`` send over ``NEWSLETTER_CONNECTIONS``
   connections, one message on each at a time, with the batch's progress ("sent up to delivery
   id n") **committed before the final "." of DATA is written**: a crash before that commit
   leaves the server holding unterminated messages, which it discards; a crash after it leaves
   progress that counts messages whose terminating dots are one ``send()`` each away. The
   remaining window is the few microseconds between the commit returning and those ``send()``s
   (a loss, never a duplicate). The commit is also a fencing check: if a resume took the batch
   away from this worker, the UPDATE matches nothing and the messages are abandoned
   unterminated. One small row is written per round, not the delivery rows: they become
   "sent" in bulk when the batch is settled (:func:`_settle`).
4. :func:`deliveries_resume` settles the batches a dead worker left: rows up to the recorded
   progress become "sent", the rest go back to "queued" (never accepted by the server, by 3.),
   and the task is queued again.
"""

import logging
import smtplib
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import pq

from core.errors import ServiceError, StateConflict
from core.mail import retry_delay
from newsletter.errors import NewsletterRefused
from newsletter.models import Delivery, DeliveryBatch, Issue, Subscriber
from newsletter.rendering import IssueRenderer, mail_domain, tracked_delivery_id
from newsletter.services.subscriptions import subscriber_mark_bounced
from newsletter.smtp import Abandoned, BulkSMTP, is_permanent
from newsletter.smtp import close_messages as smtp_close
from newsletter.smtp import open_messages as smtp_open

logger = logging.getLogger(__name__)


# --- starting an issue --------------------------------------------------------------


def _db_time(value):
    return connection.ops.adapt_datetimefield_value(value)


def deliveries_queue(issue: Issue) -> int:
    """One Delivery row per active subscriber (idempotent). Returns the rows added."""
    table = Delivery._meta.db_table
    subscribers = Subscriber._meta.db_table
    prefix = f"<nl.{issue.pk}.{uuid.uuid4().hex[:8]}."
    suffix = f"@{mail_domain()}>"
    sql = f"""
        INSERT INTO {table} (issue_id, subscriber_id, email, status, attempts, message_id, claim, last_error)
        SELECT %s, s.id, s.email, 'queued', 0, CAST(%s AS TEXT) || CAST(s.id AS TEXT) || CAST(%s AS TEXT), '', ''
        FROM {subscribers} s
        WHERE s.newsletter_list_id = %s AND s.status = 'active'
        ON CONFLICT DO NOTHING
    """  # noqa: S608 – table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [issue.pk, prefix, suffix, issue.newsletter_list_id])
        return cursor.rowcount


@transaction.atomic
def issue_send(*, issue: Issue, now=None) -> int:
    """Start sending now: one delivery row per active subscriber, then the worker sends.

    A second call for the same issue is refused; the unique (issue, subscriber) rows
    would make it harmless anyway.
    """
    now = now or timezone.now()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status in (Issue.Status.SENDING, Issue.Status.SENT):
        raise StateConflict(_("Diese Ausgabe wird bereits versandt oder wurde schon versandt."))
    if not issue.items.exists():
        raise NewsletterRefused(_("Eine Ausgabe ohne Meldungen kann nicht versandt werden."))
    issue.status = Issue.Status.SENDING
    issue.send_started_at = now
    issue.scheduled_at = issue.scheduled_at or now
    issue.save(update_fields=["status", "send_started_at", "scheduled_at"])
    queued = deliveries_queue(issue)
    if queued == 0:
        issue.status, issue.sent_at = Issue.Status.SENT, now
        issue.save(update_fields=["status", "sent_at"])
        return 0
    for _n in range(settings.NEWSLETTER_PARALLEL):
        transaction.on_commit(lambda: delivery_enqueue(issue.pk, always=True))
    return queued


def issues_send_due(now=None) -> list[int]:
    """Recurring: start every scheduled issue whose time has come. Returns their ids."""
    now = now or timezone.now()
    started = []
    for issue in Issue.objects.filter(status=Issue.Status.SCHEDULED, scheduled_at__lte=now):
        try:
            issue_send(issue=issue, now=now)
        except ServiceError as error:  # emptied or started by someone else meanwhile: it stays as it is
            logger.warning("Issue %s not started: %s", issue.pk, error)
            continue
        started.append(issue.pk)
    return started


def delivery_enqueue(issue_id: int, *, run_after=None, always: bool = False) -> bool:
    """Queue the task ``deliver_issue`` for an issue, unless a run for it is already waiting
    (``always``: for the parallel senders ``issue_send`` starts)."""
    # The one function-level import of the package: tasks.py wraps these services, so the
    # service that queues the task imports it here (as core.mail and events do).
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from newsletter.tasks import deliver_issue

    if not always and isinstance(deliver_issue.get_backend(), DatabaseBackend):
        waiting = DBTaskResult.objects.filter(status="READY", task_path=deliver_issue.module_path)
        if any(row.args_kwargs.get("args") == [issue_id] for row in waiting.only("args_kwargs")):
            return False
    (deliver_issue.using(run_after=run_after) if run_after else deliver_issue).enqueue(issue_id)
    return True


# --- the worker's side --------------------------------------------------------------


@dataclass
class Claimed:
    id: int
    email: str
    message_id: str
    token: str
    language: str
    subscriber_id: int | None
    attempts: int


def _claim_batch(issue_id: int, size: int) -> tuple[str, list[Claimed]]:
    table = Delivery._meta.db_table
    claim = uuid.uuid4().hex
    now = timezone.now()
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = f"""
        UPDATE {table} SET status = 'sending', claim = %s, claimed_at = %s, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM {table}
            WHERE issue_id = %s AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
            ORDER BY id LIMIT %s{lock}
        )
    """  # noqa: S608
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [claim, _db_time(now), issue_id, _db_time(now), size])
            if not cursor.rowcount:
                return claim, []
        DeliveryBatch.objects.create(claim=claim, issue_id=issue_id, claimed_at=now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT d.id, d.email, d.message_id, s.token, s.language, d.subscriber_id, d.attempts
                FROM {table} d LEFT JOIN {Subscriber._meta.db_table} s ON s.id = d.subscriber_id
                WHERE d.claim = %s AND d.status = 'sending' ORDER BY d.id""",  # noqa: S608
            [claim],
        )
        rows = [Claimed(*row) for row in cursor.fetchall()]
    return claim, rows


def _mark_sent(cursor, delivery_id: int, claim: str) -> bool:
    """Record that the batch has sent up to ``delivery_id`` (committed before the final "."); False: fenced off.

    One small row per batch is updated, not the delivery rows: they follow in bulk in :func:`_settle`.
    ``cursor`` is the batch's own, reused for every round.
    """
    table = DeliveryBatch._meta.db_table
    if cursor.db.vendor == "postgresql":
        # The one write per round goes to libpq directly: a third of the client CPU of a Django
        # cursor (no parameter adaptation in Python). Not in Django's query log.
        result = cursor.cursor.connection.pgconn.exec_params(
            f"UPDATE {table} SET sent_upto = $1, sent_at = now() WHERE claim = $2".encode(),  # noqa: S608
            [b"%d" % delivery_id, claim.encode()],
        )
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise DatabaseError(result.error_message.decode(errors="replace"))
        return result.command_tuples == 1
    cursor.execute(
        f"UPDATE {table} SET sent_upto = %s, sent_at = %s WHERE claim = %s",  # noqa: S608
        [delivery_id, _db_time(timezone.now()), claim],
    )
    return cursor.rowcount == 1


def _settle(claim: str, *, delay: timedelta | None = None) -> tuple[int, int]:
    """Close a batch: its rows up to the recorded progress become sent, the rest go back to the queue.

    Deleting the batch row under its lock is the fence: a worker still sending it finds its next
    progress write matching nothing and abandons its open messages. Returns (sent, requeued).
    """
    now = timezone.now()
    with transaction.atomic():
        batch = DeliveryBatch.objects.select_for_update().filter(claim=claim).first()
        rows = Delivery.objects.filter(claim=claim, status=Delivery.Status.SENDING)
        sent = 0
        if batch is not None:
            if batch.sent_upto:
                sent = rows.filter(pk__lte=batch.sent_upto).update(
                    status=Delivery.Status.SENT, sent_at=batch.sent_at or now, last_error=""
                )
            batch.delete()
        requeued = rows.update(
            status=Delivery.Status.QUEUED, claim="", next_attempt_at=(now + delay) if delay else None
        )
    return sent, requeued


def _mark_failure(row: Claimed, claim: str, error: Exception) -> str:
    """Record a refused message on its row (before any later progress of the batch is committed)."""
    permanent = is_permanent(error)
    give_up = permanent or row.attempts >= settings.MAIL_MAX_ATTEMPTS
    text = f"{type(error).__name__}: {error}"[:300]
    rows = Delivery.objects.filter(pk=row.id, claim=claim)
    if give_up:
        rows.update(status=Delivery.Status.FAILED, last_error=text)
        if permanent and row.subscriber_id:
            subscriber_mark_bounced(subscriber_id=row.subscriber_id, reason=text)
        return "failed"
    rows.update(
        status=Delivery.Status.QUEUED,
        claim="",
        last_error=text,
        next_attempt_at=timezone.now() + retry_delay(row.attempts),
    )
    return "retry"


def issue_finish_if_done(issue_id: int) -> bool:
    pending = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    ).exists()
    if pending:
        return False
    return bool(
        Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=timezone.now()
        )
    )


class _Throttle:
    def __init__(self, per_second: int):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(self.next_at, now) + self.interval


def _send_batch(renderer: IssueRenderer, claim: str, rows: list[Claimed], throttle: _Throttle, counts: dict) -> None:
    """Send a batch over ``NEWSLETTER_CONNECTIONS`` connections, one message on each at a time.

    Per round: every message opened (content written without the final "."), failures recorded,
    then **one** commit of the batch's progress (the highest id of the round), then the final "."
    on every connection, each followed by the next round's ``MAIL`` on that connection. Rows are in
    id order, so "up to this id" is exact.
    """
    sender = settings.NEWSLETTER_BOUNCE_ADDRESS
    with ExitStack() as stack:
        cursor = stack.enter_context(connection.cursor())
        smtps = [stack.enter_context(BulkSMTP()) for _ in range(min(settings.NEWSLETTER_CONNECTIONS, len(rows)))]
        for start in range(0, len(rows), len(smtps)):
            chunk = rows[start : start + len(smtps)]
            following = min(len(smtps), len(rows) - start - len(smtps))  # messages of the next round
            messages = []
            for smtp, row in zip(smtps, chunk, strict=False):
                throttle.wait()
                data = renderer.personalise(
                    email=row.email, message_id=row.message_id, token=row.token or "",
                    delivery_id=row.id, language=row.language or "de",
                )  # fmt: skip
                messages.append((smtp, sender, row.email, data))
            opened = []
            for row, (smtp, *_rest), error in zip(chunk, messages, smtp_open(messages), strict=True):
                if error is None:
                    opened.append((row, smtp))
                else:
                    counts[_mark_failure(row, claim, error)] += 1
            if not opened:
                continue
            if not _mark_sent(cursor, opened[-1][0].id, claim):
                for smtp in smtps:
                    smtp.drop()  # the open messages are never terminated
                counts["abandoned"] += len(opened)
                raise Abandoned(claim)
            refused, trouble = smtp_close(
                [smtp for _row, smtp in opened],
                then_mail=[sender if smtps.index(smtp) < following else None for _row, smtp in opened],
            )
            for (row, _smtp), error in zip(opened, refused, strict=True):
                if error is None:
                    counts["sent"] += 1
                else:  # the row is still "sending": it is recorded now, the settling leaves it alone
                    counts[_mark_failure(row, claim, error)] += 1
            if trouble is not None:
                raise trouble


def issue_deliver(issue_id: int, *, max_batches: int | None = None) -> dict:
    """Send what is queued for an issue (the worker's task calls this). Returns counts.

    Safe to run in several workers at once and to run again after a crash.
    """
    counts = {"sent": 0, "failed": 0, "retry": 0, "abandoned": 0}
    issue = Issue.objects.select_related("newsletter_list").filter(pk=issue_id).first()
    if issue is None or issue.status != Issue.Status.SENDING:
        return counts
    renderer = IssueRenderer(issue)
    rate = settings.NEWSLETTER_MAX_PER_SECOND
    throttle = _Throttle(rate)
    size = settings.NEWSLETTER_BATCH_SIZE if not rate else max(1, min(settings.NEWSLETTER_BATCH_SIZE, rate * 60))
    postgres = connection.vendor == "postgresql"
    if postgres and not connection.in_atomic_block:
        # A worker crash never loses a committed row; only a PostgreSQL crash could lose the
        # last fraction of a second of progress (README: Sending).
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            claim, rows = _claim_batch(issue_id, size)
            if not rows:
                break
            batches += 1
            try:
                _send_batch(renderer, claim, rows, throttle, counts)
            except Abandoned:
                logger.warning("Issue %s: batch %s was resumed elsewhere; leaving it", issue_id, claim)
                _settle(claim)
                break
            except (smtplib.SMTPException, OSError) as error:
                # connection trouble: what was sent is recorded, the unsent rest of the batch goes back, later
                _sent, released = _settle(claim, delay=retry_delay(1))
                counts["retry"] += released
                logger.warning("Issue %s: SMTP connection failed (%s); %s back in the queue", issue_id, error, released)
                break
            _settle(claim)
    finally:
        if postgres and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO DEFAULT")
    if not issue_finish_if_done(issue_id):
        _schedule_next_run(issue_id)
    return counts


def _schedule_next_run(issue_id: int) -> None:
    """Queue the task again for rows waiting for a retry (or left by a stopped batch loop)."""
    waiting = Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.QUEUED)
    next_at = (
        waiting.order_by(F("next_attempt_at").asc(nulls_first=True)).values_list("next_attempt_at", flat=True).first()
    )
    if next_at is None and not waiting.exists():
        return
    delivery_enqueue(issue_id, run_after=next_at)


def deliveries_resume(*, stale_after: int | None = None, enqueue: bool = True) -> dict:
    """Settle the batches a dead worker left behind and restart their issues.

    Safe by construction: a row up to a batch's recorded progress had its final "." written
    right after that commit, so it is sent; a row beyond it was never terminated on the SMTP
    connection, so sending it again cannot produce a second copy.
    """
    seconds = settings.NEWSLETTER_STALE_AFTER if stale_after is None else stale_after
    cutoff = timezone.now() - timedelta(seconds=seconds)
    stale = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lte=cutoff)
    issue_ids = set(stale.values_list("issue_id", flat=True).distinct())
    claims = set(stale.values_list("claim", flat=True).distinct())
    claims |= set(DeliveryBatch.objects.filter(claimed_at__lte=cutoff).values_list("claim", flat=True))
    sent = requeued = 0
    for claim in sorted(claims):
        settled = _settle(claim)
        sent, requeued = sent + settled[0], requeued + settled[1]
    # issues still marked sending whose queue has no running task (e.g. the worker died between batches)
    for issue_id in Issue.objects.filter(status=Issue.Status.SENDING, send_started_at__lte=cutoff).values_list(
        "pk", flat=True
    ):
        busy = Delivery.objects.filter(
            issue_id=issue_id, status=Delivery.Status.SENDING, claimed_at__gt=cutoff
        ).exists()
        if not busy:
            issue_ids.add(issue_id)
    restarted = []
    for issue_id in sorted(issue_ids):
        if issue_finish_if_done(issue_id):
            continue
        if enqueue:
            delivery_enqueue(issue_id)
        restarted.append(issue_id)
    return {"requeued": requeued, "sent": sent, "issues": restarted}


# --- tracking (only when a list has it switched on) ------------------------------------


def delivery_track(*, value: str, kind: str) -> Delivery | None:
    """Record the first open or click of a delivery, if its list measures that. Returns the delivery."""
    delivery_id = tracked_delivery_id(value)
    if delivery_id is None:
        return None
    delivery = Delivery.objects.select_related("issue__newsletter_list").filter(pk=delivery_id).first()
    if delivery is None:
        return None
    newsletter_list = delivery.issue.newsletter_list
    field = "opened_at" if kind == "open" else "clicked_at"
    if (kind == "open" and newsletter_list.open_tracking) or (kind == "click" and newsletter_list.click_tracking):
        Delivery.objects.filter(pk=delivery.pk, **{f"{field}__isnull": True}).update(**{field: timezone.now()})
    return delivery
