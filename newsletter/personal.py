"""A person's newsletter subscriptions and the consent behind each, in their personal area.

The actions are the subscription's own token pages (preferences, one-click unsubscribe, the data
export). A sign-up not yet confirmed shows no management link: confirming is the person's act in
the confirmation mail, and until then the token has not been handed out.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.personal import PersonalAction, PersonalItem, register_personal_section
from newsletter import selectors
from newsletter.models import Subscriber


def _consent(subscriber: Subscriber) -> str:
    given = subscriber.consent.given_at if subscriber.consent_id else subscriber.confirmed_at
    if not given:
        return ""
    return _("Einwilligung vom %(date)s (Fassung %(version)s)") % {
        "date": timezone.localtime(given).strftime("%d.%m.%Y"),
        "version": subscriber.consent_version or subscriber.newsletter_list.consent_version,
    }


def _item(subscriber: Subscriber) -> PersonalItem:
    token, newsletter_list = subscriber.token, subscriber.newsletter_list
    status = subscriber.get_status_display()
    detail, actions, url, when = "", [], "", None
    if subscriber.status == Subscriber.Status.ACTIVE:
        url, when, detail = (
            reverse("newsletter:preferences", args=[token]),
            subscriber.confirmed_at,
            _consent(subscriber),
        )
        actions = [
            PersonalAction(_("Einstellungen"), url),
            PersonalAction(_("Meine Daten (JSON)"), reverse("newsletter:export", args=[token]), download=True),
            PersonalAction(_("Abmelden"), reverse("newsletter:unsubscribe", args=[token]), method="post"),
        ]
    elif subscriber.status == Subscriber.Status.PENDING:
        detail = _("Bitte bestätigen Sie die Anmeldung über den Link in unserer E-Mail.")
    elif subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        when = subscriber.unsubscribed_at
        if newsletter_list.is_public:
            actions = [
                PersonalAction(_("Wieder abonnieren"), reverse("newsletter:subscribe", args=[newsletter_list.slug]))
            ]
    else:
        when, detail = subscriber.bounced_at, _("E-Mails an diese Adresse kamen nicht an.")
    return PersonalItem(
        title=newsletter_list.name, status=str(status), when=when, detail=detail, url=url, actions=tuple(actions)
    )


@register_personal_section("newsletter", title=gettext_lazy("Newsletter"), order=30)
def subscriptions(email: str) -> list[PersonalItem]:
    """Every subscription of the address with its consent (1 query)."""
    return [_item(subscriber) for subscriber in selectors.subscriptions_for_email(email)]
