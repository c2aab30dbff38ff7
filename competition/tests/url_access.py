from core.roles import Role
from testing.access import LOGIN, Access, Public

STAFF = Role.STAFF
JUROR = Role.JUROR
PUBLIC = Role.PUBLIC


def _edition(w):
    return {"pk": w.jf_edition.pk}


def _project(w):
    return {"pk": w.jf_project.pk}


URL_ACCESS = {
    # public
    "competition:home": Public(),
    "competition:results_public": Public(kwargs=lambda w: {"year": w.jf_published.year}),
    "competition:consent": Public(kwargs=lambda w: {"token": w.jf_consent.token}),
    "competition:account_request": Public(),
    # teachers and pupils: their own projects only (404 for anyone else's)
    "competition:my_projects": Access(LOGIN),
    "competition:register": Access(LOGIN),
    "competition:project_detail": Access(PUBLIC, kwargs=_project, denied_status=404),
    "competition:written_work_upload": Access(PUBLIC, method="post", kwargs=_project, denied_status=404),
    "competition:stand_needs": Access(
        PUBLIC, method="post", kwargs=_project, data={"power": "on", "table": "on"}, denied_status=404
    ),
    "competition:certificate_owner": Access(
        PUBLIC,
        kwargs=lambda w: {"pk": w.jf_old_project.pk, "member": w.jf_old_member.pk},
        denied_status=404,
        page=False,
    ),
    # the written work: staff, the owner, the project's jury
    "competition:written_work": Access(JUROR, more=(STAFF, PUBLIC), kwargs=_project, denied_status=404, page=False),
    # jurors
    "competition:jury_home": Access(JUROR),
    "competition:jury_project": Access(JUROR, kwargs=_project),
    "competition:conflict_declare": Access(JUROR, method="post", kwargs=_project, data={"reason": "Nachbarskind"}),
    "competition:jury_ranking": Access(JUROR, more=(STAFF,), kwargs=lambda w: {"pk": w.jf_jury.pk}),
    # staff
    "competition:staff_home": Access(STAFF),
    "competition:edition_create": Access(STAFF),
    "competition:edition_detail": Access(STAFF, kwargs=_edition),
    "competition:edition_edit": Access(STAFF, kwargs=_edition),
    "competition:remind": Access(STAFF, method="post", kwargs=_edition),
    "competition:project_export": Access(STAFF, kwargs=_edition, page=False),
    "competition:rubric": Access(STAFF, kwargs=_edition),
    "competition:criterion_delete": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.jf_old_criterion.pk}),
    "competition:staff_project": Access(STAFF, kwargs=_project),
    "competition:checkin": Access(STAFF, method="post", kwargs=_project),
    "competition:jury_list": Access(STAFF, kwargs=_edition),
    "competition:jury_detail": Access(STAFF, kwargs=lambda w: {"pk": w.jf_jury.pk}),
    "competition:jury_sheet": Access(STAFF, kwargs=lambda w: {"pk": w.jf_jury.pk}, page=False),
    "competition:juror_remove": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.jf_old_jury_member.pk}),
    "competition:results": Access(STAFF, kwargs=_edition),
    "competition:prizes": Access(STAFF, kwargs=_edition),
    "competition:forwarded_export": Access(STAFF, kwargs=_edition, page=False),
    "competition:contest_day": Access(STAFF, kwargs=_edition),
    "competition:patent": Access(STAFF, kwargs=_edition),
    "competition:edition_figures": Access(STAFF, kwargs=_edition),
    "competition:certificates_zip": Access(STAFF, kwargs=_edition, page=False),
    "competition:certificate_staff": Access(STAFF, kwargs=lambda w: {"pk": w.jf_member.pk}, page=False),
    "competition:booklet": Access(STAFF, kwargs=_edition, page=False),
    "competition:badges": Access(STAFF, kwargs=_edition, page=False),
}


def build(world):
    """An open round with a Biologie project of the public user (the teacher), judged by the world's juror
    and a second one; a Chemie project with its own juror (``world.juror_chemie``); last year's published
    round with a placed project of the same teacher."""
    from django.core.files.base import ContentFile

    from competition.models import ParentalConsent, Participant, SubjectArea
    from competition.tests.factories import give_score, make_edition, make_jury, make_project, make_school, pdf_bytes
    from testing.factories import UserFactory

    edition = make_edition(stage="registration")
    school = make_school("Gymnasium Paulinum", "Münster")
    world.juror_2 = UserFactory(email="jury2@example.org", full_name="Jutta Zweit", roles=[Role.JUROR])
    world.juror_chemie = UserFactory(email="jury-chemie@example.org", full_name="Carl Chemie", roles=[Role.JUROR])
    world.jf_jury = make_jury(edition, SubjectArea.BIOLOGY, "senior", world.juror, world.juror_2, chair=world.juror)
    world.jf_chemie_jury = make_jury(edition, SubjectArea.CHEMISTRY, "senior", world.juror_chemie, world.juror_2)
    world.jf_project = make_project(
        edition, area=SubjectArea.BIOLOGY, school=school, teacher=world.public_user, jury=world.jf_jury,
        members=[("Mia", "Kresse"), ("Ben", "Licht")], title="Kresse unter LED-Licht",
    )  # fmt: skip
    world.jf_chemie_project = make_project(
        edition, area=SubjectArea.CHEMISTRY, school=make_school("Realschule Nord", "Rheine"), jury=world.jf_chemie_jury,
        members=[("Cem", "Säure")], title="Säure im Apfelsaft",
    )  # fmt: skip
    project = world.jf_project
    name = f"schriftliche-arbeiten/matrix/{project.pk}.pdf"
    if not project.written_work.storage.exists(name):
        project.written_work.storage.save(name, ContentFile(pdf_bytes(2)))
    project.written_work.name = name
    project.written_work_pages = 2
    project.save(update_fields=["written_work", "written_work_pages"])
    world.jf_edition = edition
    world.jf_member = project.members.first()
    participant = world.jf_member.participant
    Participant.objects.filter(pk=participant.pk).update(consent_status=Participant.Consent.PENDING)
    world.jf_consent = ParentalConsent.objects.create(participant=participant, parent_email="eltern@example.org")

    old = make_edition(stage="published", year=edition.year - 1)
    old_jury = make_jury(old, SubjectArea.BIOLOGY, "senior", world.juror_2)
    world.jf_published = old
    world.jf_old_project = make_project(
        old, teacher=world.public_user, jury=old_jury, school=school, title="Moos als Filter"
    )
    world.jf_old_project.place = 1
    world.jf_old_project.save(update_fields=["place"])
    world.jf_old_member = world.jf_old_project.members.first()
    world.jf_old_jury_member = old_jury.members.first()
    world.jf_old_criterion = old.criteria.first()  # the round is scored: deleting it is refused, not done
    give_score(world.jf_old_project, world.juror_2, 80)
