"""The newsletter's refusals: :class:`core.errors.ServiceError` subclasses that views show with
:func:`core.http.show_refusal` (file-level import problems are :class:`core.tables.TableFileError`)."""

from django.utils.translation import gettext as _

from core.errors import ServiceError, StateConflict


class NewsletterRefused(ServiceError):
    """A rule of the newsletter says no (an address that is not one, a list closed to sign-ups …)."""

    default_code = "newsletter_refused"


class IssueNotEditable(StateConflict):
    """The issue is being sent or was sent: its content and its schedule are fixed."""


class LinkInvalid(NewsletterRefused):
    """A confirmation or subscriber link that we did not issue, or that was used or replaced."""

    default_code = "link_invalid"

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message or _("Dieser Link ist ungültig oder nicht mehr gültig."), **kwargs)


class LinkExpired(NewsletterRefused):
    """A confirmation link we issued, older than ``NEWSLETTER_CONFIRM_HOURS``."""

    default_code = "link_expired"

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message or _("Dieser Bestätigungslink ist abgelaufen."), **kwargs)
