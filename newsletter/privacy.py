"""The newsletter's part of a person's data export and erasure (matched by e-mail)."""

from django.db.models import Q

from core.privacy import DataSubject, register_privacy
from newsletter.models import Delivery, Subscriber


def _subscribers(subject: DataSubject):
    query = Q(email__iexact=subject.normalised_email) if subject.normalised_email else Q(pk__in=[])
    if subject.person is not None:
        query |= Q(person=subject.person)
    return Subscriber.objects.filter(query).select_related("newsletter_list")


def export(subject: DataSubject) -> dict:
    subscribers = list(_subscribers(subject).prefetch_related("events"))
    deliveries = (
        Delivery.objects.filter(subscriber__in=subscribers).select_related("issue").order_by("issue__sent_at", "id")
    )
    return {
        "subscriptions": [
            {
                "list": s.newsletter_list.name,
                "email": s.email,
                "name": s.name,
                "language": s.language,
                "status": s.status,
                "source": s.source,
                "signed_up_at": s.created_at,
                "confirmed_at": s.confirmed_at,
                "unsubscribed_at": s.unsubscribed_at,
                "bounced_at": s.bounced_at,
                "consent_wording": s.consent_wording,
                "consent_version": s.consent_version,
                "ip_address": s.consent_ip,
                "history": [{"event": e.kind, "at": e.at} for e in s.events.all()],
            }
            for s in subscribers
        ],
        "issues_received": [
            {
                "issue": f"{d.issue.number}: {d.issue.subject}",
                "status": d.status,
                "sent_at": d.sent_at,
                "message_id": d.message_id,
                "opened_at": d.opened_at,
                "clicked_at": d.clicked_at,
            }
            for d in deliveries
        ],
    }


def erase(subject: DataSubject) -> int:
    """Delete the subscriptions; the delivery rows and events stay for the figures, without the address."""
    subscribers = list(_subscribers(subject).values_list("pk", flat=True))
    Delivery.objects.filter(subscriber_id__in=subscribers).update(email="", subscriber=None)
    if subject.normalised_email:
        Delivery.objects.filter(email__iexact=subject.normalised_email).update(email="")
    deleted, _ = Subscriber.objects.filter(pk__in=subscribers).delete()
    return len(subscribers)


register_privacy("newsletter", export=export, erase=erase)
