"""The staff area (Geschäftsstelle): rounds, completeness, juries, results, the contest day, documents."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advisory import selectors as advisory_selectors
from competition import access, documents, selectors, services
from competition.forms import (
    AssignJuryForm,
    CriterionForm,
    EditionForm,
    JurorForm,
    PrizeForm,
    ProjectFilterForm,
    StaffConflictForm,
)
from competition.models import Criterion, Jury, JuryMember, PatentOffer, Project, SpecialPrize, TeamMember
from core.errors import ServiceError
from core.http import render_partial, show_refusal
from core.params import id_param
from core.permissions import staff_required
from core.tables import table_response


@staff_required
def staff_home(request):
    editions = list(selectors.editions_with_counts())
    return render(request, "competition/staff_home.html", {"editions": editions})


@staff_required
def edition_edit(request, pk=None):
    edition = access.edition_for_staff(pk) if pk else None
    form = EditionForm.for_edition(edition, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_save(edition=edition, data=form.to_data())
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Runde ist gespeichert."))
            return redirect("competition:edition_detail", pk=edition.pk)
    return render(
        request, "competition/edition_form.html", {"form": form, "edition": edition}, status=400 if form.errors else 200
    )


@staff_required
def edition_detail(request, pk):
    """Completeness at a glance: what each project still lacks; remind by mail."""
    edition = access.edition_for_staff(pk)
    filter_form = ProjectFilterForm(request.GET or None)
    filters = filter_form.filters()
    projects = list(selectors.staff_projects(edition, filters)[:500])
    return render(
        request,
        "competition/edition_detail.html",
        {
            "edition": edition,
            "summary": selectors.completeness_summary(edition),
            "projects": projects,
            "filter_form": filter_form,
            "today": timezone.localdate(),
        },  # fmt: skip
    )


@staff_required
@require_POST
def remind(request, pk):
    edition = access.edition_for_staff(pk)
    sent = services.reminders_send(edition=edition)
    if sent:
        messages.success(request, _("%(n)s Erinnerungen sind unterwegs.") % {"n": sent})
    else:
        messages.info(request, _("Keine Erinnerung nötig (oder in den letzten 20 Stunden schon verschickt)."))
    return redirect("competition:edition_detail", pk=pk)


@staff_required
def project_export(request, pk):
    edition = access.edition_for_staff(pk)
    filters = ProjectFilterForm(request.GET or None).filters()
    return table_response(
        request, filename=f"jugend-forscht-{edition.year}-projekte", header=selectors.EXPORT_HEADER,
        rows=selectors.export_rows(edition, filters), title=_("Projekte"), stream=True,
    )  # fmt: skip


@staff_required
def rubric(request, pk):
    edition = access.edition_for_staff(pk)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(edition=edition, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Das Kriterium ist gespeichert."))
            return redirect("competition:rubric", pk=pk)
    criteria = list(edition.criteria.all())
    return render(
        request,
        "competition/rubric.html",
        {"edition": edition, "criteria": criteria, "form": form, "weights": sum(c.weight for c in criteria)},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def criterion_delete(request, pk):
    criterion = get_object_or_404(Criterion.objects.select_related("edition"), pk=pk)
    try:
        services.criterion_delete(criterion=criterion)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Das Kriterium ist gelöscht."))
    return redirect("competition:rubric", pk=criterion.edition_id)


@staff_required
def staff_project(request, pk):
    project = access.project_for_staff(pk)
    form = AssignJuryForm(request.POST or None, edition=project.edition, initial={"jury": project.jury_id})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.project_withdraw(project=project)
                messages.success(request, _("Das Projekt ist zurückgezogen."))
                return redirect("competition:staff_project", pk=pk)
            if form.is_valid():
                services.project_assign_jury(project=project, jury=form.cleaned_data["jury"])
                messages.success(request, _("Die Jury ist geändert."))
                return redirect("competition:staff_project", pk=pk)
        except ServiceError as error:
            show_refusal(request, error, form)
    return render(
        request,
        "competition/staff_project.html",
        {
            "project": project,
            "edition": project.edition,
            "team": selectors.project_team(project),
            "form": form,
            "sheets": selectors.project_sheets_for_staff(project),
            "missing": selectors.missing_items([project])[project.pk],
            "division": project.edition.division_label(project.division),
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


# --- juries -----------------------------------------------------------------------------------------------------------


@staff_required
def jury_list(request, pk):
    edition = access.edition_for_staff(pk)
    if request.method == "POST":
        try:
            created, assigned = services.juries_create(edition=edition)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(c)s Jurys angelegt, %(a)s Projekte zugeordnet.") % {"c": created, "a": assigned}
            )
        return redirect("competition:jury_list", pk=pk)
    return render(
        request,
        "competition/jury_list.html",
        {
            "edition": edition,
            "juries": selectors.juries_with_counts(edition),
            "summary": selectors.completeness_summary(edition),
        },
    )


@staff_required
def jury_detail(request, pk):
    jury = get_object_or_404(Jury.objects.select_related("edition"), pk=pk)
    edition = jury.edition
    juror_form = JurorForm(request.POST if request.POST.get("action") == "juror" else None, edition=edition)
    conflict_form = StaffConflictForm(request.POST if request.POST.get("action") == "conflict" else None, jury=jury)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "juror" and juror_form.is_valid():
                data = juror_form.cleaned_data
                member = services.juror_add(
                    jury=jury, email=data["email"], full_name=data["full_name"], affiliation=data["affiliation"],
                    school=data["school"], is_chair=data["is_chair"], invited_by=request.user,
                )  # fmt: skip
                messages.success(request, _("%(name)s gehört jetzt zur Jury.") % {"name": member.user})
                return redirect("competition:jury_detail", pk=pk)
            if request.POST.get("action") == "conflict" and conflict_form.is_valid():
                data = conflict_form.cleaned_data
                services.conflict_declare(project=data["project"], user=data["juror"], reason=data["reason"])
                messages.success(request, _("Die Befangenheit ist vermerkt."))
                return redirect("competition:jury_detail", pk=pk)
        except ServiceError as error:
            show_refusal(request, error, juror_form if request.POST.get("action") == "juror" else conflict_form)
    members = list(jury.members.select_related("user", "school"))
    projects = selectors.jury_projects_with_conflicts(jury)
    member_ids = {m.user_id for m in members}
    for project in projects:
        project.free_jurors = len(member_ids - {c.user_id for c in project.conflicts.all()})
    return render(
        request,
        "competition/jury_detail.html",
        {
            "jury": jury,
            "edition": edition,
            "members": members,
            "projects": projects,
            "juror_form": juror_form,
            "conflict_form": conflict_form,
            "too_few": len(members) < services.jury.MIN_JURORS,
        },  # fmt: skip
        status=400 if juror_form.errors or conflict_form.errors else 200,
    )


@staff_required
@require_POST
def juror_remove(request, pk):
    member = get_object_or_404(JuryMember.objects.select_related("jury__edition", "user"), pk=pk)
    try:
        services.juror_remove(member=member)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s gehört nicht mehr zur Jury.") % {"name": member.user})
    return redirect("competition:jury_detail", pk=member.jury_id)


# --- results ----------------------------------------------------------------------------------------------------------


@staff_required
def results(request, pk):
    edition = access.edition_for_staff(pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.results_publish(edition=edition)
                messages.success(request, _("Die Ergebnisse sind veröffentlicht; die Lehrkräfte erhalten eine E-Mail."))
            elif action == "forward":
                ids = {int(value) for value in request.POST.getlist("forward") if value.isdigit()}
                count = services.forwarding_set(edition=edition, project_ids=ids)
                messages.success(request, _("%(n)s Projekte sind zum Landeswettbewerb weitergeleitet.") % {"n": count})
        except ServiceError as error:
            messages.error(request, error.message)
        return redirect("competition:results", pk=pk)
    return render(request, "competition/results.html", {"edition": edition, **selectors.results_overview(edition)})


@staff_required
def forwarded_export(request, pk):
    edition = access.edition_for_staff(pk)
    rows = (
        [p.number, p.title, p.get_subject_area_display(), edition.division_label(p.division), p.school.name, p.teacher_name,
         p.teacher_email]
        for p in Project.objects.filter(edition=edition, forwarded=True).select_related("school").order_by("number")
    )  # fmt: skip
    return table_response(
        request, filename=f"jugend-forscht-{edition.year}-landeswettbewerb",
        header=["Nummer", "Titel", "Fachgebiet", "Sparte", "Schule", "Lehrkraft", "E-Mail Lehrkraft"], rows=rows,
        title=_("Weiterleitung"),
    )  # fmt: skip


@staff_required
def prizes(request, pk):
    edition = access.edition_for_staff(pk)
    prize = None
    prize_id = id_param(request.GET, "preis")
    if prize_id:
        prize = get_object_or_404(SpecialPrize, pk=prize_id, edition=edition)
    initial = {}
    if prize is not None:
        initial = {"name": prize.name, "sponsor": prize.sponsor, "topic": prize.topic, "project": prize.project_id,
                   "reason": prize.reason}  # fmt: skip
    form = PrizeForm(request.POST or None, edition=edition, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.special_prize_save(edition=edition, prize=prize, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Der Sonderpreis ist gespeichert."))
            return redirect("competition:prizes", pk=pk)
    return render(
        request,
        "competition/prizes.html",
        {"edition": edition, "form": form, "prize": prize, "prizes": edition.special_prizes.select_related("project")},
        status=400 if form.errors else 200,
    )


# --- the contest day --------------------------------------------------------------------------------------------------


@staff_required
def contest_day(request, pk):
    edition = access.edition_for_staff(pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "stands":
            count = services.stands_assign(edition=edition)
            messages.success(request, _("%(n)s Stände sind nummeriert.") % {"n": count})
        elif action == "interviews":
            count = services.interviews_plan(edition=edition)
            messages.success(request, _("%(n)s Jurygespräche sind geplant.") % {"n": count})
        return redirect("competition:contest_day", pk=pk)
    return render(request, "competition/contest_day.html", {"edition": edition, **selectors.contest_day(edition)})


@staff_required
@require_POST
def checkin(request, pk):
    project = access.project_for_staff(pk)
    project = services.checkin_set(project=project, arrived=request.POST.get("undo") != "1")
    if request.headers.get("HX-Request") == "true":
        return render_partial(
            request, "competition/contest_day.html", "competition/_checkin.html", {"project": project}
        )
    return redirect(reverse("competition:contest_day", args=[project.edition_id]) + f"#stand-{project.pk}")


# --- patent advice -----------------------------------------------------------------------------------------------------


@staff_required
def patent(request, pk):
    edition = access.edition_for_staff(pk)
    if request.method == "POST":
        day_id = id_param(request.POST, "day")
        try:
            sent = services.patent_days_offer(edition=edition, day_id=day_id or 0)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Der Sprechtag ist %(n)s Lehrkräften angeboten worden.") % {"n": sent})
        return redirect("competition:patent", pk=pk)
    offered = {offer.day_id: offer for offer in PatentOffer.objects.filter(edition=edition)}
    days = advisory_selectors.pupil_patent_days()
    for day in days:
        day.offer = offered.get(day.pk)
    return render(
        request,
        "competition/patent.html",
        {
            "edition": edition,
            "days": days,
            "offers": list(offered.values()),
            "create_url": reverse("advisory:day_create"),
        },
    )


@staff_required
def edition_figures(request, pk):
    edition = access.edition_for_staff(pk)
    return render(
        request, "competition/edition_figures.html", {"edition": edition, **selectors.edition_figures(edition)}
    )


# --- documents --------------------------------------------------------------------------------------------------------


def _pdf(data: bytes, filename: str, content_type: str = "application/pdf") -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def certificates_zip(request, pk):
    edition = access.edition_for_staff(pk)
    members = selectors.certificate_members(edition)
    if not members:
        raise Http404
    return _pdf(documents.certificates_zip(members), f"urkunden-{edition.year}.zip", "application/zip")


@staff_required
def certificate_staff(request, pk):
    member = get_object_or_404(TeamMember.objects.select_related("project__edition"), pk=pk)
    members = selectors.certificate_members(member.project.edition, member_id=member.pk)
    if not members:
        raise Http404
    return _pdf(documents.certificates_pdf(members), documents.certificate_filename(members[0]))


@staff_required
def jury_sheet(request, pk):
    jury = get_object_or_404(Jury.objects.select_related("edition"), pk=pk)
    data = documents.jury_sheet_pdf(
        jury, selectors.jury_sheet_projects(jury), list(jury.edition.criteria.all()),
        list(jury.members.select_related("user")),
    )  # fmt: skip
    return _pdf(data, f"bewertungsboegen-{jury.subject_area}-{jury.division}.pdf")


@staff_required
def booklet(request, pk):
    edition = access.edition_for_staff(pk)
    return _pdf(documents.booklet_pdf(edition, selectors.booklet_projects(edition)), f"programmheft-{edition.year}.pdf")


@staff_required
def badges(request, pk):
    edition = access.edition_for_staff(pk)
    return _pdf(documents.badges_pdf(edition, selectors.badge_people(edition)), f"namensschilder-{edition.year}.pdf")
