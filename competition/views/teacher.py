"""The teacher's (and pupil's) area: register a team, see what is missing, upload, the results."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advisory import selectors as advisory_selectors
from competition import access, documents, selectors, services
from competition.forms import RegistrationForm, StandForm, UploadForm
from core.errors import ServiceError
from core.http import show_refusal
from core.permissions import role_required

login_needed = role_required()


@login_needed
def my_projects(request):
    edition = selectors.current_edition()
    today = timezone.localdate()
    return render(
        request,
        "competition/my_projects.html",
        {
            "projects": selectors.teacher_projects(request.user),
            "edition": edition,
            "registration_open": bool(edition and not edition.is_published and today <= edition.registration_deadline),
        },
    )


@login_needed
def register(request):
    edition = selectors.current_edition()
    if edition is None:
        raise Http404
    today = timezone.localdate()
    is_open = not edition.is_published and today <= edition.registration_deadline
    initial = {"teacher_name": request.user.get_full_name(), "teacher_email": request.user.email}
    form = RegistrationForm(request.POST or None, edition=edition, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_register(edition=edition, data=form.to_data(), registered_by=request.user)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            if project.status == project.Status.PENDING:
                messages.success(
                    request,
                    _("Das Projekt %(number)s ist angemeldet. Es wartet noch auf die Einwilligung der Eltern; die Links sind per E-Mail unterwegs.")
                    % {"number": project.number},
                )  # fmt: skip
            else:
                messages.success(request, _("Das Projekt %(number)s ist angemeldet.") % {"number": project.number})
            return redirect("competition:project_detail", pk=project.pk)
    return render(
        request,
        "competition/register.html",
        {"form": form, "edition": edition, "is_open": is_open},
        status=400 if form.errors else 200,
    )


def _detail_context(request, project, **forms):
    edition = project.edition
    published = edition.is_published
    return {
        "project": project,
        "edition": edition,
        "team": selectors.project_team(project),
        "missing": selectors.missing_items([project])[project.pk],
        "upload_form": forms.get("upload_form") or UploadForm(),
        "stand_form": forms.get("stand_form")
        or StandForm(
            initial={
                "power": project.needs_power,
                "table": project.needs_table,
                "water": project.needs_water,
                "note": project.stand_note,
            }
        ),  # fmt: skip
        "published": published,
        "prizes": list(project.prizes.all()) if published else [],
        "patent_days": advisory_selectors.pupil_patent_days(limit=5) if not published else [],
        "division": edition.division_label(project.division),
        "today": timezone.localdate(),
    }


@login_needed
def project_detail(request, pk):
    project = access.project_for_owner(request.user, pk)
    return render(request, "competition/project_detail.html", _detail_context(request, project))


@login_needed
@require_POST
def written_work_upload(request, pk):
    project = access.project_for_owner(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.written_work_upload(project=project, upload=form.cleaned_data["file"])
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die schriftliche Arbeit ist hochgeladen."))
            return redirect("competition:project_detail", pk=pk)
    project.refresh_from_db()
    return render(
        request, "competition/project_detail.html", _detail_context(request, project, upload_form=form), status=400
    )


@login_needed
@require_POST
def stand_needs(request, pk):
    project = access.project_for_owner(request.user, pk)
    form = StandForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.stand_needs_save(
                project=project, power=data["power"], table=data["table"], water=data["water"], note=data["note"]
            )
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Angaben zum Stand sind gespeichert."))
            return redirect("competition:project_detail", pk=pk)
    return render(
        request, "competition/project_detail.html", _detail_context(request, project, stand_form=form), status=400
    )


@login_needed
def certificate_owner(request, pk, member):
    """A team member's certificate, for the teacher, once the results are published."""
    project = access.project_for_owner(request.user, pk)
    if not project.edition.is_published:
        raise Http404
    members = selectors.certificate_members(project.edition, project=project, member_id=member)
    if not members:
        raise Http404
    return _pdf(documents.certificates_pdf(members), documents.certificate_filename(members[0]))


@login_needed
def written_work(request, pk):
    """The written work: for staff, the team's teacher and the project's jury (no one else, 404)."""
    project = access.project_for_reader(request.user, pk)
    if not project.written_work:
        raise Http404
    response = FileResponse(project.written_work.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
