"""Domain events: a module announces that something happened, others listen.

A service calls, inside its transaction::

    emit("registration.created", {"registration_id": 12, "event_id": 3, "status": "confirmed"})

Every listener registered with :func:`register_listener` is called at once with an
:class:`Event` (a fresh UUID, the name, the time and the payload), **inside the caller's
transaction**: what a listener writes (the webhooks app's delivery rows) commits or rolls back
with the change itself, so no event is lost between the commit and a crash ("transactional
outbox"). A listener only writes rows; anything outside the database (an HTTP request, a task)
it defers with ``transaction.on_commit``.

The payload must be JSON-serialisable: ids and a few public fields, no personal data.
core knows no listener; the webhooks app registers itself in its ``AppConfig.ready``.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass(frozen=True)
class Event:
    name: str
    payload: dict
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime.datetime = field(default_factory=timezone.now)


_LISTENERS: list[Callable[[Event], None]] = []


def register_listener(listener: Callable[[Event], None]) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def unregister_listener(listener: Callable[[Event], None]) -> None:
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def emit(name: str, payload: dict) -> Event:
    """Announce ``name`` with ``payload`` to every listener (see the module's docstring)."""
    event = Event(name=name, payload=payload)
    for listener in list(_LISTENERS):
        listener(event)
    return event
