"""Staff pages: endpoints, their delivery log, replay. Thin: forms → services, reads → selectors."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from core.http import show_refusal
from core.params import page_param
from core.permissions import staff_required
from webhooks import access, selectors, services
from webhooks.forms import EndpointForm
from webhooks.models import Delivery

SHOW_SECRET = "webhooks_show_secret"  # noqa: S105 – a session key: the endpoint whose new secret is shown once


def _show_secret_once(request, endpoint) -> None:
    request.session[SHOW_SECRET] = endpoint.pk


@staff_required
def endpoint_list(request):
    return render(request, "webhooks/endpoint_list.html", {"endpoints": selectors.endpoints_with_counts()})


@staff_required
def endpoint_edit(request, pk=None):
    endpoint = access.endpoint_for_staff(request.user, pk) if pk else None
    initial = (
        {
            "name": endpoint.name,
            "url": endpoint.url,
            "event_types": endpoint.event_types,
            "is_active": endpoint.is_active,
        }
        if endpoint
        else {"is_active": True}
    )
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.endpoint_save(endpoint=endpoint, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            if endpoint is None:
                _show_secret_once(request, saved)
            messages.success(request, _("Der Endpunkt „%(name)s“ ist gespeichert.") % {"name": saved.name})
            return redirect("webhooks:endpoint_detail", pk=saved.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint})


@staff_required
def endpoint_detail(request, pk):
    endpoint = access.endpoint_for_staff(request.user, pk)
    status = request.GET.get("status", "")
    status = status if status in Delivery.Status.values else ""
    paginator = Paginator(selectors.deliveries_for_endpoint(endpoint, status=status), 50)
    page = paginator.get_page(page_param(request.GET))
    new_secret = endpoint.secret if request.session.pop(SHOW_SECRET, None) == endpoint.pk else None
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {"endpoint": endpoint, "page": page, "status": status, "statuses": Delivery.Status.choices,
         "new_secret": new_secret, "masked_secret": selectors.masked_secret(endpoint.secret),
         "event_labels": selectors.event_type_labels(endpoint.event_types)},
    )  # fmt: skip


@staff_required
@require_POST
def endpoint_rotate(request, pk):
    endpoint = access.endpoint_for_staff(request.user, pk)
    services.endpoint_rotate_secret(endpoint=endpoint)
    _show_secret_once(request, endpoint)
    messages.success(request, _("Das Geheimnis ist erneuert; das alte gilt ab sofort nicht mehr."))
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@staff_required
@require_POST
def endpoint_toggle(request, pk):
    endpoint = access.endpoint_for_staff(request.user, pk)
    active = request.POST.get("aktiv") == "1"
    services.endpoint_set_active(endpoint=endpoint, active=active)
    if active:
        messages.success(request, _("Der Endpunkt ist aktiviert."))
    else:
        messages.success(request, _("Der Endpunkt ist deaktiviert; er erhält keine neuen Ereignisse."))
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@staff_required
def delivery_detail(request, pk):
    delivery = access.delivery_for_staff(request.user, pk)
    return render(
        request,
        "webhooks/delivery_detail.html",
        {"delivery": delivery, "endpoint": delivery.endpoint, "attempts": delivery.attempt_log.all(),
         "body": services.delivery_body(delivery).decode()},
    )  # fmt: skip


@staff_required
@require_POST
def delivery_replay(request, pk):
    delivery = access.delivery_for_staff(request.user, pk)
    try:
        services.delivery_replay(delivery=delivery)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Die Zustellung wird erneut gesendet (gleiche Ereignis-ID)."))
    return redirect("webhooks:delivery_detail", pk=delivery.pk)
