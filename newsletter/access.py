"""Access helpers: staff only see the back office; public links carry their own secret token."""

from django.http import Http404

from newsletter.models import Issue, Item, NewsletterList, SubscriberImport


def _get(model, pk, **filters):
    obj = model.objects.filter(pk=pk, **filters).first()
    if obj is None:
        raise Http404
    return obj


def list_for_staff(user, pk) -> NewsletterList:
    return _get(NewsletterList, pk)


def issue_for_staff(user, pk) -> Issue:
    issue = Issue.objects.select_related("newsletter_list").filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue


def item_for_staff(user, pk) -> Item:
    item = Item.objects.select_related("issue__newsletter_list").filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def import_for_staff(user, pk) -> SubscriberImport:
    return _get(SubscriberImport, pk)


def public_list(slug) -> NewsletterList:
    newsletter_list = NewsletterList.objects.filter(slug=slug, is_public=True).first()
    if newsletter_list is None:
        raise Http404
    return newsletter_list


def archived_issue(pk) -> Issue:
    issue = (
        Issue.objects.select_related("newsletter_list")
        .filter(pk=pk, status=Issue.Status.SENT, newsletter_list__is_public=True)
        .first()
    )
    if issue is None:
        raise Http404
    return issue
