"""Small helpers every view uses the same way."""

import ipaddress
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import ServiceError


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_partial(request, page_template: str, partial_template: str, context: dict, **kwargs):
    """The partial for an htmx request, the whole page otherwise; caches keep the two apart."""
    response = render(request, partial_template if is_htmx(request) else page_template, context, **kwargs)
    patch_vary_headers(response, ["HX-Request"])
    return response


def show_refusal(request, error: ServiceError, form=None) -> None:
    """Show a service's refusal where the user looks: at its form field, on the form, or as a message."""
    if form is not None:
        field = error.field if error.field in getattr(form, "fields", {}) else None
        form.add_error(field, error.message)
    else:
        messages.error(request, error.message)


def safe_next_url(request, default: str, *, param: str = "next") -> str:
    """``?next=`` (or the POSTed ``next``) when it is a path on this site; ``default`` otherwise."""
    target = request.POST.get(param) or request.GET.get(param) or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def client_ip(request) -> str | None:
    """The visitor's address: behind the documented TLS proxy (``BEHIND_TLS_PROXY``) the last entry
    of ``X-Forwarded-For`` (the one our proxy added), otherwise ``REMOTE_ADDR``. Never a value the
    client could choose when no proxy is configured. Used for the login lock, consents and throttles."""
    candidate = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            candidate = forwarded[-1]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def private_page(view):
    """For pages opened by a personal token (a booking, a registration, newsletter preferences):
    no shared cache and no browser history may keep them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped
