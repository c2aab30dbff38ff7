"""The one error a service raises when it refuses: a message for the user, the form field it
concerns (if any) and a stable code (for the API and for tests).

Views turn it into a form error or a message with :func:`core.http.show_refusal`; the API turns
it into a JSON error with the same code. Modules subclass it to name their refusals
(``BookingRefused``, ``RegistrationRefused``, ``TableFileError``) and set ``default_code``.
"""


class ServiceError(Exception):
    default_code = "refused"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code or self.default_code

    def __str__(self) -> str:
        return self.message


class NotAllowed(ServiceError):
    """The acting user may not do this (a rule of the domain, not a missing role)."""

    default_code = "not_allowed"


class StateConflict(ServiceError):
    """The object is no longer in a state that allows this (already sent, already cancelled …)."""

    default_code = "conflict"
