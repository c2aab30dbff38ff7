"""Subscriptions: double opt-in sign-up and confirmation, unsubscribe, preferences, bounces."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.selectors import person_for_email
from contacts.services import consent_record, consent_withdraw
from core.hooks import emit
from core.mail import mail_queue
from newsletter.access import confirmation_value, subscriber_for_confirmation
from newsletter.errors import NewsletterRefused
from newsletter.models import Delivery, NewsletterList, Subscriber, SubscriptionEvent, new_token

CONFIRM_MAIL_EVERY = timedelta(hours=1)
LANGUAGES = ("de", "en")


def normalise_email(value: str, *, field: str = "email") -> str:
    """The address lower-cased and without blanks; :class:`NewsletterRefused` if it is not one."""
    email = (value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise NewsletterRefused(
            _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": value}, field=field, code="invalid_email"
        ) from None
    return email


def consent_purpose(newsletter_list: NewsletterList) -> str:
    return f"newsletter.{newsletter_list.slug}"


def consent_wording_for(newsletter_list: NewsletterList) -> tuple[str, str]:
    """The wording shown at sign-up and its version: the list's text plus what tracking is switched on."""
    parts = [newsletter_list.consent_wording.strip()]
    version = newsletter_list.consent_version
    if newsletter_list.open_tracking:
        parts.append(
            _(
                "Wir messen, ob und wann Sie eine Ausgabe öffnen (Zählpixel), um den Newsletter zu verbessern. "
                "Sie können dem jederzeit durch Abmelden widersprechen."
            )
        )
        version += "+open"
    if newsletter_list.click_tracking:
        parts.append(_("Wir messen, welche Links Sie in einer Ausgabe anklicken (Weiterleitung über unseren Server)."))
        version += "+click"
    return "\n\n".join(part for part in parts if part), version


def subscription_event_add(subscriber: Subscriber, kind: str, at) -> None:
    SubscriptionEvent.objects.create(
        newsletter_list_id=subscriber.newsletter_list_id, subscriber=subscriber, kind=kind, at=at
    )


def confirm_link(subscriber: Subscriber) -> str:
    return settings.SITE_URL + reverse("newsletter:confirm", args=[confirmation_value(subscriber)])


@transaction.atomic
def subscriber_signup(
    *, newsletter_list: NewsletterList, email: str, name: str = "", language: str = "de", source: str = "",
    ip_address: str | None = None, now=None,
) -> bool:  # fmt: skip
    """Register a sign-up and send the confirmation mail (double opt-in).

    Returns whether a mail was queued. The caller shows the same answer either way, so
    nobody learns whether an address is subscribed; at most one mail per address per hour.
    """
    now = now or timezone.now()
    email = normalise_email(email)
    if not newsletter_list.is_public:
        raise NewsletterRefused(_("Dieser Verteiler nimmt keine Anmeldungen entgegen."))
    language = language if language in LANGUAGES else "de"
    wording, version = consent_wording_for(newsletter_list)
    ip = ip_address if settings.NEWSLETTER_STORE_IP else None
    source = (source or _("Anmeldeformular"))[:200]
    try:
        with transaction.atomic():
            subscriber, created = Subscriber.objects.select_for_update().get_or_create(
                newsletter_list=newsletter_list, email=email,
                defaults={"name": name[:150], "language": language, "source": source, "created_at": now,
                          "consent_wording": wording, "consent_version": version, "consent_ip": ip,
                          "confirm_key": new_token()},
            )  # fmt: skip
    except IntegrityError:  # two sign-ups at once; the other one wins
        subscriber, created = (
            Subscriber.objects.select_for_update().get(newsletter_list=newsletter_list, email=email),
            False,
        )
    if created:
        subscription_event_add(subscriber, SubscriptionEvent.Kind.JOIN, now)
    elif subscriber.status == Subscriber.Status.ACTIVE:
        return False
    else:
        if subscriber.status != Subscriber.Status.PENDING:
            subscriber.status = Subscriber.Status.PENDING
            subscription_event_add(subscriber, SubscriptionEvent.Kind.JOIN, now)
        subscriber.name = name[:150] or subscriber.name
        subscriber.language = language
        subscriber.source = source
        subscriber.consent_wording, subscriber.consent_version, subscriber.consent_ip = wording, version, ip
        subscriber.confirm_key = subscriber.confirm_key or new_token()
        subscriber.save()
    # the throttle is a conditional UPDATE on the row: race-free, and it survives a cache flush
    due = Subscriber.objects.filter(pk=subscriber.pk).filter(
        Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lte=now - CONFIRM_MAIL_EVERY)
    )
    if not due.update(confirmation_sent_at=now):
        return False
    mail_queue(
        to=email,
        template="newsletter_confirm",
        context={
            "newsletter_list": newsletter_list,
            "name": subscriber.name,
            "link": confirm_link(subscriber),
            "hours": settings.NEWSLETTER_CONFIRM_HOURS,
            "wording": wording,
        },
        language=language,
        reference=f"newsletter.subscriber:{subscriber.pk}",
    )
    return True


@transaction.atomic
def subscriber_confirm(*, value: str, now=None) -> Subscriber:
    """Complete the double opt-in: the consent is stored now, with the wording shown at sign-up.

    The confirmation link is void afterwards; the caller hands the subscriber their management
    link (``subscriber.token``). Raises :class:`~newsletter.errors.LinkExpired` / ``LinkInvalid``.
    """
    now = now or timezone.now()
    subscriber = subscriber_for_confirmation(value, lock=True)
    person = person_for_email(subscriber.email)
    consent = consent_record(
        email=subscriber.email,
        purpose=consent_purpose(subscriber.newsletter_list),
        wording=subscriber.consent_wording or consent_wording_for(subscriber.newsletter_list)[0],
        wording_version=subscriber.consent_version or subscriber.newsletter_list.consent_version,
        source=(_("%(source)s, Double-Opt-in bestätigt") % {"source": subscriber.source})[:200],
        person=person,
        ip_address=subscriber.consent_ip,
        given_at=now,
    )
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirm_key = ""
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.bounced_at = None
    subscriber.soft_bounces = 0
    subscriber.consent = consent
    subscriber.person = person
    subscriber.save()
    subscription_event_add(subscriber, SubscriptionEvent.Kind.CONFIRM, now)
    emit("subscription.confirmed", {"subscriber_id": subscriber.pk, "list_id": subscriber.newsletter_list_id})
    _welcome_mail(subscriber)
    return subscriber


def _welcome_mail(subscriber: Subscriber) -> None:
    """After the double opt-in: welcome, what comes next, and the subscriber's own links."""
    mail_queue(
        to=subscriber.email,
        template="newsletter_welcome",
        context={
            "newsletter_list": subscriber.newsletter_list,
            "name": subscriber.name,
            "preferences_url": settings.SITE_URL + reverse("newsletter:preferences", args=[subscriber.token]),
            "unsubscribe_url": settings.SITE_URL + reverse("newsletter:unsubscribe", args=[subscriber.token]),
            "archive_url": settings.SITE_URL + reverse("newsletter:archive"),
        },
        language=subscriber.language,
        reference=f"newsletter.subscriber:{subscriber.pk}",
    )


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, now=None) -> bool:
    """One click: off the list, consent withdrawn. False if it was not subscribed (nothing changes)."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().select_related("newsletter_list").get(pk=subscriber.pk)
    if subscriber.status not in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
        return False
    was_active = subscriber.status == Subscriber.Status.ACTIVE
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.confirm_key = ""
    subscriber.save(update_fields=["status", "unsubscribed_at", "confirm_key"])
    if was_active:
        subscription_event_add(subscriber, SubscriptionEvent.Kind.LEAVE, now)
        emit("subscription.unsubscribed", {"subscriber_id": subscriber.pk, "list_id": subscriber.newsletter_list_id})
    consent_withdraw(email=subscriber.email, purpose=consent_purpose(subscriber.newsletter_list))
    # what is still queued for this address is not sent any more
    Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.FAILED, last_error="unsubscribed"
    )
    return True


@transaction.atomic
def subscriber_update_preferences(*, subscriber: Subscriber, name: str, language: str) -> Subscriber:
    name = name.strip()
    if len(name) > 150:
        raise NewsletterRefused(_("Der Name ist zu lang (höchstens 150 Zeichen)."), field="name")
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.name = name
    subscriber.language = language if language in LANGUAGES else "de"
    subscriber.save(update_fields=["name", "language"])
    return subscriber


@transaction.atomic
def subscriber_mark_bounced(*, subscriber_id: int, reason: str = "", hard: bool = True, now=None) -> bool:
    """A hard bounce suppresses the address; soft bounces do after ``NEWSLETTER_SOFT_BOUNCE_LIMIT`` in a row."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.BOUNCED:
        return False
    if not hard:
        subscriber.soft_bounces += 1
        if subscriber.soft_bounces < settings.NEWSLETTER_SOFT_BOUNCE_LIMIT:
            subscriber.save(update_fields=["soft_bounces"])
            return False
    was_active = subscriber.status == Subscriber.Status.ACTIVE
    subscriber.status = Subscriber.Status.BOUNCED
    subscriber.bounced_at = now
    subscriber.save(update_fields=["status", "bounced_at", "soft_bounces"])
    if was_active:
        subscription_event_add(subscriber, SubscriptionEvent.Kind.BOUNCE, now)
    Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.FAILED, last_error=f"bounced: {reason}"[:300]
    )
    return True
