from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import RoleAssignment, User
from core.mail import mail_queue
from core.roles import Role


def user_set_roles(*, user: User, roles: list[str]) -> None:
    RoleAssignment.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        RoleAssignment.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)


def set_password_link(user: User, url_name: str) -> str:
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse(url_name, kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_invite(
    *, email: str, full_name: str, roles: list[str], invited_by: User, organisation=None, language="de"
) -> User:
    """Create (or reuse) an account, grant roles and mail a link to set a password.

    A company editor is tied to ``organisation``; the link expires after
    ``PASSWORD_RESET_TIMEOUT`` and becomes invalid once a password is set.
    """
    email = email.strip().lower()
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "language": language})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    existing = set(user.role_assignments.values_list("role", flat=True))
    user_set_roles(user=user, roles=sorted(existing | set(roles)))
    if Role.EDITOR in roles and organisation is not None:
        from contacts.models import OrganisationEditor

        OrganisationEditor.objects.get_or_create(user=user, organisation=organisation)
    mail_queue(
        to=user.email,
        template="invitation",
        context={
            "user": user,
            "invited_by": invited_by,
            "organisation": organisation,
            "roles": [Role(role).label for role in roles],
            "link": set_password_link(user, "accounts:invitation_accept"),
        },
        language=user.language,
        reference=f"accounts.user:{user.pk}",
        redact=["link"],
    )
    return user
