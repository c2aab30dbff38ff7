"""Accounts' part of a person's data export and erasure: the login account, its roles and the
login records (django-axes). The organisations an account edits are contacts' part."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from accounts.models import RoleAssignment, User
from accounts.signals import account_closing
from core.privacy import ANONYMISED, DataSubject, register_privacy


def _users(subject: DataSubject):
    users = (
        User.objects.filter(email__iexact=subject.normalised_email) if subject.normalised_email else User.objects.none()
    )
    person_user_id = getattr(subject.person, "user_id", None)
    if person_user_id:
        users = users | User.objects.filter(pk=person_user_id)
    return users.distinct()


def _login_records(users):
    emails = [user.email for user in users]
    return [model.objects.filter(username__in=emails) for model in (AccessAttempt, AccessFailureLog, AccessLog)]


def export(subject: DataSubject) -> dict:
    users = list(_users(subject).prefetch_related("role_assignments"))
    attempts, failures, logins = _login_records(users)
    return {
        "accounts": [
            {
                "email": user.email,
                "full_name": user.full_name,
                "language": user.language,
                "active": user.is_active,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "roles": [assignment.get_role_display() for assignment in user.role_assignments.all()],
            }
            for user in users
        ],
        "logins": [
            {"time": log.attempt_time, "logout": log.logout_time, "ip_address": log.ip_address} for log in logins
        ],
        "failed_logins": [
            {"time": log.attempt_time, "ip_address": log.ip_address, "locked_out": log.locked_out} for log in failures
        ],
        "login_locks": [
            {"time": attempt.attempt_time, "ip_address": attempt.ip_address, "failures": attempt.failures_since_start}
            for attempt in attempts
        ],
    }


def erase(subject: DataSubject) -> int:
    """Close the account: anonymised, inactive, no password, no roles, no login records."""
    users = list(_users(subject))
    count = 0
    for queryset in _login_records(users):
        count += queryset.delete()[0]
    count += RoleAssignment.objects.filter(user__in=users).delete()[0]
    for user in users:
        count += sum(deleted or 0 for _receiver, deleted in account_closing.send(sender=User, user=user))
        user.email = f"anonymisiert-{user.pk}@invalid.example"
        user.full_name = ANONYMISED
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return count + len(users)


register_privacy("accounts", export=export, erase=erase)
