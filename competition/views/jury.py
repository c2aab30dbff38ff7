"""The jury area: assigned projects, the written work, the rubric, progress and deadlines, the ranking."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competition import access, selectors, services
from competition.forms import ConflictForm, ScoreForm
from competition.models import JuryMember, Project, ScoreSheet
from core.errors import ServiceError
from core.http import show_refusal
from core.permissions import role_required
from core.roles import Role


@role_required(Role.JUROR)
def jury_home(request):
    assignments = selectors.juror_assignments(request.user)
    edition = assignments[0].membership.jury.edition if assignments else None
    return render(
        request,
        "competition/jury_home.html",
        {"assignments": assignments, "edition": edition, "today": timezone.localdate()},
    )


def _default_phase(project: Project) -> str:
    return ScoreSheet.Phase.AFTER if timezone.localdate() >= project.edition.contest_date else ScoreSheet.Phase.BEFORE


@role_required(Role.JUROR)
def jury_project(request, pk):
    project = access.project_for_juror(request.user, pk)
    edition = project.edition
    criteria = list(edition.criteria.all())
    sheets = selectors.juror_sheets(project, request.user)
    phase = request.GET.get("phase") if request.GET.get("phase") in ScoreSheet.Phase.values else _default_phase(project)
    initial = {"phase": phase}
    if phase in sheets:
        initial.update({f"k{cid}": points for cid, points in sheets[phase]["points"].items()})
        initial["comment"] = sheets[phase]["comment"]
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.score_save(
                juror=request.user, project=project, phase=form.cleaned_data["phase"], points=form.points(),
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(
                request,
                _("Bewertung gespeichert (%(phase)s): %(total)s von 100 Punkten.")
                % {"phase": sheet.get_phase_display(), "total": sheet.total},
            )
            return redirect("competition:jury_project", pk=pk)
    team = selectors.project_team(project)
    return render(
        request,
        "competition/jury_project.html",
        {
            "project": project,
            "edition": edition,
            "form": form,
            "sheets": sheets,
            "team": team,
            "division": edition.division_label(project.division),
            "conflict_form": ConflictForm(),
            "published": edition.is_published,
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


@role_required(Role.JUROR)
@require_POST
def conflict_declare(request, pk):
    project = access.project_for_juror(request.user, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(project=project, user=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Ihre Befangenheit ist vermerkt; das Projekt bewerten die anderen Jurymitglieder.")
            )
            return redirect("competition:jury_home")
    else:
        messages.error(request, _("Bitte nennen Sie kurz den Grund."))
    return redirect("competition:jury_project", pk=pk)


@role_required(Role.JUROR, Role.STAFF)
def jury_ranking(request, pk):
    """Raw and normalised scores, the ranking with ties; the chair (or staff) records the final places."""
    jury = access.jury_for_user(request.user, pk)
    may_decide = (
        request.user.has_role(Role.STAFF)
        or JuryMember.objects.filter(jury=jury, user=request.user, is_chair=True).exists()
    )
    posted, error = {}, None
    if request.method == "POST":
        access.jury_for_decision(request.user, jury)
        for key in request.POST:
            if key.startswith("place_") and key[6:].isdigit():
                raw = request.POST.get(key, "")
                posted[int(key[6:])] = (
                    int(raw) if raw in ("1", "2", "3") else None,
                    request.POST.get(f"reason_{key[6:]}", ""),
                )
        try:
            placed = services.jury_decide(jury=jury, decided_by=request.user, placements=posted)
        except ServiceError as refusal:
            error = refusal
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("Die Entscheidung der Jury ist gespeichert (%(n)s Platzierungen).") % {"n": placed}
            )
            return redirect("competition:jury_ranking", pk=jury.pk)
    ranking = selectors.jury_ranking(jury)
    for row in ranking.rows:
        row.form_place, row.form_reason = posted.get(row.project.pk, (row.project.place, row.project.decision_reason))
        row.error = error.message if error is not None and error.field == f"reason_{row.project.pk}" else ""
    return render(
        request,
        "competition/jury_ranking.html",
        {
            "jury": jury,
            "ranking": ranking,
            "may_decide": may_decide and not jury.edition.is_published,
            "places": [(1, _("1. Preis")), (2, _("2. Preis")), (3, _("3. Preis"))],
        },  # fmt: skip
        status=400 if error is not None else 200,
    )
