"""Lists, issues and their items: what staff compose before an issue is sent."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import mail_queue
from newsletter import sources
from newsletter.errors import IssueNotEditable, NewsletterRefused
from newsletter.models import Issue, Item, NewsletterList, Subscriber
from newsletter.rendering import TEMPLATE, issue_context, list_headers
from newsletter.services.subscriptions import normalise_email

MAX_TEST_ADDRESSES = 10
# the list's public sign-up page is /newsletter/<slug>/: a slug must not shadow the module's own pages
RESERVED_SLUGS = {"archiv", "bestaetigen", "abmelden", "einstellungen", "o", "k", "verwaltung"}
LIST_FIELDS = ["name", "slug", "description", "is_public", "consent_wording", "consent_version", "open_tracking", "click_tracking"]  # fmt: skip
ITEM_FIELDS = ["title", "teaser", "text", "link", "image", "image_alt", "source"]


@transaction.atomic
def list_save(*, newsletter_list: NewsletterList | None = None, data: dict) -> NewsletterList:
    """Create a list or change one (``data`` holds :data:`LIST_FIELDS`, checked by the form)."""
    if data["slug"] in RESERVED_SLUGS:
        raise NewsletterRefused(_("Dieses Kürzel ist für Seiten des Newsletters reserviert."), field="slug")
    if newsletter_list is None or newsletter_list.pk is None:
        newsletter_list = NewsletterList()
    else:
        newsletter_list = NewsletterList.objects.select_for_update().get(pk=newsletter_list.pk)
    for name in LIST_FIELDS:
        setattr(newsletter_list, name, data[name])
    newsletter_list.save()
    return newsletter_list


def _locked_editable(issue: Issue) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_editable:
        raise IssueNotEditable(
            _("Diese Ausgabe ist bereits im Versand oder versandt und kann nicht mehr geändert werden.")
        )
    return issue


@transaction.atomic
def issue_create(*, newsletter_list: NewsletterList, subject: str, intro: str = "", user=None) -> Issue:
    NewsletterList.objects.select_for_update().get(pk=newsletter_list.pk)  # serialises the numbering
    number = (Issue.objects.filter(newsletter_list=newsletter_list).aggregate(n=Max("number"))["n"] or 0) + 1
    return Issue.objects.create(
        newsletter_list=newsletter_list, number=number, subject=subject.strip(), intro=intro,
        created_by=user if user and user.is_authenticated else None,
    )  # fmt: skip


@transaction.atomic
def issue_update(*, issue: Issue, subject: str, intro: str) -> Issue:
    issue = _locked_editable(issue)
    issue.subject, issue.intro = subject.strip(), intro
    issue.save(update_fields=["subject", "intro"])
    return issue


@transaction.atomic
def item_save(*, issue: Issue, item: Item | None = None, data: dict) -> Item:
    """Add an item to an issue (``item`` None) or change one; ``data`` holds :data:`ITEM_FIELDS`
    (and ``origin`` for an item pulled from another module).

    ``data["image"]``: a new upload, ``False`` to remove the picture, ``None`` or the current file to keep it.
    """
    issue = _locked_editable(issue)
    image = data.get("image")
    if (image or (image is None and item is not None and item.image)) and not data.get("image_alt", "").strip():
        raise NewsletterRefused(_("Bitte beschreiben Sie das Bild (für Screenreader)."), field="image_alt")
    if item is None:
        item = Item(issue=issue, position=(issue.items.aggregate(p=Max("position"))["p"] or 0) + 1)
    elif item.issue_id != issue.pk:
        raise NewsletterRefused(_("Diese Meldung gehört zu einer anderen Ausgabe."))
    for name in [*ITEM_FIELDS, "origin"]:
        if name == "image":
            if image is not None:
                item.image = image or ""
        elif name in data:
            setattr(item, name, data[name] or "")
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: Item) -> None:
    _locked_editable(item.issue)
    item.delete()


def _renumber(issue: Issue, ranked: list[Item]) -> None:
    for index, item in enumerate(ranked, start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position"])


@transaction.atomic
def items_reorder(*, issue: Issue, positions: dict[int, int]) -> None:
    """Set the order from {item id: number}; ties keep the previous order. Numbers become 1..n."""
    issue = _locked_editable(issue)
    items = list(issue.items.all())
    _renumber(issue, sorted(items, key=lambda item: (positions.get(item.pk, item.position), item.position, item.pk)))


@transaction.atomic
def item_move(*, item: Item, step: int) -> None:
    """One place up (``step=-1``) or down (``step=1``)."""
    issue = _locked_editable(item.issue)
    items = list(issue.items.all())
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = max(0, min(len(items) - 1, index + step))
    items.insert(target, items.pop(index))
    _renumber(issue, items)


@transaction.atomic
def item_add_from_source(*, issue: Issue, origin: str) -> Item:
    """Pull an upcoming event or a portal entry into the issue as an item (if it is still public)."""
    candidate = sources.candidate_for(origin)
    if candidate is None:
        raise NewsletterRefused(_("Dieser Eintrag ist nicht (mehr) verfügbar."), field="origin")
    return item_save(
        issue=issue,
        data={
            "title": candidate.title[:200], "teaser": candidate.teaser[:400], "text": candidate.text,
            "link": candidate.link[:200], "source": candidate.source[:80], "origin": candidate.origin[:80],
        },
    )  # fmt: skip


@transaction.atomic
def issue_schedule(*, issue: Issue, when) -> Issue:
    """Plan the sending for ``when`` (the recurring ``newsletter.tick`` starts it); ``None`` unplans it."""
    issue = _locked_editable(issue)
    if when is None:
        issue.status, issue.scheduled_at = Issue.Status.DRAFT, None
    else:
        if when <= timezone.now():
            raise NewsletterRefused(_("Der Versandzeitpunkt muss in der Zukunft liegen."), field="when")
        if not issue.items.exists():
            raise NewsletterRefused(_("Die Ausgabe hat noch keine Meldungen."), field="when")
        issue.status, issue.scheduled_at = Issue.Status.SCHEDULED, when
    issue.save(update_fields=["status", "scheduled_at"])
    return issue


def _test_addresses(raw: str) -> list[str]:
    parts = [part for part in raw.replace(";", ",").replace("\n", ",").split(",") if part.strip()]
    if not parts:
        raise NewsletterRefused(_("Bitte geben Sie mindestens eine Adresse an."), field="addresses")
    if len(parts) > MAX_TEST_ADDRESSES:
        raise NewsletterRefused(
            _("Höchstens %(n)s Testadressen auf einmal.") % {"n": MAX_TEST_ADDRESSES}, field="addresses"
        )
    return list(dict.fromkeys(normalise_email(part, field="addresses") for part in parts))


@transaction.atomic
def issue_test_send(*, issue: Issue, addresses: str) -> int:
    """Send the issue as it will look to up to ten addresses (comma, semicolon or line separated),
    through the ordinary mail queue. A test address that is a subscriber gets its real links."""
    emails = _test_addresses(addresses)
    if not issue.items.exists():
        raise NewsletterRefused(_("Die Ausgabe hat noch keine Meldungen."), field="addresses")
    subscribers = {
        subscriber.email: subscriber
        for subscriber in Subscriber.objects.filter(newsletter_list=issue.newsletter_list_id, email__in=emails)
    }
    for email in emails:
        subscriber = subscribers.get(email)
        context = issue_context(issue, token=subscriber.token if subscriber else "")
        context["is_test"] = True
        mail_queue(
            to=email,
            template=TEMPLATE,
            context=context,
            language=subscriber.language if subscriber else "de",
            headers=list_headers(issue, context["unsubscribe_url"]),
            reference=f"newsletter.issue_test:{issue.pk}",
        )
    return len(emails)
