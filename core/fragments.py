"""Rendered HTML fragments kept per process, keyed by everything they are rendered from.

A fragment (an empty registration form, a filter form) costs milliseconds to render through
Django's widget templates but is the same for everyone who sees the same inputs. ``fragment``
renders it once per process and key; the key must hold *every* input of the rendering (the
language is added here). Nothing is ever invalidated: when an input changes, the key changes, so
a fragment can never be stale — seat counts, a cancellation, a new question are part of the key
and are read fresh from the database on every request. Bounded by entries and by characters
(least recently used go first), so a flood of distinct keys costs memory, never correctness.
"""

import functools
import operator
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.navigation import current_nav_url, nav_for

MAX_ENTRIES = 1024
MAX_CHARS = 8_000_000  # about 16 MB of text per process at most

_cache: OrderedDict = OrderedDict()
_size = 0
_lock = threading.Lock()


def fragment_get(key: tuple[Hashable, ...]) -> SafeString | None:
    """The fragment stored for ``key`` in the active language, or None."""
    full_key = (translation.get_language(), *key)
    with _lock:
        html = _cache.get(full_key)
        if html is not None:
            _cache.move_to_end(full_key)
        return html


def fragment(key: tuple[Hashable, ...], render: Callable[[], str]) -> SafeString:
    """The HTML ``render()`` returns for ``key`` in the active language, rendered at most once per process."""
    global _size
    html = fragment_get(key)
    if html is not None:
        return html
    html = mark_safe(render())  # noqa: S308 - the output of a template render, already escaped
    full_key = (translation.get_language(), *key)
    with _lock:
        if full_key not in _cache:
            _cache[full_key] = html
            _size += len(html)
        while _cache and (len(_cache) > MAX_ENTRIES or _size > MAX_CHARS):
            _size -= len(_cache.popitem(last=False)[1])
    return html


def fragments_clear() -> None:
    global _size
    with _lock:
        _cache.clear()
        _size = 0


def row_key(instance) -> tuple:
    """Every stored field of a model instance: the key part for a fragment that shows the row."""
    return _stored_values(type(instance))(instance)


@functools.cache
def _stored_values(model) -> Callable[[object], tuple]:
    """A getter of every stored field of ``model`` at once (one C call instead of a loop per row)."""
    names = [field.attname for field in model._meta.concrete_fields]
    getter = operator.attrgetter(*names)
    return getter if len(names) > 1 else lambda instance: (getter(instance),)


# What ``{% csrf_token %}`` writes into a fragment; each response gets its own token in its place.
_CSRF_SLOT = "fragment-csrf-token-slot"
# Where a per-request value goes in a fragment: random per process (the fragments are too), so no
# stored text (an event's title, a visitor's input) can ever look like a slot.
_SLOT = f"fragment-slot-{secrets.token_hex(6)}"
_SLOT_RE = re.compile(re.escape(_SLOT) + r"-([A-Za-z0-9_]+)-")


def slot_marker(name: str) -> str:
    """The marker to render in a fragment where ``name``'s value goes on every request (``fill_slots``);
    ``name`` is letters, digits and ``_``."""
    return f"{_SLOT}-{name}-"


def fill_slots(html: str, values: dict[str, str]) -> SafeString:
    """``html`` with each ``slot_marker(name)`` replaced by ``values[name]``, escaped (safe strings as they are),
    in one pass: a value put in is never searched for markers again."""
    return mark_safe(_SLOT_RE.sub(lambda match: conditional_escape(values[match.group(1)]), html))  # noqa: S308 - escaped


def template_fragment(
    request, key: tuple[Hashable, ...], template: str, context: dict, per_request: dict[str, str] | None = None
) -> SafeString:
    """``template`` rendered with ``context`` at most once per process and key, like :func:`fragment`.

    It is rendered without the request (no context processors), so it may only show what is in
    ``context``. ``per_request`` names values that differ on every request (e.g. the path to come
    back to): they are rendered as slots and filled in, escaped, on every call (``fill_slots``); so
    is the token of a ``{% csrf_token %}`` in it.
    """
    slots = {name: slot_marker(name) for name in per_request or {}}
    html = fragment(key, lambda: render_to_string(template, {**context, **slots, "csrf_token": _CSRF_SLOT}))
    if getattr(request, _RENDERING_PAGE, False):  # inside a cached page: it fills them in (``cached_page``)
        return mark_safe(html)  # noqa: S308 - a rendered template
    if _CSRF_SLOT in html:
        html = html.replace(_CSRF_SLOT, request_csrf_token(request))
    return fill_slots(html, per_request) if per_request else mark_safe(html)  # noqa: S308 - a rendered template and the token ([A-Za-z0-9])


# Set on the request while ``cached_page`` renders a page once for everyone: fragments inside leave their
# slots for it to fill.
_RENDERING_PAGE = "_fragments_rendering_page"


def chrome_values(request) -> dict[str, str]:
    """The per-request values of the site's header (``site_tools``): the language switch's way back."""
    return {"next_path": request.get_full_path()}


def cached_page(
    request, template: str, context: dict, *, key: tuple[Hashable, ...], per_request: dict[str, str], status: int = 200
) -> HttpResponse:
    """``render(request, template, {**context, **per_request})``, the page rendered once per process.

    For a visitor who is not signed in, the whole page (``base.html`` with the site's header and
    footer) is rendered once per process for ``key`` (every value of ``context`` the page shows), the
    template, the language, the menu entry marked current, the time zone and the year (the footer's);
    ``per_request`` values (HTML already rendered, e.g. the page's content from a fragment), the
    messages, the CSRF token and the header's per-request values (``chrome_values``) are filled in
    on every request. A ``template_fragment`` inside with ``per_request=`` values of its own would
    leave slots nobody fills: pass such parts in ``per_request`` instead. A signed-in user (their own
    menu) gets the page rendered as ``render()`` does.
    """
    if request.user.is_authenticated:
        return render(request, template, {**context, **per_request}, status=status)
    current = current_nav_url(nav_for(request.user, "public"), request.path)

    def render_once():
        setattr(request, _RENDERING_PAGE, True)
        try:
            slots = {name: slot_marker(name) for name in (*per_request, "messages_html")}
            page_context = {**context, **slots, "csrf_token": _CSRF_SLOT, "messages": ()}
            return render_to_string(template, page_context, request=request)
        finally:
            delattr(request, _RENDERING_PAGE)

    shared = ("core.page", template, current, timezone.get_current_timezone_name(), timezone.localdate().year)
    html = fragment((*shared, *key), render_once)
    if _CSRF_SLOT in html:
        html = html.replace(_CSRF_SLOT, request_csrf_token(request))
    values = {**chrome_values(request), "messages_html": _messages_html(request), **per_request}
    return HttpResponse(fill_slots(html, values), status=status)


def _messages_html(request) -> SafeString | str:
    """The messages waiting for this visitor, as ``includes/messages.html`` shows them (and so marks them seen)."""
    storage = getattr(request, "_messages", None)
    if storage is None or not len(storage):
        return ""
    return mark_safe(render_to_string("includes/messages.html", {"messages": storage}))  # noqa: S308 - a rendered template


def request_csrf_token(request) -> str:
    """The CSRF token for this response, masked once: the page's fragments and its own
    ``{% csrf_token %}`` (``core.context_processors.csrf_token``) share it instead of masking it each time."""
    token = getattr(request, "_fragment_csrf_token", None)
    if token is None:
        token = request._fragment_csrf_token = get_token(request)
    return token


def filter_fields_fragment(form, key: tuple[Hashable, ...], template: str) -> SafeString:
    """A filter form's fields (``template`` with ``form``): rendered once per process for ``key`` (every
    choice the fields offer) and the chosen values while the form is empty or valid; a form with
    errors is rendered each time, with its messages."""

    def render():
        return render_to_string(template, {"form": form})

    if form.is_bound and not form.is_valid():
        return mark_safe(render())  # noqa: S308 - a rendered template
    chosen = tuple(form.data.get(name, "") for name in form.fields) if form.is_bound else None
    return fragment((*key, chosen), render)
