"""People: an account for a teacher or pupil, anonymising a participant, the retention erasure."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import set_password_link, user_set_roles
from competition.models import ParentalConsent, Participant, Project, new_token
from competition.services.base import CompetitionRefused, link
from core.mail import mail_queue
from core.privacy import ANONYMISED
from core.roles import Role


def account_request(*, email: str, full_name: str, language: str = "de") -> None:
    """A teacher or pupil asks for an account. A new address gets one (registered public) and a link to set
    a password; a known address gets a reminder how to log in. The page says the same in both cases, so
    nobody learns from it who has an account."""
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    try:
        validate_email(email)
    except ValidationError:
        raise CompetitionRefused(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="email") from None
    if not full_name or len(full_name) > 150:
        raise CompetitionRefused(_("Bitte geben Sie Ihren Namen an (höchstens 150 Zeichen)."), field="full_name")
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, full_name=full_name, language=language)
            user_set_roles(user=user, roles=[Role.PUBLIC])
            context = {"user": user, "new": True, "link": set_password_link(user, "accounts:invitation_accept")}
        else:
            context = {"user": user, "new": False, "link": link(reverse("accounts:password_reset"))}
        mail_queue(
            to=user.email, template="competition_account", context=context, language=language,
            reference=f"accounts.user:{user.pk}",
        )  # fmt: skip


def participant_anonymise(participant: Participant, *, now: datetime.datetime | None = None) -> None:
    """Names, birth date and addresses go; gender, school and the projects stay for the figures."""
    now = now or timezone.now()
    Participant.objects.filter(pk=participant.pk).update(
        first_name=ANONYMISED, last_name=ANONYMISED, birth_date=None, email="", parent_email="",
        key=f"anonymisiert-{participant.pk}", anonymised_at=now,
    )  # fmt: skip
    ParentalConsent.objects.filter(participant=participant).update(
        parent_email=f"anonymisiert-{participant.pk}@invalid.example", parent_name="", answered_from=None,
        token=new_token(),
    )  # fmt: skip


def _delete_written_works(projects) -> int:
    count = 0
    for project in projects.exclude(written_work=""):
        storage, name = project.written_work.storage, project.written_work.name
        Project.objects.filter(pk=project.pk).update(written_work="")
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        count += 1
    return count


def retention_erase(*, today: datetime.date | None = None) -> int:
    """Recurring: after an edition's retention date its participants' data is erased, except where a parent
    (or, for the keep-consent, the participant) allowed keeping it; the written works are deleted.
    Returns the participants anonymised."""
    from competition.models import Edition

    today = today or timezone.localdate()
    erased = 0
    for edition in Edition.objects.filter(retention_until__lt=today, retention_done_at__isnull=True):
        with transaction.atomic():
            for participant in Participant.objects.filter(
                edition=edition, anonymised_at__isnull=True, keep_data=False
            ).only("pk"):
                participant_anonymise(participant)
                erased += 1
            _delete_written_works(Project.objects.filter(edition=edition))
            Edition.objects.filter(pk=edition.pk).update(retention_done_at=timezone.now())
    return erased
