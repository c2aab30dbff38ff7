"""Writes for accounts: invitations, roles, profile, password reset. Views call these; they hold the rules.

Who may grant what:

- staff grant every role except the department lead's;
- only the department lead (or a Django superuser) grants the lead role, and only they change
  the roles of an account that already exists (the invitation page shows it as a change to confirm);
- admin access (``is_staff``/``is_superuser``, the Django admin) is never granted here: only a
  superuser sets it, with ``manage.py createsuperuser`` on the server.

Every role granted or taken away is a row in the audit trail (``RoleAssignment.history``), with the
person who did it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment, User
from accounts.selectors import user_for_email
from core.errors import NotAllowed, ServiceError
from core.jobs import enqueue_on_commit
from core.mail import mail_queue
from core.models import OutgoingMail
from core.roles import Role

# Password-reset mails per address and hour; further requests in that hour send nothing.
RESET_MAILS_PER_HOUR = 3


class AccountExists(ServiceError):
    """An invitation names an address that already has an account; its roles stay as they are."""

    default_code = "account_exists"

    def __init__(self, message: str, *, user: User, **kwargs):
        super().__init__(message, field="email", **kwargs)
        self.user = user


# --- who may grant what -----------------------------------------------------------------------------------------


def roles_grantable_by(user: User) -> list[str]:
    """The roles ``user`` may grant, in the order of :class:`Role`: none for non-staff, every role but the
    lead's for staff, all for the lead and a superuser."""
    if user.is_superuser or user.has_role(Role.LEAD):
        return list(Role.values)
    if user.has_role(Role.STAFF):
        return [role for role in Role.values if role != Role.LEAD]
    return []


def may_change_roles(user: User) -> bool:
    """Only the lead (and a superuser) change the roles of an existing account."""
    return user.is_superuser or user.has_role(Role.LEAD)


def _check_grantable(roles, granted_by: User) -> None:
    refused = [role for role in roles if role not in roles_grantable_by(granted_by)]
    if refused:
        raise NotAllowed(
            _("Diese Rolle dürfen Sie nicht vergeben: %(roles)s.")
            % {"roles": ", ".join(str(Role(r).label) for r in refused)},
            field="roles",
        )


# --- roles ------------------------------------------------------------------------------------------------------


def _grant(user: User, roles, by: User | None) -> list[str]:
    """Add the missing ``roles`` (an audit-trail row each); returns those added."""
    have = set(user.role_assignments.values_list("role", flat=True))
    added = [role for role in Role.values if role in set(roles) - have]
    for role in added:
        assignment = RoleAssignment(user=user, role=role)
        assignment._history_user = by  # the audit trail names who granted it, also outside a request
        assignment.save()
    user.__dict__.pop("roles", None)
    return added


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str], changed_by: User | None = None) -> None:
    """Give ``user`` exactly ``roles``, without the granting rules: for the demo data and test factories.
    Pages use :func:`user_invite` and :func:`user_roles_grant`."""
    for assignment in RoleAssignment.objects.filter(user=user).exclude(role__in=roles):
        assignment._history_user = changed_by
        assignment.delete()
    _grant(user, roles, changed_by)


@transaction.atomic
def user_roles_grant(*, user: User, roles: list[str], granted_by: User) -> list[str]:
    """The lead adds roles to an existing account (its other roles stay); returns the roles added."""
    if not may_change_roles(granted_by):
        raise NotAllowed(_("Die Rollen eines bestehenden Kontos ändert nur die Bereichsleitung."), field="roles")
    _check_grantable(roles, granted_by)
    user = User.objects.select_for_update().get(pk=user.pk)
    return _grant(user, roles, granted_by)


# --- invitations ------------------------------------------------------------------------------------------------


def set_password_link(user: User, url_name: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(url_name, kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_invite(
    *, email: str, full_name: str, roles: list[str], invited_by: User, language: str = "de",
    mail_context: dict | None = None,
) -> User:  # fmt: skip
    """Create an account for a new address with ``roles`` and mail a link to set a password.

    An address that already has an account is refused (:class:`AccountExists`): an invitation never
    changes an existing account's roles; the lead does that with :func:`user_roles_grant`. The link
    expires after ``PASSWORD_RESET_TIMEOUT`` and becomes invalid once a password is set.
    ``mail_context`` adds to the invitation mail's context (contacts names the organisation there).
    """
    _check_grantable(roles, invited_by)
    if not roles:
        raise ServiceError(_("Bitte wählen Sie mindestens eine Rolle."), field="roles")
    email = email.strip().lower()
    existing = user_for_email(email)
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email, full_name=full_name, language=language)
        except IntegrityError:  # the same address, invited at the same moment
            existing = user_for_email(email)
    if existing is not None:
        raise AccountExists(
            _(
                "Für %(email)s gibt es schon ein Konto. Eine Einladung ändert seine Rollen nicht; "
                "das kann nur die Bereichsleitung."
            )
            % {"email": email},
            user=existing,
        )
    _grant(user, roles, invited_by)
    mail_queue(
        to=user.email,
        template="invitation",
        context={
            **(mail_context or {}),
            "user": user,
            "invited_by": invited_by,
            "roles": [str(Role(role).label) for role in Role.values if role in roles],
            "link": set_password_link(user, "accounts:invitation_accept"),
        },
        language=user.language,
        reference=f"accounts.user:{user.pk}",
        redact=["link"],
    )
    return user


def invitation_accept(*, user: User, password: str) -> User:
    """The invited person sets their first password (already checked by the validators); the link's
    token hashes the password, so the link stops working."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


# --- profile ----------------------------------------------------------------------------------------------------


def user_profile_update(*, user: User, full_name: str, language: str) -> User:
    user.full_name = full_name
    user.language = language
    user.save(update_fields=["full_name", "language"])
    return user


# --- password reset ---------------------------------------------------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Queue the reset mail in the background, whatever the address: the answer takes the same time
    for known and unknown addresses (the task decides whether anything is sent)."""
    from accounts.tasks import password_reset_mail

    enqueue_on_commit(password_reset_mail, (email or "").strip().lower())


@transaction.atomic
def password_reset_send(*, email: str) -> str:
    """Mail a reset link to the active account of ``email``, at most :data:`RESET_MAILS_PER_HOUR` an hour.

    Returns what happened: ``"sent"``, ``"unknown"`` (no active account) or ``"throttled"``. Active
    accounts without a usable password (an invited person whose link expired) are served too.
    """
    user = User.objects.select_for_update().filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return "unknown"
    recent = OutgoingMail.objects.filter(
        template="password_reset", to_email=user.email, created_at__gte=timezone.now() - timedelta(hours=1)
    )
    if recent.count() >= RESET_MAILS_PER_HOUR:
        return "throttled"
    mail_queue(
        to=user.email,
        template="password_reset",
        context={"user": user, "link": set_password_link(user, "accounts:password_reset_confirm")},
        language=user.language,
        reference=f"accounts.user:{user.pk}",
        redact=["link"],
    )
    return "sent"
