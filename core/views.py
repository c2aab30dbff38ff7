from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.models import OutgoingMail, WorkerHeartbeat
from core.permissions import staff_required
from core.startpage import start_blocks_for


def home(request):
    return render(request, "core/home.html")


@login_required
def start(request):
    """The logged-in user's start page: blocks from every module they use."""
    return render(request, "core/start.html", {"blocks": start_blocks_for(request)})


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
            "page": page.get_page(request.GET.get("seite")),
            "status": status,
            "q": query,
            "statuses": OutgoingMail.Status.choices,
        },
    )


@staff_required
def figures_overview(request):
    """All registered yearly figures of one year beside the previous year's, grouped by module."""
    from core.figures import figure_groups, format_change, format_value, one_computation
    from core.params import year_param

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
