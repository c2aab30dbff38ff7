"""Thin views: parse the form, call a selector or a service, render. Refusals through ``show_refusal``."""

import datetime
import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from core.http import client_ip, private_page, show_refusal
from core.params import int_param, page_param, parse_int
from core.permissions import staff_required
from core.tables import table_response
from newsletter import access, selectors, services, sources
from newsletter.charts import line_chart
from newsletter.errors import LinkExpired, LinkInvalid
from newsletter.forms import (
    ImportForm,
    IssueEditForm,
    IssueForm,
    ItemForm,
    NewsletterListForm,
    PreferencesForm,
    ScheduleForm,
    SubscribeForm,
    TestSendForm,
)
from newsletter.models import Item, NewsletterList, Subscriber
from newsletter.rendering import LANGUAGES, issue_render

PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _link_problem(request, error: ServiceError):
    expired = isinstance(error, LinkExpired)
    return render(
        request,
        "newsletter/link_problem.html",
        {"problem": "expired" if expired else "invalid", "message": error.message},
        status=410 if expired else 404,
    )


# --- public -------------------------------------------------------------------------


def index(request):
    return render(
        request, "newsletter/index.html", {"lists": selectors.public_lists(), "issues": selectors.archive_issues(6)}
    )


def subscribe(request, slug):
    newsletter_list = access.public_list(slug)
    wording, _version = services.consent_wording_for(newsletter_list)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscriber_signup(
                newsletter_list=newsletter_list, email=data["email"], name=data["name"], language=data["language"],
                source=_("Anmeldeformular %(path)s") % {"path": request.path}, ip_address=client_ip(request),
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            # the same answer whether the address was new, pending or already subscribed
            return redirect("newsletter:subscribe_thanks", slug=slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "newsletter/subscribe.html", {"newsletter_list": newsletter_list, "form": form, "wording": wording},
        status=status,
    )  # fmt: skip


def subscribe_thanks(request, slug):
    newsletter_list = access.public_list(slug)
    return render(request, "newsletter/subscribe_thanks.html", {"newsletter_list": newsletter_list})


@private_page
def confirm(request, value):
    """GET shows a button (link scanners must not confirm for the person); POST confirms and leads
    to the subscriber's own page, the first place the management token appears."""
    try:
        if request.method != "POST":
            access.subscriber_for_confirmation(value)
            return render(request, "newsletter/confirm.html")
        subscriber = services.subscriber_confirm(value=value)
    except (LinkExpired, LinkInvalid) as error:
        return _link_problem(request, error)
    messages.success(
        request,
        _("Vielen Dank! Ihre Anmeldung ist bestätigt: Sie erhalten „%(name)s“ ab der nächsten Ausgabe.")
        % {"name": subscriber.newsletter_list.name},
    )
    return redirect("newsletter:preferences", token=subscriber.token)


@private_page
@csrf_exempt  # the token in the URL authenticates; RFC 8058 one-click POSTs come without a CSRF token
def unsubscribe(request, token):
    try:
        subscriber = access.subscriber_for_token(token)
    except LinkInvalid as error:
        return _link_problem(request, error)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Abgemeldet."), content_type="text/plain; charset=utf-8")
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@private_page
def preferences(request, token):
    try:
        subscriber = access.subscriber_for_token(token)
    except LinkInvalid as error:
        return _link_problem(request, error)
    form = PreferencesForm(request.POST or None, initial={"name": subscriber.name, "language": subscriber.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.subscriber_update_preferences(subscriber=subscriber, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Ihre Einstellungen sind gespeichert."))
            return redirect("newsletter:preferences", token=token)
    return render(request, "newsletter/preferences.html", {"subscriber": subscriber, "form": form})


@private_page
def export(request, token):
    try:
        subscriber = access.subscriber_for_token(token)
    except LinkInvalid as error:
        return _link_problem(request, error)
    response = HttpResponse(
        json.dumps(selectors.subscriber_export(subscriber), ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-daten.json"'
    return response


def archive(request):
    return render(request, "newsletter/archive.html", {"issues": selectors.archive_issues()})


def archive_detail(request, pk):
    issue = access.archived_issue(pk)
    return render(request, "newsletter/archive_detail.html", {"issue": issue, "items": selectors.issue_items(issue)})


def track_open(request, value):
    services.delivery_track(value=value, kind="open")
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


def track_click(request, value, item_pk):
    link = selectors.tracked_item_link(services.delivery_track(value=value, kind="click"), item_pk)
    if not link:
        return _link_problem(request, LinkInvalid())
    return HttpResponseRedirect(link)


# --- staff ----------------------------------------------------------------------------


@staff_required
def staff_home(request):
    return render(
        request,
        "newsletter/staff_home.html",
        {"lists": selectors.lists_overview(), "issues": selectors.issues_with_stats()},
    )


@staff_required
def list_edit(request, pk=None):
    newsletter_list = access.list_for_staff(request.user, pk) if pk else None
    form = NewsletterListForm(request.POST or None, instance=newsletter_list or NewsletterList())
    if request.method == "POST" and form.is_valid():
        try:
            newsletter_list = services.list_save(newsletter_list=newsletter_list, data=form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Der Verteiler „%(name)s“ ist gespeichert.") % {"name": newsletter_list.name})
            return redirect("newsletter:staff_home")
    return render(request, "newsletter/list_form.html", {"form": form, "newsletter_list": newsletter_list})


def _subscriber_filters(request) -> dict:
    status = request.GET.get("status", "")
    return {"status": status if status in Subscriber.Status.values else "", "q": request.GET.get("q", "").strip()}


@staff_required
def subscriber_list(request, pk):
    newsletter_list = access.list_for_staff(request.user, pk)
    filters = _subscriber_filters(request)
    paginator = Paginator(selectors.subscribers_list(newsletter_list, **filters), 50)
    page = paginator.get_page(page_param(request.GET))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "newsletter/subscriber_list.html",
        {"newsletter_list": newsletter_list, "page": page, **filters, "statuses": Subscriber.Status.choices,
         "query": query.urlencode()},
    )  # fmt: skip


@staff_required
def subscriber_export(request, pk):
    newsletter_list = access.list_for_staff(request.user, pk)
    return table_response(
        request,
        filename=f"abonnenten-{newsletter_list.slug}",
        header=selectors.subscriber_export_header(),
        rows=selectors.subscriber_export_rows(newsletter_list, **_subscriber_filters(request)),
        title=_("Abonnenten"),
        stream=True,
    )


@staff_required
def subscriber_import(request, pk):
    newsletter_list = access.list_for_staff(request.user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_preview(
                newsletter_list=newsletter_list, upload=form.cleaned_data["file"], proof=form.cleaned_data["proof"],
                user=request.user,
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            return redirect("newsletter:import_preview", pk=batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "newsletter/import_form.html", {"form": form, "newsletter_list": newsletter_list}, status=status
    )


@staff_required
def import_preview(request, pk):
    batch = access.import_for_staff(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "discard":
                services.import_discard(batch=batch)
                messages.info(request, _("Der Import wurde verworfen."))
            else:
                created = services.import_confirm(batch=batch, user=request.user)
                messages.success(
                    request,
                    ngettext("%(n)s Abonnent importiert.", "%(n)s Abonnenten importiert.", created) % {"n": created},
                )
        except ServiceError as error:
            show_refusal(request, error)
            return redirect("newsletter:import_preview", pk=batch.pk)
        return redirect("newsletter:subscriber_list", pk=batch.newsletter_list_id)
    return render(
        request, "newsletter/import_preview.html", {"batch": batch, "summary": selectors.import_summary(batch)}
    )


@staff_required
def figures(request, pk):
    newsletter_list = access.list_for_staff(request.user, pk)
    today = timezone.localdate()
    start = (selectors.first_event_day(newsletter_list) or today).replace(day=1)
    days = int_param(request.GET, "tage", default=30, minimum=7, maximum=366)
    months = selectors.monthly_series(newsletter_list, start, today)
    daily = selectors.subscriber_series(newsletter_list, today - datetime.timedelta(days=days - 1), today)
    chart = line_chart([(row.day, row.total) for row in months], title=_("Aktive Abonnenten am Monatsende"))
    return render(
        request,
        "newsletter/figures.html",
        {"newsletter_list": newsletter_list, "months": months, "daily": daily, "days": days, "chart": chart,
         "issues": selectors.issues_with_stats(selectors.sent_issues_of(newsletter_list))},
    )  # fmt: skip


@staff_required
def issue_create(request):
    form = IssueForm(request.POST or None, initial={"newsletter_list": selectors.default_list()})
    if request.method == "POST" and form.is_valid():
        issue = services.issue_create(
            newsletter_list=form.cleaned_data["newsletter_list"], subject=form.cleaned_data["subject"],
            intro=form.cleaned_data["intro"], user=request.user,
        )  # fmt: skip
        messages.success(request, _("Die Ausgabe ist angelegt. Fügen Sie nun Meldungen hinzu."))
        return redirect(issue)
    return render(request, "newsletter/issue_create.html", {"form": form})


def _issue_page(request, issue, **forms):
    issue = selectors.issue_with_stats(issue)
    scheduled = timezone.localtime(issue.scheduled_at) if issue.scheduled_at else None
    context = {
        "issue": issue,
        "items": selectors.issue_items(issue),
        "edit_form": forms.get("edit_form") or IssueEditForm(instance=issue),
        "test_form": forms.get("test_form") or TestSendForm(),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(initial={"when": scheduled}),
        "candidates": sources.candidates() if issue.is_editable else [],
        "active_count": selectors.active_count(issue.newsletter_list_id),
    }
    return render(request, "newsletter/issue_detail.html", context, status=400 if forms else 200)


@staff_required
def issue_detail(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    if request.method != "POST":
        return _issue_page(request, issue)
    form = IssueEditForm(request.POST, instance=issue)
    if not form.is_valid():
        return _issue_page(request, issue, edit_form=form)
    try:
        services.issue_update(issue=issue, subject=form.cleaned_data["subject"], intro=form.cleaned_data["intro"])
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Gespeichert."))
    return redirect(issue)


@staff_required
def item_create(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    return _item_form(request, issue, None)


@staff_required
def item_edit(request, pk):
    item = access.item_for_staff(request.user, pk)
    return _item_form(request, item.issue, item)


def _item_form(request, issue, item):
    form = ItemForm(request.POST or None, request.FILES or None, instance=item or Item(issue=issue))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_save(issue=issue, item=item, data=form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Meldung ist gespeichert."))
            return redirect(issue)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "newsletter/item_form.html", {"form": form, "issue": issue, "item": item, "sources": Item.SOURCES},
        status=status,
    )  # fmt: skip


@staff_required
@require_POST
def item_delete(request, pk):
    item = access.item_for_staff(request.user, pk)
    try:
        services.item_delete(item=item)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Die Meldung ist entfernt."))
    return redirect(item.issue)


@staff_required
@require_POST
def item_move(request, pk):
    item = access.item_for_staff(request.user, pk)
    try:
        services.item_move(item=item, step=-1 if request.POST.get("direction") == "up" else 1)
    except ServiceError as error:
        show_refusal(request, error)
    return redirect(item.issue)


@staff_required
@require_POST
def items_reorder(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    positions = {}
    for key, value in request.POST.items():
        if key.startswith("position-"):
            item_id = parse_int(key.removeprefix("position-"), minimum=1)
            position = parse_int(value, minimum=1, maximum=10_000)
            if item_id is None or position is None:
                messages.error(request, _("Bitte geben Sie ganze Zahlen als Position an."))
                return redirect(issue)
            positions[item_id] = position
    try:
        services.items_reorder(issue=issue, positions=positions)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Die Reihenfolge ist gespeichert."))
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)
    return redirect(issue)


@staff_required
@require_POST
def item_pull(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    try:
        item = services.item_add_from_source(issue=issue, origin=request.POST.get("origin", ""))
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("„%(title)s“ ist übernommen.") % {"title": item.title})
    return redirect(issue)


@staff_required
def issue_preview(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    language = request.GET.get("sprache", "de")
    language = language if language in LANGUAGES else "de"
    subject, text, html = issue_render(issue, language=language)
    if request.GET.get("roh") == "html":
        # the mail's HTML as a mail client shows it (its styles are inline, as mail needs them), framed by
        # the preview page only: no script, nothing loaded but images, and a sandbox of its own
        response = HttpResponse(html)
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
            "frame-ancestors 'self'; sandbox"
        )
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response
    return render(
        request,
        "newsletter/issue_preview.html",
        {"issue": issue, "subject": subject, "text": text, "language": language},
    )


@staff_required
@require_POST
def issue_test(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    form = TestSendForm(request.POST)
    if form.is_valid():
        try:
            count = services.issue_test_send(issue=issue, addresses=form.cleaned_data["addresses"])
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(
                request,
                ngettext("Die Testausgabe geht an %(n)s Adresse.", "Die Testausgabe geht an %(n)s Adressen.", count)
                % {"n": count},
            )
            return redirect(issue)
    return _issue_page(request, issue, test_form=form)


@staff_required
@require_POST
def issue_schedule(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            issue = services.issue_schedule(issue=issue, when=form.cleaned_data["when"])
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            if issue.scheduled_at:
                messages.success(request, _("Der Versand ist geplant."))
            else:
                messages.info(request, _("Die Planung ist aufgehoben."))
            return redirect(issue)
    return _issue_page(request, issue, schedule_form=form)


@staff_required
@require_POST
def issue_send(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    if request.POST.get("confirm") != "ja":
        messages.error(request, _("Bitte bestätigen Sie den Versand mit dem Kontrollkästchen."))
        return redirect(issue)
    try:
        count = services.issue_send(issue=issue)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "Der Versand an %(n)s Abonnenten hat begonnen.", "Der Versand an %(n)s Abonnenten hat begonnen.", count
            )
            % {"n": count},
        )
    return redirect(issue)
