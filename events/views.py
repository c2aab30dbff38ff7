from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import staff_required
from core.tables import table_response
from events import access, selectors, services
from events.forms import (
    AudienceForm,
    CalendarFilterForm,
    CancelForm,
    EventForm,
    InviteForm,
    MoveOnlineForm,
    QuestionForm,
    RegistrationForm,
    YearForm,
)
from events.ics import feed_ics, registrant_ics
from events.models import Event, Registration
from events.services import RegistrationRefused

# --- public -----------------------------------------------------------------------------


def _calendar_filters(request) -> tuple[CalendarFilterForm, selectors.CalendarFilters]:
    form = CalendarFilterForm(request.GET or None, topics=selectors.calendar_choices()["topics"])
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.CalendarFilters(
            kind=data["art"], topic=data["thema"], mode=data["format"], month=data["monat"] or ""
        )
    return form, selectors.CalendarFilters()


def calendar(request):
    form, filters = _calendar_filters(request)
    events = selectors.calendar_events(filters)
    feed_query = request.GET.urlencode()
    return render(
        request, "events/calendar.html", {"form": form, "filters": filters, "events": events, "feed_query": feed_query}
    )


def feed(request):
    _form, filters = _calendar_filters(request)
    response = HttpResponse(feed_ics(selectors.feed_events(filters)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="veranstaltungen.ics"'
    return response


def detail(request, slug):
    event = access.event_for_public(slug)
    availability = selectors.audience_availability(event)
    closed_reason = services.registration_is_open(event)
    form = None
    if not closed_reason:
        form = RegistrationForm(request.POST or None, event=event, availability=availability)
        if request.method == "POST" and form.is_valid():
            try:
                registration = services.registration_create(event=event, data=form.to_input(get_language() or "de"))
            except RegistrationRefused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _status_message(registration))
                return redirect("events:registration_manage", token=registration.token)
    elif request.method == "POST":
        messages.error(request, closed_reason)
    context = {
        "event": event, "availability": availability, "form": form, "closed_reason": closed_reason,
        "jsonld": selectors.jsonld_script(selectors.event_jsonld(event)),
        "status_key": selectors.event_status_key(event),
    }  # fmt: skip
    return render(request, "events/detail.html", context, status=400 if form is not None and form.errors else 200)


def _status_message(registration: Registration) -> str:
    if registration.status == Registration.Status.WAITING:
        return _("Die Plätze sind vergeben: Sie stehen auf Platz %(n)s der Warteliste. Wir schreiben Ihnen, sobald ein Platz frei wird.") % {
            "n": services.waiting_position(registration)
        }  # fmt: skip
    if registration.status == Registration.Status.PENDING:
        return _("Danke! Ihre Anmeldung wird geprüft; Sie erhalten eine E-Mail, sobald sie bestätigt ist.")
    return _("Sie sind angemeldet. Die Bestätigung mit Kalendereintrag ist per E-Mail unterwegs.")


def event_ics(request, slug):
    event = access.event_for_public(slug)
    response = HttpResponse(registrant_ics(event, with_access=False), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def registration_manage(request, token):
    registration = access.registration_by_token(token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.registration_cancel(registration=registration)
                messages.success(request, _("Ihre Anmeldung ist storniert. Danke, dass Sie Bescheid gegeben haben."))
            elif action == "accept":
                services.registration_accept_offer(registration=registration)
                messages.success(request, _("Ihr Platz ist bestätigt. Die Bestätigung ist per E-Mail unterwegs."))
        except RegistrationRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("events:registration_manage", token=token)
    position = services.waiting_position(registration) if registration.status == Registration.Status.WAITING else None
    return render(
        request, "events/registration_manage.html",
        {"registration": registration, "event": registration.event, "position": position, "now": timezone.now()},
    )  # fmt: skip


# --- staff ------------------------------------------------------------------------------


@staff_required
def staff_list(request):
    year = request.GET.get("jahr", "")
    events = selectors.staff_events(
        year=int(year) if year.isdigit() else None, status=request.GET.get("status", ""), q=request.GET.get("q", "")
    )
    return render(
        request, "events/staff_list.html",
        {"events": events, "statuses": Event.Status.choices, "year": year, "status": request.GET.get("status", ""),
         "q": request.GET.get("q", "")},
    )  # fmt: skip


@staff_required
def staff_figures(request):
    form = YearForm(request.GET or None)
    year = form.year()
    figures = selectors.event_figures(year)
    kinds = [(label, figures[f"type.{kind}"]) for kind, label in Event.Kind.choices]
    modes = [(label, figures[f"mode.{mode}"]) for mode, label in Event.Mode.choices]
    return render(
        request, "events/staff_figures.html",
        {"form": form, "year": year, "figures": figures, "kinds": kinds, "modes": modes},
    )  # fmt: skip


@staff_required
def staff_edit(request, pk=None):
    event = access.event_for_staff(request.user, pk) if pk else Event()
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event, change = services.event_save(
                event=form.save(commit=False), user=request.user, message=form.cleaned_data["change_message"]
            )
        except RegistrationRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            form.save_m2m()
            messages.success(request, _("„%(title)s“ ist gespeichert.") % {"title": event.title})
            if change is not None:
                messages.info(
                    request,
                    _("%(n)s Angemeldete werden über die Änderung benachrichtigt.") % {"n": change.notices.count()},
                )
            return redirect("events:staff_detail", pk=event.pk)
    return render(request, "events/staff_form.html", {"form": form, "event": event})


@staff_required
def staff_detail(request, pk):
    event = access.event_for_staff(request.user, pk)
    changes = list(event.changes.all()[:20])
    progress = {row["change_id"]: row for row in selectors.notice_progress([c.pk for c in changes])}
    for change in changes:
        change.progress = progress.get(change.pk, {})
    return render(
        request, "events/staff_detail.html",
        {"event": event, "availability": selectors.audience_availability(event), "changes": changes,
         "audience_form": AudienceForm(), "question_form": QuestionForm(),
         "jsonld": selectors.event_jsonld(event)},
    )  # fmt: skip


@staff_required
@require_POST
def staff_audience_add(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = AudienceForm(request.POST)
    if form.is_valid():
        audience = form.save(commit=False)
        audience.event = event
        audience.position = event.audiences.count()
        audience.save()
        messages.success(request, _("Die Zielgruppe ist angelegt."))
    else:
        messages.error(request, _("Die Zielgruppe konnte nicht angelegt werden: bitte Bezeichnung angeben."))
    return redirect("events:staff_detail", pk=pk)


@staff_required
@require_POST
def staff_question_add(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        question = form.save(commit=False)
        question.event = event
        question.position = event.questions.count()
        question.save()
        messages.success(request, _("Die Frage ist angelegt."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("events:staff_detail", pk=pk)


@staff_required
def staff_cancel(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.event_cancel(event=event, user=request.user, message=form.cleaned_data["message"])
        except RegistrationRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Die Veranstaltung ist abgesagt; %(n)s Angemeldete werden benachrichtigt.")
                % {"n": change.notices.count()},
            )
        return redirect("events:staff_detail", pk=pk)
    return render(request, "events/staff_cancel.html", {"form": form, "event": event})


@staff_required
def staff_move_online(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = MoveOnlineForm(request.POST or None, initial={"online_url": event.online_url})
    if request.method == "POST" and form.is_valid():
        try:
            change = services.event_move_online(
                event=event, online_url=form.cleaned_data["online_url"], user=request.user,
                message=form.cleaned_data["message"],
            )  # fmt: skip
        except RegistrationRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Die Veranstaltung findet online statt; %(n)s Angemeldete werden benachrichtigt.")
                % {"n": change.notices.count()},
            )
        return redirect("events:staff_detail", pk=pk)
    return render(request, "events/staff_move_online.html", {"form": form, "event": event})


def _participant_filters(request) -> dict:
    return {
        "status": request.GET.get("status", ""),
        "audience": request.GET.get("zielgruppe", "") if request.GET.get("zielgruppe", "").isdigit() else "",
        "q": request.GET.get("q", "").strip()[:100],
    }


@staff_required
def staff_participants(request, pk):
    event = access.event_for_staff(request.user, pk)
    filters = _participant_filters(request)
    registrations = selectors.participants(event, **filters)
    questions = list(event.questions.all())
    for registration in registrations:
        answers = {answer.question_id: answer.value for answer in registration.answers.all()}
        registration.answer_cells = [answers.get(question.pk, "") for question in questions]
    return render(
        request, "events/staff_participants.html",
        {"event": event, "registrations": registrations, "filters": filters, "statuses": Registration.Status.choices,
         "questions": questions, "query": request.GET.urlencode()},
    )  # fmt: skip


@staff_required
def staff_export(request, pk):
    event = access.event_for_staff(request.user, pk)
    header, rows = selectors.export_rows(event, selectors.participants(event, **_participant_filters(request)))
    return table_response(
        request, filename=f"teilnehmende-{event.slug}", header=header, rows=rows, title=_("Teilnehmende")
    )


@staff_required
@require_POST
def staff_decide(request, pk):
    registration = access.registration_for_staff(request.user, pk)
    try:
        services.registration_decide(registration=registration, approve=request.POST.get("decision") == "approve")
        messages.success(request, _("%(name)s: Entscheidung gespeichert.") % {"name": registration.full_name})
    except RegistrationRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("events:staff_participants", pk=registration.event_id)


@staff_required
def staff_checkin(request, pk):
    event = access.event_for_staff(request.user, pk)
    q = request.GET.get("q", "").strip()[:100]
    people = selectors.check_in_list(event, q)
    template = "events/_checkin_rows.html" if request.headers.get("HX-Request") else "events/staff_checkin.html"
    checked = sum(1 for person in people if person.checked_in_at)
    return render(request, template, {"event": event, "people": people, "q": q, "checked": checked})


@staff_required
@require_POST
def staff_checkin_toggle(request, pk):
    registration = access.registration_for_staff(request.user, pk)
    try:
        services.registration_check_in(registration=registration, undo=request.POST.get("undo") == "1")
    except RegistrationRefused as refusal:
        messages.error(request, refusal.message)
    if request.headers.get("HX-Request"):
        return render(request, "events/_checkin_row.html", {"person": registration})
    query = request.POST.get("q", "")
    url = f"{_url('events:staff_checkin', pk=registration.event_id)}"
    return redirect(f"{url}?q={query}" if query else url)


def _url(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


@staff_required
def staff_invite(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.event_invite_people(
            event=event, emails=form.email_list(), invited_by=request.user, message=form.cleaned_data["message"]
        )
        messages.success(request, _("%(n)s Einladungen werden verschickt.") % {"n": count})
        return redirect("events:staff_detail", pk=pk)
    return render(request, "events/staff_invite.html", {"form": form, "event": event})


@staff_required
def staff_matching(request, pk):
    event = access.event_for_staff(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "generate":
                plan = services.meeting_plan_generate(event=event)
                messages.success(
                    request,
                    _("Vorschlag erstellt: %(n)s Gespräche, jede/r Studierende mindestens %(q)s.")
                    % {"n": len(plan.slots), "q": min(plan.per_student.values(), default=0)},
                )
            elif action == "save":
                grid = {}
                for key, value in request.POST.items():
                    if key.startswith("cell_"):
                        _prefix, student_id, round_number = key.split("_")
                        grid[(int(student_id), int(round_number))] = int(value) if value.isdigit() else None
                count = services.meeting_plan_replace(event=event, grid=grid)
                messages.success(request, _("Plan gespeichert: %(n)s Gespräche.") % {"n": count})
            elif action == "send":
                count = services.meeting_schedules_send(event=event)
                messages.success(request, _("%(n)s persönliche Ablaufpläne werden verschickt.") % {"n": count})
        except (RegistrationRefused, ValueError) as refusal:
            messages.error(request, getattr(refusal, "message", _("Der Plan konnte nicht gelesen werden.")))
        return redirect("events:staff_matching", pk=pk)
    grid = selectors.meeting_grid(event)
    return render(
        request, "events/staff_matching.html",
        {"event": event, "grid": grid, "times": services.round_times(event),
         "below": [row for row in grid["rows"] if row["count"] < event.min_meetings]},
    )  # fmt: skip
