"""Access helpers: staff see the whole back office (404 for what does not exist); public pages are
opened by a list's slug, an archived issue's id, or a subscriber's own link.

Two kinds of subscriber link, never mixed up:

- the **confirmation link** carries a signed, expiring value naming the pending sign-up by its
  ``confirm_key`` (:func:`subscriber_for_confirmation`); it opens nothing else and is void once used;
- the **management token** (``Subscriber.token``) opens unsubscribe, preferences and the data
  export (:func:`subscriber_for_token`); the subscriber learns it only after confirming.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.utils.translation import gettext as _

from core.prepared import PreparedQuery, RowModel
from newsletter.errors import LinkExpired, LinkInvalid
from newsletter.models import Issue, Item, NewsletterList, Subscriber, SubscriberImport

CONFIRM_SALT = "newsletter.confirm"


def _get(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


_LIST = RowModel(NewsletterList)
_LIST_BY_PK = PreparedQuery(lambda pk: NewsletterList.objects.filter(pk=pk).values(*_LIST.names), pk=-1)


def list_for_staff(user, pk) -> NewsletterList:
    """The list (its SQL compiled once per process: every subscriber page reads it), or 404."""
    rows = _LIST_BY_PK.rows(pk=int(pk))
    if not rows:
        raise Http404
    return _LIST.instance(rows[0])


def issue_for_staff(user, pk) -> Issue:
    return _get(Issue.objects.select_related("newsletter_list"), pk)


def item_for_staff(user, pk) -> Item:
    return _get(Item.objects.select_related("issue__newsletter_list"), pk)


def import_for_staff(user, pk) -> SubscriberImport:
    return _get(SubscriberImport.objects.select_related("newsletter_list"), pk)


def public_list(slug) -> NewsletterList:
    newsletter_list = NewsletterList.objects.filter(slug=slug, is_public=True).first()
    if newsletter_list is None:
        raise Http404
    return newsletter_list


def archived_issue(pk) -> Issue:
    return _get(
        Issue.objects.select_related("newsletter_list").filter(
            status=Issue.Status.SENT, newsletter_list__is_public=True
        ),
        pk,
    )


def confirmation_value(subscriber: Subscriber) -> str:
    """The signed value of a confirmation link: the sign-up's id and confirmation key, never the token."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{subscriber.pk}.{subscriber.confirm_key}")


def subscriber_for_confirmation(value: str, *, lock: bool = False) -> Subscriber:
    """The pending sign-up a confirmation link names.

    :class:`LinkExpired` for a link we issued more than ``NEWSLETTER_CONFIRM_HOURS`` ago,
    :class:`LinkInvalid` for a forged one and for one already used or replaced.
    """
    try:
        raw = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(
            value, max_age=timedelta(hours=settings.NEWSLETTER_CONFIRM_HOURS)
        )
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    pk, _sep, key = raw.partition(".")
    subscribers = Subscriber.objects.select_related("newsletter_list")
    if lock:
        subscribers = subscribers.select_for_update(of=("self",))
    subscriber = None
    if pk.isascii() and pk.isdigit() and key:
        subscriber = subscribers.filter(pk=int(pk), confirm_key=key, status=Subscriber.Status.PENDING).first()
    if subscriber is None:
        raise LinkInvalid(
            _(
                "Dieser Bestätigungslink wurde schon verwendet oder durch einen neueren ersetzt. Bitte nehmen Sie den Link aus der neuesten E-Mail."
            )
        )
    return subscriber


def subscriber_for_token(token: str) -> Subscriber:
    """The subscription a management link (unsubscribe, preferences, export) belongs to."""
    subscriber = Subscriber.objects.select_related("newsletter_list").filter(token=token).first() if token else None
    if subscriber is None:
        raise LinkInvalid
    return subscriber
