"""Registration: a project with its team, the parents' consent by mailed link, the written work,
the stand's needs and the reminders about what is missing."""

import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from competition import rules
from competition.models import (
    AREA_CODES,
    CONSENT_VERSION,
    Division,
    Edition,
    Gender,
    ParentalConsent,
    Participant,
    Project,
    School,
    SubjectArea,
    TeamMember,
)
from competition.services.base import RegistrationRefused, german_date, link, lock_edition, refuse_if_published
from core.errors import StateConflict
from core.mail import mail_queue

CONSENT_WORDING = (
    "Ich bin sorgeberechtigt und willige ein, dass mein Kind am Regionalwettbewerb Jugend forscht teilnimmt und "
    "dass die Kammer dafür Name, Geburtsdatum, Geschlecht, Schule und das Projekt verarbeitet: für die Jury, die "
    "Urkunde, das Programmheft, das Namensschild und – bei einer Platzierung – die Weiterleitung an den "
    "Landeswettbewerb. Die Angaben werden nach dem Ende der Runde gelöscht; Zahlen ohne Namen bleiben für die "
    "Statistik. Ich kann die Einwilligung jederzeit widerrufen."
)
CONSENT_KEEP_WORDING = (
    "Außerdem willige ich ein, dass die Kammer Name und Ergebnis meines Kindes über das Ende der Runde hinaus "
    "aufbewahrt (für spätere Runden und Ehemaligen-Einladungen)."
)
TITLE_MAX = 200
ABSTRACT_MAX = 1500


@dataclass
class MemberData:
    first_name: str
    last_name: str
    birth_date: datetime.date | None
    gender: str = ""
    email: str = ""
    parent_email: str = ""


@dataclass
class ProjectData:
    title: str
    abstract: str
    subject_area: str
    school_name: str
    school_city: str
    teacher_name: str
    teacher_email: str
    members: list[MemberData] = field(default_factory=list)
    division: str = ""  # "" = from the ages
    district_id: int | None = None


def _valid_email(value: str, message: str, field_name: str) -> str:
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        raise RegistrationRefused(message, field=field_name) from None
    return value


def _person_key(member: MemberData) -> str:
    return f"{member.last_name.strip().casefold()}|{member.first_name.strip().casefold()}|{member.birth_date:%Y-%m-%d}"


def _check_project(edition: Edition, data: ProjectData, today: datetime.date) -> tuple[str, list[int]]:
    """Every rule of a registration; returns the division and the members' ages."""
    if edition.results_published_at is not None or today > edition.registration_deadline:
        raise RegistrationRefused(
            _("Die Anmeldung zum %(edition)s ist seit dem %(date)s geschlossen.")
            % {"edition": edition, "date": german_date(edition.registration_deadline)},
            code="deadline",
        )
    title, abstract = data.title.strip(), data.abstract.strip()
    if not title:
        raise RegistrationRefused(_("Bitte geben Sie den Projekttitel an."), field="title")
    if len(title) > TITLE_MAX:
        raise RegistrationRefused(
            _("Der Titel ist zu lang (höchstens %(max)s Zeichen).") % {"max": TITLE_MAX}, field="title"
        )
    if not abstract:
        raise RegistrationRefused(_("Bitte beschreiben Sie das Projekt in ein paar Sätzen."), field="abstract")
    if len(abstract) > ABSTRACT_MAX:
        raise RegistrationRefused(
            _("Die Kurzbeschreibung ist zu lang: höchstens %(max)s Zeichen, Sie haben %(count)s eingegeben.")
            % {"max": ABSTRACT_MAX, "count": len(abstract)},
            field="abstract",
        )
    if data.subject_area not in SubjectArea.values:
        raise RegistrationRefused(_("Bitte wählen Sie eines der sieben Fachgebiete."), field="subject_area")
    if not data.school_name.strip() or not data.school_city.strip():
        raise RegistrationRefused(_("Bitte geben Sie die Schule und ihren Ort an."), field="school_name")
    if not data.teacher_name.strip():
        raise RegistrationRefused(_("Bitte geben Sie die betreuende Lehrkraft an."), field="teacher_name")
    _valid_email(
        data.teacher_email, _("Bitte geben Sie eine gültige E-Mail-Adresse der Lehrkraft an."), "teacher_email"
    )
    members = data.members
    if not members:
        raise RegistrationRefused(_("Ein Projekt braucht mindestens eine Teilnehmerin oder einen Teilnehmer."))
    if len(members) > rules.MAX_TEAM:
        raise RegistrationRefused(
            _("Ein Team hat höchstens drei Mitglieder; Sie haben %(count)s angegeben.") % {"count": len(members)},
            code="team_too_large",
        )
    reference = edition.age_reference_date
    ages, keys = [], set()
    for number, member in enumerate(members, start=1):
        prefix = f"m{number}_"
        if not member.first_name.strip() or not member.last_name.strip():
            raise RegistrationRefused(
                _("Bitte geben Sie Vor- und Nachnamen von Mitglied %(n)s an.") % {"n": number},
                field=f"{prefix}last_name",
            )
        if member.birth_date is None:
            raise RegistrationRefused(
                _("Bitte geben Sie das Geburtsdatum von Mitglied %(n)s an.") % {"n": number},
                field=f"{prefix}birth_date",
            )
        if member.gender not in Gender.values:
            raise RegistrationRefused(_("Bitte wählen Sie eine Angabe zum Geschlecht."), field=f"{prefix}gender")
        name = f"{member.first_name.strip()} {member.last_name.strip()}"
        age = rules.age_on(member.birth_date, reference)
        if age > rules.OLDEST_AGE:
            raise RegistrationRefused(
                _(
                    "%(name)s ist am %(date)s %(age)s Jahre alt. Jugend forscht ist für junge Menschen "
                    "bis 21 Jahre (Alter am 31. Dezember des Anmeldejahres)."
                )
                % {"name": name, "date": german_date(reference), "age": age},
                field=f"{prefix}birth_date",
                code="too_old",
            )
        if age < rules.YOUNGEST_AGE or member.birth_date > today:
            raise RegistrationRefused(
                _("Bitte prüfen Sie das Geburtsdatum von %(name)s: am %(date)s wäre sie/er %(age)s Jahre alt.")
                % {"name": name, "date": german_date(reference), "age": max(age, 0)},
                field=f"{prefix}birth_date",
                code="too_young",
            )
        key = _person_key(member)
        if key in keys:
            raise RegistrationRefused(_("%(name)s steht zweimal im Team.") % {"name": name}, code="duplicate_member")
        keys.add(key)
        if member.email:
            _valid_email(
                member.email, _("Bitte prüfen Sie die E-Mail-Adresse von %(name)s.") % {"name": name}, f"{prefix}email"
            )
        if rules.is_minor(member.birth_date, today):
            _valid_email(
                member.parent_email,
                _("%(name)s ist minderjährig: bitte geben Sie die E-Mail-Adresse eines Elternteils an; wir bitten dort um die Einwilligung.")
                % {"name": name},
                f"{prefix}parent_email",
            )  # fmt: skip
        ages.append(age)
    division = rules.division_for_ages(ages)
    if data.division and data.division != division:
        oldest = max(ages)
        raise RegistrationRefused(
            _(
                "Das älteste Teammitglied ist am %(date)s %(age)s Jahre alt: das Team startet in der Sparte "
                "„%(right)s“, nicht in „%(chosen)s“."
            )
            % {
                "date": german_date(reference),
                "age": oldest,
                "right": edition.division_label(division),
                "chosen": edition.division_label(data.division) if data.division in Division.values else data.division,
            },  # fmt: skip
            field="division",
            code="wrong_division",
        )
    return division, ages


def _school(data: ProjectData) -> School:
    name, city = " ".join(data.school_name.split()), " ".join(data.school_city.split())
    school, _created = School.objects.get_or_create(
        key=f"{name.casefold()}|{city.casefold()}",
        defaults={"name": name, "city": city, "district_id": data.district_id},
    )
    if data.district_id and not school.district_id:
        School.objects.filter(pk=school.pk).update(district_id=data.district_id)
    return school


def _participant(edition: Edition, member: MemberData, school: School, today: datetime.date) -> Participant:
    key = _person_key(member)
    participant = Participant.objects.filter(edition=edition, key=key, anonymised_at__isnull=True).first()
    if participant is not None:
        projects = (
            participant.memberships.exclude(project__status=Project.Status.WITHDRAWN).select_related("project").count()
        )
        if projects >= rules.MAX_PROJECTS_PER_PERSON:
            raise RegistrationRefused(
                _("%(name)s ist in dieser Runde schon in drei Projekten angemeldet; mehr sind nicht erlaubt.")
                % {"name": participant.full_name},
                code="too_many_projects",
            )
        return participant
    minor = rules.is_minor(member.birth_date, today)
    return Participant.objects.create(
        edition=edition, first_name=member.first_name.strip(), last_name=member.last_name.strip(),
        birth_date=member.birth_date, gender=member.gender, email=(member.email or "").strip().lower(), school=school,
        parent_email=(member.parent_email or "").strip().lower() if minor else "",
        consent_status=Participant.Consent.PENDING if minor else Participant.Consent.NOT_NEEDED, key=key,
    )  # fmt: skip


def _next_number(edition: Edition, area: str, division: str) -> str:
    prefix = f"{AREA_CODES[area]}-{'J' if division == Division.JUNIOR else 'S'}-"
    taken = Project.objects.filter(edition=edition, number__startswith=prefix).count()
    return f"{prefix}{taken + 1:02d}"


def _request_consent(participant: Participant, *, reminder: bool = False, consent: ParentalConsent | None = None):
    consent = consent or ParentalConsent.objects.create(participant=participant, parent_email=participant.parent_email)
    projects = [m.project for m in participant.memberships.select_related("project").order_by("project__number")]
    mail_queue(
        to=consent.parent_email,
        template="competition_consent_request",
        context={
            "participant": participant,
            "edition": participant.edition,
            "projects": projects,
            "reminder": reminder,
            "link": link(reverse("competition:consent", args=[consent.token])),
        },  # fmt: skip
        reference=f"competition.consent:{consent.pk}",
    )
    return consent


def project_register(
    *, edition: Edition, data: ProjectData, registered_by, today: datetime.date | None = None
) -> Project:
    """Register a project with its team. Minors' parents get a consent link; the project stays pending until
    every minor's consent is in. The teacher gets a confirmation with what is still missing."""
    today = today or timezone.localdate()
    division, _ages = _check_project(edition, data, today)
    with transaction.atomic():
        edition = lock_edition(edition)
        school = _school(data)
        participants = [_participant(edition, member, school, today) for member in data.members]
        ready = all(
            p.consent_status in (Participant.Consent.NOT_NEEDED, Participant.Consent.GIVEN) for p in participants
        )
        project = Project.objects.create(
            edition=edition, number=_next_number(edition, data.subject_area, division), title=data.title.strip(),
            abstract=data.abstract.strip(), subject_area=data.subject_area, division=division, school=school,
            teacher_name=data.teacher_name.strip(), teacher_email=data.teacher_email.strip().lower(),
            registered_by=registered_by, status=Project.Status.REGISTERED if ready else Project.Status.PENDING,
        )  # fmt: skip
        TeamMember.objects.bulk_create(
            TeamMember(project=project, participant=p, position=i) for i, p in enumerate(participants, start=1)
        )
        for participant in participants:
            already_asked = participant.consents.filter(status=Participant.Consent.PENDING).exists()
            if participant.consent_status == Participant.Consent.PENDING and not already_asked:
                _request_consent(participant)
        mail_queue(
            to=project.teacher_email,
            template="competition_registered",
            context={
                "project": project,
                "edition": edition,
                "participants": participants,
                "division": edition.division_label(division),
                "waiting": [
                    p
                    for p in participants
                    if p.consent_status != Participant.Consent.NOT_NEEDED
                    and p.consent_status != Participant.Consent.GIVEN
                ],
                "link": link(project.get_absolute_url()),
            },  # fmt: skip
            reference=f"competition.project:{project.pk}",
        )
    return project


def _release_projects(participant: Participant) -> int:
    """Projects of the participant whose every member may now take part become registered."""
    blocked = Count(
        "members",
        filter=Q(members__participant__consent_status__in=[Participant.Consent.PENDING, Participant.Consent.DECLINED]),
    )
    candidates = list(
        Project.objects.filter(members__participant=participant, status=Project.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    # annotate on a fresh queryset: after a filter on "members" the count would only see the filtered member
    ready = (
        Project.objects.filter(pk__in=candidates)
        .annotate(blocked=blocked)
        .filter(blocked=0)
        .values_list("pk", flat=True)
    )
    return Project.objects.filter(pk__in=list(ready)).update(status=Project.Status.REGISTERED)


def consent_answer(
    *, token: str, give: bool, parent_name: str = "", keep_data: bool = False, ip: str | None = None
) -> ParentalConsent:
    """A parent's answer by the mailed link; the wording, its version, the time and the address are stored."""
    with transaction.atomic():
        consent = ParentalConsent.objects.select_for_update().select_related("participant__edition").get(token=token)
        participant = consent.participant
        if participant.anonymised_at is not None:
            raise StateConflict(_("Dieser Link ist nicht mehr gültig."))
        if consent.answered_at is not None:
            raise StateConflict(
                _("Sie haben am %(date)s bereits geantwortet. Für eine Änderung schreiben Sie uns bitte.")
                % {"date": german_date(timezone.localtime(consent.answered_at))}
            )
        parent_name = " ".join((parent_name or "").split())
        if give and not parent_name:
            raise RegistrationRefused(_("Bitte geben Sie Ihren Namen an."), field="parent_name")
        if len(parent_name) > 150:
            raise RegistrationRefused(_("Der Name ist zu lang (höchstens 150 Zeichen)."), field="parent_name")
        status = Participant.Consent.GIVEN if give else Participant.Consent.DECLINED
        consent.status, consent.parent_name, consent.answered_at, consent.answered_from = (
            status, parent_name, timezone.now(), ip,
        )  # fmt: skip
        consent.keep_data = bool(give and keep_data)
        consent.wording = CONSENT_WORDING + (" " + CONSENT_KEEP_WORDING if consent.keep_data else "") if give else ""
        consent.version = CONSENT_VERSION
        consent.save()
        Participant.objects.filter(pk=participant.pk).update(consent_status=status, keep_data=consent.keep_data)
        participant.consent_status = status
        if give:
            _release_projects(participant)
    return consent


def _refuse_after_contest(project: Project, today: datetime.date) -> None:
    if project.status == Project.Status.WITHDRAWN:
        raise StateConflict(_("Das Projekt ist zurückgezogen."))
    if today > project.edition.contest_date:
        raise StateConflict(_("Der Wettbewerb ist vorbei; das Projekt lässt sich nicht mehr ändern."))


def written_work_upload(*, project: Project, upload, today: datetime.date | None = None) -> Project:
    """The written work as one PDF, within the edition's size and page limits, until its deadline.
    A new upload replaces the old one; a refused one changes nothing."""
    today = today or timezone.localdate()
    edition = project.edition
    _refuse_after_contest(project, today)
    if today > edition.written_work_deadline:
        raise RegistrationRefused(
            _("Die Frist für die schriftliche Arbeit ist am %(date)s abgelaufen.")
            % {"date": german_date(edition.written_work_deadline)},
            field="file",
            code="deadline",
        )
    if upload is None:
        raise RegistrationRefused(_("Bitte wählen Sie die PDF-Datei Ihrer Arbeit aus."), field="file")
    limit = edition.max_upload_mb * 1024 * 1024
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise RegistrationRefused(
            _("Die Datei ist größer als %(max)s. Bitte verkleinern Sie die Bilder im PDF.")
            % {"max": filesizeformat(limit)},
            field="file",
            code="too_large",
        )
    pages = _pdf_pages(data)
    if pages > edition.max_pages:
        raise RegistrationRefused(
            _("Die Arbeit hat %(pages)s Seiten; erlaubt sind höchstens %(max)s (15 Seiten Text plus Deckblatt, Kurzfassung und Verzeichnisse).")
            % {"pages": pages, "max": edition.max_pages},
            field="file",
            code="too_many_pages",
        )  # fmt: skip
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        old = project.written_work.name
        project.written_work.save("arbeit.pdf", ContentFile(data), save=False)
        project.written_work_pages, project.written_work_bytes = pages, len(data)
        project.written_work_uploaded_at = timezone.now()
        project.save(
            update_fields=["written_work", "written_work_pages", "written_work_bytes", "written_work_uploaded_at"]
        )
        if old:
            storage = project.written_work.storage
            transaction.on_commit(lambda: storage.delete(old))
    return project


def _pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    not_pdf = RegistrationRefused(
        _("Die Datei ist kein PDF. Bitte speichern oder exportieren Sie die Arbeit als PDF."),
        field="file",
        code="not_pdf",
    )
    if not data.lstrip()[:5] == b"%PDF-":
        raise not_pdf
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise RegistrationRefused(
                _("Das PDF ist mit einem Passwort geschützt. Bitte laden Sie es ohne Schutz hoch."), field="file"
            )
        pages = len(reader.pages)
    except RegistrationRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise RegistrationRefused(
            _("Das PDF lässt sich nicht lesen (beschädigt?). Bitte speichern Sie es neu."),
            field="file",
            code="broken_pdf",
        ) from None
    if pages < 1:
        raise not_pdf
    return pages


def stand_needs_save(
    *, project: Project, power: bool, table: bool, water: bool, note: str = "", today: datetime.date | None = None
) -> Project:
    today = today or timezone.localdate()
    _refuse_after_contest(project, today)
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise RegistrationRefused(_("Bitte fassen Sie die Wünsche kürzer (höchstens 300 Zeichen)."), field="note")
    Project.objects.filter(pk=project.pk).update(
        needs_power=power, needs_table=table, needs_water=water, stand_note=note, stand_confirmed_at=timezone.now()
    )
    project.refresh_from_db()
    return project


def project_withdraw(*, project: Project, today: datetime.date | None = None) -> Project:
    today = today or timezone.localdate()
    _refuse_after_contest(project, today)
    refuse_if_published(project.edition)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.WITHDRAWN, place=None, forwarded=False)
    project.refresh_from_db()
    return project


# --- reminders ------------------------------------------------------------------------------------------------------

REMINDER_PAUSE = datetime.timedelta(hours=20)


def reminders_send(*, edition: Edition, now: datetime.datetime | None = None) -> int:
    """Mail every teacher whose project still lacks something (consents, the written work, the stand's needs),
    and every parent whose consent is still out; at most once in 20 hours each. Returns the mails queued."""
    from competition.selectors import missing_items

    now = now or timezone.now()
    today = timezone.localdate(now)
    if today > edition.contest_date:
        return 0
    sent = 0
    with transaction.atomic():
        projects = list(
            Project.objects.select_for_update()
            .filter(edition=edition)
            .exclude(status=Project.Status.WITHDRAWN)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMINDER_PAUSE))
            .order_by("number")
        )
        missing_by_project = missing_items(projects, today=today)
        by_teacher: dict[str, list] = {}
        for project in projects:
            if missing_by_project[project.pk]:
                by_teacher.setdefault(project.teacher_email, []).append((project, missing_by_project[project.pk]))
        for email, items in by_teacher.items():
            mail_queue(
                to=email,
                template="competition_reminder",
                context={
                    "edition": edition,
                    "items": items,
                    "links": {p.pk: link(p.get_absolute_url()) for p, _m in items},
                },  # fmt: skip
                reference=f"competition.reminder:{edition.pk}",
            )
            Project.objects.filter(pk__in=[p.pk for p, _m in items]).update(reminded_at=now)
            sent += 1
        consents = (
            ParentalConsent.objects.select_for_update()
            .filter(
                participant__edition=edition,
                status=Participant.Consent.PENDING,
                participant__anonymised_at__isnull=True,
                requested_at__lt=now - REMINDER_PAUSE,
            )
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMINDER_PAUSE))
        )
        for consent in consents.select_related("participant__edition"):
            _request_consent(consent.participant, reminder=True, consent=consent)
            ParentalConsent.objects.filter(pk=consent.pk).update(reminded_at=now)
            sent += 1
    return sent


def reminders_due(*, now: datetime.datetime | None = None) -> int:
    """Recurring: a week and two days before the written-work deadline, remind what is missing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for edition in Edition.objects.filter(results_published_at__isnull=True, contest_date__gte=today):
        if (edition.written_work_deadline - today).days in (7, 2):
            sent += reminders_send(edition=edition, now=now)
    return sent
