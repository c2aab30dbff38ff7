"""Blocks on a logged-in user's start page and on the public home page, registered in ``startpage.py``.

A block is a template plus a function that returns its context (or None to hide the block):
for the start page it gets the user (e.g. the adviser's follow-ups due), for the home page the
request (e.g. the next events, the next consultation days with free slots).

A home block may name a ``key``: a function of its context that returns everything the template
shows. Its HTML is then rendered once per process and key (``core.fragments``), while the context
(free places, counts) is still read fresh on every request, so a booking shows at once.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.template.loader import render_to_string

from core.fragments import template_fragment
from core.registry import discover


@dataclass(frozen=True)
class StartBlock:
    name: str
    template: str
    context: Callable
    order: int = 100
    key: Callable[[dict], Hashable] | None = None


_BLOCKS: dict[str, StartBlock] = {}
_HOME_BLOCKS: dict[str, StartBlock] = {}


def register_start_block(name: str, *, template: str, order: int = 100):
    def decorator(function: Callable):
        _BLOCKS[name] = StartBlock(name=name, template=template, context=function, order=order)
        return function

    return decorator


def start_blocks_for(request) -> list[str]:
    discover()
    rendered = []
    for block in sorted(_BLOCKS.values(), key=lambda b: (b.order, b.name)):
        context = block.context(request.user)
        if context is not None:
            rendered.append(render_to_string(block.template, context, request=request))
    return rendered


def register_home_block(name: str, *, template: str, order: int = 100, key: Callable[[dict], Hashable] | None = None):
    """A block on the public home page; the function gets the request and returns a context or None.
    ``key(context)`` must hold every value the template shows (see the module's docstring)."""

    def decorator(function: Callable):
        _HOME_BLOCKS[name] = StartBlock(name=name, template=template, context=function, order=order, key=key)
        return function

    return decorator


def home_blocks_for(request) -> list[str]:
    discover()
    rendered = []
    for block in sorted(_HOME_BLOCKS.values(), key=lambda b: (b.order, b.name)):
        context = block.context(request)
        if context is None:
            continue
        if block.key is None:
            rendered.append(render_to_string(block.template, context, request=request))
        else:
            key = ("home", block.name, block.key(context))
            rendered.append(template_fragment(request, key, block.template, context))
    return rendered


# --- core's own block: mails that failed ---------------------------------------------------------


@register_start_block("core.failed_mails", template="core/_start_failed_mails.html", order=15)
def failed_mails(user):
    """Staff: mails that could not be sent in the last 14 days (hidden when none failed)."""
    from datetime import timedelta

    from django.utils import timezone

    from core.models import OutgoingMail
    from core.roles import Role

    if not user.has_role(Role.STAFF):
        return None
    failed = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.FAILED, created_at__gte=timezone.now() - timedelta(days=14)
    ).order_by("-created_at")
    mails = list(failed.only("to_email", "subject", "created_at", "last_error")[:5])
    if not mails:
        return None
    return {"mails": mails, "count": failed.count() if len(mails) == 5 else len(mails)}


@register_start_block("core.personal", template="core/_start_personal.html", order=5)
def personal_summary(user):
    """Everyone: their own registrations, bookings and subscriptions at a glance (hidden when none)."""
    from core.personal import personal_sections_for

    sections = [(section, items) for section, items in personal_sections_for(user.email) if items]
    return {"sections": sections} if sections else None
