import json
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from core.fragments import cached_page
from core.http import client_ip, private_page
from core.jobs import enqueue_on_commit
from core.models import OutgoingMail, WorkerHeartbeat
from core.params import page_param, year_param
from core.permissions import staff_required
from core.personal import personal_links_email, personal_sections_for
from core.privacy import DataSubject, personal_data_export
from core.startpage import home_blocks_for, start_blocks_for


def home(request):
    """The public home page: what is coming up and what one can do here, from every module's home blocks
    (read fresh on every visit; the page around them is the same for every visitor: ``cached_page``)."""
    blocks = home_blocks_for(request)
    blocks_html = format_html('<div class="home-blocks">{}</div>', mark_safe("".join(blocks))) if blocks else ""  # noqa: S308 - rendered blocks
    return cached_page(request, "core/home.html", {}, key=(), per_request={"blocks_html": blocks_html})


@login_required
def start(request):
    """The logged-in user's start page: blocks from every module they use."""
    return render(request, "core/start.html", {"blocks": start_blocks_for(request)})


LINK_REQUESTS_PER_HOUR = 10  # per visitor address: the "send me my links" form is no mail cannon


class PersonalLinksForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=gettext_lazy("die Adresse, mit der Sie sich angemeldet, gebucht oder abonniert haben"),
    )


@login_required
def personal(request):
    """The personal area of a registered person: every module's section for the account's address."""
    return render(
        request,
        "core/personal.html",
        {"sections": personal_sections_for(request.user.email), "email": request.user.email, "by_token": False},
    )


def personal_links(request):
    """ "Send me my links": the same answer for every address, known or not; the worker decides."""
    form = PersonalLinksForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "core/personal_links.html", {"form": form}, status=400)
        key = f"core.personal_links:{client_ip(request) or 'unknown'}"
        cache.add(key, 0, timeout=3600)
        try:
            requests = cache.incr(key)
        except ValueError:  # the entry expired between add and incr
            requests = 1
        if requests > LINK_REQUESTS_PER_HOUR:
            messages.error(
                request, _("Zu viele Anfragen von diesem Anschluss. Bitte versuchen Sie es in einer Stunde wieder.")
            )
            return render(request, "core/personal_links.html", {"form": form}, status=429)
        from core.tasks import personal_links_mail

        enqueue_on_commit(personal_links_mail, form.cleaned_data["email"].strip().lower(), (get_language() or "de")[:2])
        return render(request, "core/personal_links.html", {"sent": True, "form": PersonalLinksForm()})
    return render(request, "core/personal_links.html", {"form": form})


@private_page
def personal_overview(request, token):
    """The overview a "send me my links" mail leads to: no login, the signed link is the key."""
    email = personal_links_email(token)
    if email is None:
        return render(request, "core/personal_link_expired.html", {"form": PersonalLinksForm()}, status=410)
    return render(
        request,
        "core/personal.html",
        {"sections": personal_sections_for(email), "email": email, "by_token": True, "token": token},
    )


@private_page
def personal_overview_export(request, token):
    """Art. 15 GDPR from the mailed link: everything the modules hold for the address, as JSON."""
    email = personal_links_email(token)
    if email is None:
        return render(request, "core/personal_link_expired.html", {"form": PersonalLinksForm()}, status=410)
    data = personal_data_export(DataSubject(email=email))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


def page(request, template):
    return render(request, template)


@never_cache
def healthz(request):
    """Database and worker liveness, for load balancers and monitoring."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means "not ok"; report its type only
        checks["database"] = f"error: {type(error).__name__}"
    last_beat = (
        WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
        if (checks["database"] == "ok")
        else None
    )
    if last_beat is None:
        checks["worker"] = "missing"
    else:
        age = (timezone.now() - last_beat).total_seconds()
        checks["worker"] = "ok" if age <= settings.WORKER_HEARTBEAT_MAX_AGE else f"stale ({int(age)} s)"
        checks["worker_last_seen"] = last_beat.isoformat()
    healthy = checks["database"] == "ok" and checks["worker"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@staff_required
def mail_log(request):
    """The outbox: what was sent to whom and when, what failed and why."""
    status = request.GET.get("status", "")
    mails = OutgoingMail.objects.order_by("-created_at")
    if status in OutgoingMail.Status.values:
        mails = mails.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        mails = mails.filter(to_email__icontains=query)
    page = Paginator(mails.only("to_email", "subject", "status", "attempts", "created_at", "sent_at", "last_error"), 50)
    return render(
        request,
        "core/mail_log.html",
        {
            "page": page.get_page(page_param(request.GET)),
            "status": status,
            "q": query,
            "statuses": OutgoingMail.Status.choices,
        },
    )


def favicon(request):
    """``/favicon.ico`` for browsers and crawlers that ask for it there (pages link the static one)."""
    response = HttpResponseRedirect(static("core/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- error pages (kammerwerk/urls.py: handler400 … handler500; CSRF_FAILURE_VIEW) ------------------


def _without_request(template: str, status: int) -> HttpResponse:
    """An error page rendered from settings alone: no request context, no database, no session.

    Used where the request itself is suspect (400) or the failure may be the database (500). If even
    the layout fails, a plain page still answers.
    """
    context = {"status": status, "organisation_name": settings.KAMMERWERK_ORGANISATION_NAME}
    try:
        body = loader.get_template(template).render(context)
    except Exception:  # the error page must never raise; report the original error, not this one
        logging.getLogger(__name__).exception("Error page %s failed to render", template)
        body = (
            f'<!DOCTYPE html><html lang="{get_language() or "de"}"><head><meta charset="utf-8">'
            f"<title>Kammerwerk</title></head><body><main><h1>Fehler {status}</h1>"
            '<p><a href="/">Zur Startseite</a></p></main></body></html>'
        )
    return HttpResponse(body, status=status)


def _wants_json(request) -> bool:
    """A JSON client (the API under /api/v…, or one that asks for JSON first) gets its error as JSON."""
    path = getattr(request, "path", "") or ""
    return path.startswith("/api/v") or request.headers.get("Accept", "").startswith("application/json")


def bad_request(request, exception=None):
    if _wants_json(request):
        # the API's error body (api/README.md): a stable code and a message
        body = {"code": "bad_request", "message": _("Ungültige Anfrage (z. B. ein NUL-Zeichen in einem Parameter).")}
        return JsonResponse(body, status=400)
    return _without_request("400.html", 400)


def server_error(request):
    return _without_request("500.html", 500)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "403.html", {"status": 403}, status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "404.html", {"status": 404}, status=404)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (an old tab, a blocked cookie): say so, offer a reload."""
    return render(request, "403_csrf.html", {"status": 403}, status=403)


@staff_required
def figures_overview(request):
    """All registered yearly figures of one year beside the previous year's, grouped by module."""
    from core.figures import figure_groups, format_change, format_value, one_computation

    current_year = timezone.localdate().year
    year = year_param(request.GET, "jahr")
    groups = []
    with one_computation():
        for _app, name, figures in figure_groups():
            rows = []
            for figure in figures:
                value, previous = figure.compute(year), figure.compute(year - 1)
                rows.append(
                    {
                        "label": figure.label,
                        "value": format_value(figure, value, with_unit=True),
                        "previous": format_value(figure, previous, with_unit=True),
                        "change": format_change(figure, value, previous),
                    }
                )
            groups.append({"name": name, "rows": rows})
    return render(
        request,
        "core/figures.html",
        {"year": year, "previous_year": year - 1, "groups": groups, "years": range(current_year, 2014, -1)},
    )
