import csv
import datetime
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.permissions import staff_required
from newsletter import access, selectors, services
from newsletter.charts import line_chart
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
from newsletter.models import Issue, Item, NewsletterList, Subscriber
from newsletter.sending import issue_render

PREVIEW_TOKEN = "vorschau"  # noqa: S105 – the links of a preview lead nowhere
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- public -------------------------------------------------------------------------


def index(request):
    lists = NewsletterList.objects.filter(is_public=True).order_by("name")
    return render(request, "newsletter/index.html", {"lists": lists, "issues": selectors.archive_issues()[:6]})


def subscribe(request, slug):
    newsletter_list = access.public_list(slug)
    wording, _version = services.consent_wording_for(newsletter_list)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscriber_signup(
                newsletter_list=newsletter_list, email=data["email"], name=data["name"], language=data["language"],
                source=_("Anmeldeformular %(path)s") % {"path": request.path}, ip_address=request.META.get("REMOTE_ADDR"),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("email", error)
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


def confirm(request, value):
    """GET shows a button (link scanners must not confirm for the person); POST confirms."""
    try:
        services._unsign_confirmation(value)
    except services.LinkExpired:
        return render(request, "newsletter/link_problem.html", {"problem": "expired"}, status=410)
    except services.LinkInvalid:
        return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    if request.method == "POST":
        try:
            subscriber = services.subscriber_confirm(value=value)
        except services.LinkExpired:
            return render(request, "newsletter/link_problem.html", {"problem": "expired"}, status=410)
        except services.LinkInvalid:
            return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
        return render(request, "newsletter/confirmed.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"value": value})


@csrf_exempt  # the token in the URL authenticates; RFC 8058 one-click POSTs come without a CSRF token
def unsubscribe(request, token):
    try:
        subscriber = services.subscriber_by_token(token)
    except services.LinkInvalid:
        return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Abgemeldet."), content_type="text/plain; charset=utf-8")
        return render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


def preferences(request, token):
    try:
        subscriber = services.subscriber_by_token(token)
    except services.LinkInvalid:
        return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    form = PreferencesForm(request.POST or None, initial={"name": subscriber.name, "language": subscriber.language})
    if request.method == "POST" and form.is_valid():
        services.subscriber_update_preferences(subscriber=subscriber, **form.cleaned_data)
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("newsletter:preferences", token=token)
    return render(request, "newsletter/preferences.html", {"subscriber": subscriber, "form": form})


def export(request, token):
    try:
        subscriber = services.subscriber_by_token(token)
    except services.LinkInvalid:
        return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    data = selectors.subscriber_export(subscriber)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="newsletter-daten.json"'
    return response


def archive(request):
    return render(request, "newsletter/archive.html", {"issues": selectors.archive_issues()})


def archive_detail(request, pk):
    issue = access.archived_issue(pk)
    return render(request, "newsletter/archive_detail.html", {"issue": issue, "items": issue.items.all()})


def track_open(request, value):
    services.delivery_track(value=value, kind="open")
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


def track_click(request, value, item_pk):
    delivery = services.delivery_track(value=value, kind="click")
    item = Item.objects.filter(pk=item_pk, issue=delivery.issue if delivery else None).first()
    if item is None or not item.link:
        return render(request, "newsletter/link_problem.html", {"problem": "invalid"}, status=404)
    return HttpResponseRedirect(item.link)


# --- staff ----------------------------------------------------------------------------


@staff_required
def staff_home(request):
    return render(
        request,
        "newsletter/staff_home.html",
        {
            "lists": selectors.lists_overview(),
            "issues": selectors.issues_with_stats(Issue.objects.order_by("-created_at")[:24]),
        },
    )


@staff_required
def list_edit(request, pk=None):
    newsletter_list = access.list_for_staff(request.user, pk) if pk else NewsletterList()
    form = NewsletterListForm(request.POST or None, instance=newsletter_list)
    if request.method == "POST" and form.is_valid():
        newsletter_list = form.save()
        messages.success(request, _("Der Verteiler „%(name)s“ ist gespeichert.") % {"name": newsletter_list.name})
        return redirect("newsletter:staff_home")
    return render(request, "newsletter/list_form.html", {"form": form, "newsletter_list": newsletter_list})


@staff_required
def subscriber_list(request, pk):
    newsletter_list = access.list_for_staff(request.user, pk)
    status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
    rows = selectors.subscribers_page(newsletter_list, status=status, q=q)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="abonnenten-{newsletter_list.slug}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(["E-Mail", "Name", "Sprache", "Status", "angemeldet", "bestätigt", "abgemeldet", "Quelle"])
        for s in rows.iterator():
            writer.writerow([s.email, s.name, s.language, s.get_status_display(), s.created_at, s.confirmed_at or "",
                             s.unsubscribed_at or "", s.source])  # fmt: skip
        return response
    from django.core.paginator import Paginator

    page = Paginator(rows, 50).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "newsletter/subscriber_list.html",
        {"newsletter_list": newsletter_list, "page": page, "status": status, "q": q,
         "statuses": Subscriber.Status.choices, "query": query.urlencode()},
    )  # fmt: skip


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
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("newsletter:import_preview", pk=batch.pk)
    return render(request, "newsletter/import_form.html", {"form": form, "newsletter_list": newsletter_list})


@staff_required
def import_preview(request, pk):
    batch = access.import_for_staff(request.user, pk)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            services.import_discard(batch=batch)
            messages.info(request, _("Der Import wurde verworfen."))
            return redirect("newsletter:subscriber_list", pk=batch.newsletter_list_id)
        try:
            created = services.import_confirm(batch=batch, user=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("%(n)s Abonnenten importiert.") % {"n": created})
            return redirect("newsletter:subscriber_list", pk=batch.newsletter_list_id)
    rows = batch.rows
    summary = {
        "ok": sum(1 for r in rows if not r["errors"] and not r["duplicate"]),
        "errors": sum(1 for r in rows if r["errors"]),
        "duplicates": sum(1 for r in rows if r["duplicate"] and not r["errors"]),
    }
    return render(request, "newsletter/import_preview.html", {"batch": batch, "rows": rows, "summary": summary})


@staff_required
def figures(request, pk):
    newsletter_list = access.list_for_staff(request.user, pk)
    today = timezone.localdate()
    first = newsletter_list.events.order_by("at").values_list("at", flat=True).first()
    start = timezone.localtime(first).date().replace(day=1) if first else today.replace(day=1)
    try:
        days = max(7, min(366, int(request.GET.get("tage", 30))))
    except ValueError:
        days = 30
    months = selectors.monthly_series(newsletter_list, start, today)
    daily = selectors.subscriber_series(newsletter_list, today - datetime.timedelta(days=days - 1), today)
    issues = selectors.issues_with_stats(
        Issue.objects.filter(newsletter_list=newsletter_list, status=Issue.Status.SENT).order_by("-sent_at")
    )
    chart = line_chart(
        [(row.day, row.total) for row in months],
        title=_("Aktive Abonnenten am Monatsende"),
    )
    return render(
        request,
        "newsletter/figures.html",
        {"newsletter_list": newsletter_list, "months": months, "daily": daily, "days": days, "issues": issues,
         "chart": chart},
    )  # fmt: skip


@staff_required
def issue_create(request):
    form = IssueForm(request.POST or None, initial={"newsletter_list": NewsletterList.objects.order_by("pk").first()})
    if request.method == "POST" and form.is_valid():
        issue = services.issue_create(
            newsletter_list=form.cleaned_data["newsletter_list"], subject=form.cleaned_data["subject"],
            intro=form.cleaned_data["intro"], user=request.user,
        )  # fmt: skip
        messages.success(request, _("Die Ausgabe ist angelegt. Fügen Sie nun Meldungen hinzu."))
        return redirect(issue)
    return render(request, "newsletter/issue_create.html", {"form": form})


def _issue_page(request, issue, **forms_):
    from newsletter.sources import candidates

    issue = selectors.issue_detail(issue.pk)
    context = {
        "issue": issue,
        "items": list(issue.items.all()),
        "edit_form": forms_.get("edit_form") or IssueEditForm(instance=issue),
        "test_form": forms_.get("test_form") or TestSendForm(),
        "schedule_form": forms_.get("schedule_form")
        or ScheduleForm(initial={"when": timezone.localtime(issue.scheduled_at) if issue.scheduled_at else None}),
        "candidates": candidates() if issue.is_editable else [],
        "active_count": Subscriber.objects.filter(
            newsletter_list=issue.newsletter_list_id, status=Subscriber.Status.ACTIVE
        ).count(),
    }
    return render(request, "newsletter/issue_detail.html", context, status=400 if forms_ else 200)


@staff_required
def issue_detail(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    if request.method == "POST":
        form = IssueEditForm(request.POST, instance=Issue.objects.get(pk=issue.pk))
        if form.is_valid():
            try:
                services.issue_update(
                    issue=issue, subject=form.cleaned_data["subject"], intro=form.cleaned_data["intro"]
                )
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Gespeichert."))
            return redirect(issue)
        return _issue_page(request, issue, edit_form=form)
    return _issue_page(request, issue)


@staff_required
def item_create(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    return _item_form(request, issue, Item())


@staff_required
def item_edit(request, pk):
    item = access.item_for_staff(request.user, pk)
    return _item_form(request, item.issue, item)


def _item_form(request, issue, item):
    form = ItemForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_save(issue=issue, item=form.save(commit=False))
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Die Meldung ist gespeichert."))
        return redirect(issue)
    return render(
        request, "newsletter/item_form.html", {"form": form, "issue": issue, "item": item, "sources": Item.SOURCES}
    )


@staff_required
@require_POST
def item_delete(request, pk):
    item = access.item_for_staff(request.user, pk)
    try:
        services.item_delete(item=item)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Die Meldung ist entfernt."))
    return redirect(item.issue)


@staff_required
@require_POST
def item_move(request, pk):
    item = access.item_for_staff(request.user, pk)
    try:
        services.item_move(item=item, step=-1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as error:
        _errors(request, error)
    return redirect(item.issue)


@staff_required
@require_POST
def items_reorder(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    positions = {}
    for key, value in request.POST.items():
        if key.startswith("position-"):
            try:
                positions[int(key.removeprefix("position-"))] = int(value)
            except ValueError:
                messages.error(request, _("Bitte geben Sie ganze Zahlen als Position an."))
                return redirect(issue)
    try:
        services.items_reorder(issue=issue, positions=positions)
    except ValidationError as error:
        _errors(request, error)
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
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("„%(title)s“ ist übernommen.") % {"title": item.title})
    return redirect(issue)


@staff_required
def issue_preview(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    subject, text, html = issue_render(issue, language=request.GET.get("sprache", "de"), token=PREVIEW_TOKEN)
    if request.GET.get("roh") == "html":
        return HttpResponse(html)
    return render(
        request, "newsletter/issue_preview.html", {"issue": issue, "subject": subject, "text": text, "html": html}
    )


@staff_required
@require_POST
def issue_test(request, pk):
    issue = access.issue_for_staff(request.user, pk)
    form = TestSendForm(request.POST)
    if form.is_valid():
        try:
            count = services.issue_test_send(
                issue=issue, addresses=services.parse_addresses(form.cleaned_data["addresses"])
            )
        except ValidationError as error:
            form.add_error("addresses", error)
        else:
            messages.success(request, _("Die Testausgabe geht an %(n)s Adresse(n).") % {"n": count})
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
        except ValidationError as error:
            form.add_error("when", error)
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
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Der Versand an %(n)s Abonnenten hat begonnen.") % {"n": count})
    return redirect(reverse("newsletter:issue_detail", args=[issue.pk]))
