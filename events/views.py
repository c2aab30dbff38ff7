"""Thin views: parse the request, call a selector to read or a service to write, render."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.fragments import cached_page, fragment, request_csrf_token, row_key
from core.http import is_htmx, private_page, render_partial, show_refusal
from core.params import id_param, parse_int, year_param, year_range
from core.permissions import staff_required
from core.tables import table_response
from core.templatetags.core_tags import json_ld
from events import access, selectors, services
from events.forms import (
    AudienceForm,
    CalendarFilterForm,
    CancelForm,
    EventForm,
    InviteForm,
    MoveOnlineForm,
    PartnerProofForm,
    QuestionForm,
    RegistrationForm,
)
from events.ics import feed_ics, public_ics, registration_download_ics
from events.models import Event, Registration
from events.services import RegistrationRefused

# --- public -----------------------------------------------------------------------------


def _calendar_filters(request) -> tuple[CalendarFilterForm, selectors.CalendarFilters]:
    form = CalendarFilterForm(request.GET or None, topics=selectors.calendar_topics())
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.CalendarFilters(
            kind=data["art"], topic=data["thema"], mode=data["format"], month=data["monat"] or ""
        )
    return form, selectors.CalendarFilters()


def _calendar_response(text: str, filename: str, disposition: str = "attachment") -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def calendar(request):
    form, filters = _calendar_filters(request)
    events = selectors.calendar_events(filters)
    feed_query = request.GET.urlencode()
    cards = [_cached_part("events/_calendar_card.html", event) for event in events]
    content = {"form": form, "filters": filters, "events": events, "cards": cards, "feed_query": feed_query}
    return cached_page(
        request, "events/calendar.html", {}, key=(),
        per_request={"content_html": render_to_string("events/_calendar_content.html", content)},
    )  # fmt: skip


def _row_key(event: Event) -> tuple:
    """Every field of the event's row and its topic's name: what its card and its page show of it."""
    return (
        row_key(event),
        event.topic.name if event.topic_id else None,
    )


def _cached_part(template: str, event: Event, **extra) -> str:
    """A part of a page that shows only the event itself, rendered once per process for the same row
    (``core.fragments``): every field is in the key, so a cancellation or any other change shows on
    the very next request."""
    key = (template, _row_key(event), tuple(sorted(extra.items())))
    return fragment(key, lambda: render_to_string(template, {"event": event, **extra}))


def feed(request):
    _form, filters = _calendar_filters(request)
    return _calendar_response(feed_ics(selectors.feed_events(filters)), "veranstaltungen.ics", "inline")


def detail(request, slug):
    event = access.event_for_public(slug)
    availability = selectors.audience_availability(event)
    closed_reason = services.registration_is_open(event)
    form = form_html = None
    if not closed_reason and request.method != "POST":
        form_html = RegistrationForm.empty_html(event, availability)  # the same for every visitor
    elif not closed_reason:
        form = RegistrationForm(request.POST, event=event, availability=availability)
        if form.is_valid():
            try:
                registration = services.registration_create(event=event, data=form.to_input(get_language() or "de"))
            except RegistrationRefused as refusal:
                show_refusal(request, refusal, form)
            else:
                messages.success(request, _status_message(registration))
                return redirect("events:registration_manage", token=registration.token)
    elif request.method == "POST":
        messages.error(request, closed_reason)
    content = {
        "event": event, "availability": availability, "form": form, "form_html": form_html,
        "closed_reason": closed_reason, "event_html": _event_html(event, selectors.event_status_key(event)),
        "csrf_token": request_csrf_token(request),
    }  # fmt: skip
    # The page around the content (header, footer, title) is the same for every visitor of this event
    # (core.fragments.cached_page); the content, with the free seats, is rendered on every request.
    return cached_page(
        request, "events/detail.html", {"event": event}, key=(_row_key(event),),
        per_request={
            "content_html": render_to_string("events/_detail_content.html", content),
            "jsonld_html": json_ld(selectors.event_jsonld(event)),
        },
        status=400 if form is not None and form.errors else 200,
    )  # fmt: skip


def _event_html(event: Event, status_key: str) -> str:
    """The event's own part of its page (title, state, facts, text); partners and organisers too."""
    return _cached_part(
        "events/_detail_event.html", event, status_key=status_key,
        partners=tuple(str(o) for o in event.partners.all()), organisers=tuple(str(o) for o in event.organisers.all()),
    )  # fmt: skip


def _status_message(registration: Registration) -> str:
    if registration.status == Registration.Status.WAITING:
        return _("Die Plätze sind vergeben: Sie stehen auf Platz %(n)s der Warteliste. Wir schreiben Ihnen, sobald ein Platz frei wird.") % {
            "n": getattr(registration, "position", None) or services.waiting_position(registration)
        }  # fmt: skip
    if registration.status == Registration.Status.PENDING:
        return _("Danke! Ihre Anmeldung wird geprüft; Sie erhalten eine E-Mail, sobald sie bestätigt ist.")
    return _("Sie sind angemeldet. Die Bestätigung mit Kalendereintrag ist per E-Mail unterwegs.")


def event_ics(request, slug):
    """The public "add to calendar" file: METHOD:PUBLISH, never the online link."""
    event = access.event_for_public(slug)
    return _calendar_response(public_ics(event), f"{event.slug}.ics")


@private_page
def registration_manage(request, token):
    registration = access.registration_by_token(token)
    event = registration.event
    position = services.waiting_position(registration) if registration.status == Registration.Status.WAITING else None
    content = {
        "registration": registration, "event": event, "position": position,
        "can_cancel": services.registration_cancel_refusal(registration, event) is None,
        "calendar": selectors.registration_calendar(registration, event), "csrf_token": request_csrf_token(request),
    }  # fmt: skip
    return cached_page(
        request,
        "events/registration_manage.html",
        {},
        key=(),
        per_request={"content_html": render_to_string("events/_registration_manage_content.html", content)},
    )


@private_page
@require_POST
def registration_cancel(request, token):
    registration = access.registration_by_token(token)
    try:
        services.registration_cancel(registration=registration)
    except RegistrationRefused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, _("Ihre Anmeldung ist storniert. Danke, dass Sie Bescheid gegeben haben."))
    return redirect("events:registration_manage", token=token)


@private_page
@require_POST
def registration_accept(request, token):
    registration = access.registration_by_token(token)
    try:
        services.registration_accept_offer(registration=registration)
    except RegistrationRefused as refusal:
        show_refusal(request, refusal)
    else:
        messages.success(request, _("Ihr Platz ist bestätigt. Die Bestätigung ist per E-Mail unterwegs."))
    return redirect("events:registration_manage", token=token)


@private_page
def registration_ics(request, token):
    """The person's own calendar file: the entry for a confirmed seat, or its removal once cancelled."""
    registration = access.registration_by_token(token)
    event = registration.event
    if not selectors.registration_calendar(registration, event):
        raise Http404
    return _calendar_response(registration_download_ics(event, registration), f"{event.slug}.ics")


# --- staff ------------------------------------------------------------------------------


@staff_required
def staff_list(request):
    year = year_param(request.GET, default=None)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:100]
    events = selectors.staff_events(year=year, status=status, q=q)
    return render(
        request, "events/staff_list.html",
        {"events": events, "statuses": Event.Status.choices, "year": year, "years": year_range(), "status": status,
         "q": q},
    )  # fmt: skip


@staff_required
def staff_figures(request):
    year = year_param(request.GET)
    figures = selectors.event_figures(year)
    kinds = [(label, figures[f"type.{kind}"]) for kind, label in Event.Kind.choices]
    modes = [(label, figures[f"mode.{mode}"]) for mode, label in Event.Mode.choices]
    return render(
        request, "events/staff_figures.html",
        {"year": year, "years": year_range(), "figures": figures, "kinds": kinds, "modes": modes},
    )  # fmt: skip


@staff_required
def staff_edit(request, pk=None):
    event = access.event_for_staff(request.user, pk) if pk else Event()
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event, change = services.event_save(
                event=form.instance, partners=data["partners"], organisers=data["organisers"], user=request.user,
                message=data.get("change_message", ""),
            )  # fmt: skip
        except RegistrationRefused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(request, _("„%(title)s“ ist gespeichert.") % {"title": event.title})
            if change is not None:
                notified = change.notices.count()
                messages.info(
                    request,
                    ngettext(
                        "%(n)s angemeldete Person wird über die Änderung benachrichtigt.",
                        "%(n)s Angemeldete werden über die Änderung benachrichtigt.",
                        notified,
                    )
                    % {"n": notified},
                )
            return redirect("events:staff_detail", pk=event.pk)
    return render(request, "events/staff_form.html", {"form": form, "event": event})


def _staff_detail_page(request, event, *, audience_form=None, question_form=None, partner_form=None, status=200):
    partnerships = list(event.partnerships.all())
    return render(
        request, "events/staff_detail.html",
        {"event": event, "availability": selectors.audience_availability(event),
         "changes": selectors.event_changes(event), "invitations": selectors.event_invitations(event),
         "partnerships": partnerships, "status_label": selectors.event_status_label(event),
         "audience_form": audience_form or AudienceForm(), "question_form": question_form or QuestionForm(),
         "partner_form": partner_form or PartnerProofForm(partnerships=partnerships)},
        status=status,
    )  # fmt: skip


@staff_required
def staff_detail(request, pk):
    return _staff_detail_page(request, access.event_for_staff(request.user, pk))


@staff_required
@require_POST
def staff_audience_add(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = AudienceForm(request.POST)
    if form.is_valid():
        try:
            services.audience_create(event=event, **form.cleaned_data)
        except RegistrationRefused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(request, _("Die Zielgruppe ist angelegt."))
            return redirect("events:staff_detail", pk=pk)
    return _staff_detail_page(request, event, audience_form=form, status=400)


@staff_required
@require_POST
def staff_question_add(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_create(event=event, **form.cleaned_data)
        except RegistrationRefused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(request, _("Die Frage ist angelegt."))
            return redirect("events:staff_detail", pk=pk)
    return _staff_detail_page(request, event, question_form=form, status=400)


@staff_required
@require_POST
def staff_partners(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = PartnerProofForm(request.POST, partnerships=list(event.partnerships.all()))
    if form.is_valid():
        try:
            services.event_partners_update(event=event, proofs=form.proofs())
        except RegistrationRefused as refusal:
            show_refusal(request, refusal, form)
        else:
            messages.success(request, _("Die Nachweise der Partner sind gespeichert."))
            return redirect("events:staff_detail", pk=pk)
    return _staff_detail_page(request, event, partner_form=form, status=400)


@staff_required
def staff_cancel(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.event_cancel(event=event, user=request.user, message=form.cleaned_data["message"])
        except RegistrationRefused as refusal:
            show_refusal(request, refusal)
        else:
            notified = change.notices.count()
            messages.success(
                request,
                ngettext(
                    "Die Veranstaltung ist abgesagt; %(n)s angemeldete Person wird benachrichtigt.",
                    "Die Veranstaltung ist abgesagt; %(n)s Angemeldete werden benachrichtigt.",
                    notified,
                )
                % {"n": notified},
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
            show_refusal(request, refusal)
        else:
            notified = change.notices.count()
            messages.success(
                request,
                ngettext(
                    "Die Veranstaltung findet online statt; %(n)s angemeldete Person wird benachrichtigt.",
                    "Die Veranstaltung findet online statt; %(n)s Angemeldete werden benachrichtigt.",
                    notified,
                )
                % {"n": notified},
            )
        return redirect("events:staff_detail", pk=pk)
    return render(request, "events/staff_move_online.html", {"form": form, "event": event})


def _participant_filters(request) -> dict:
    status = request.GET.get("status", "")
    return {
        "status": status if status in Registration.Status.values else "",
        "audience": id_param(request.GET, "zielgruppe"),
        "q": request.GET.get("q", "").strip()[:100],
    }


@staff_required
def staff_participants(request, pk):
    event = access.event_for_staff(request.user, pk, only_audiences_and_questions=True)
    filters = _participant_filters(request)
    questions, registrations = selectors.participant_table(event, **filters)
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
        show_refusal(request, refusal)
    return redirect("events:staff_participants", pk=registration.event_id)


@staff_required
def staff_checkin(request, pk):
    event = access.event_for_staff(request.user, pk)
    q = request.GET.get("q", "").strip()[:100]
    people = selectors.check_in_list(event, q)
    checked = sum(1 for person in people if person.checked_in_at)
    return render_partial(
        request, "events/staff_checkin.html", "events/_checkin_rows.html",
        {"event": event, "people": people, "q": q, "checked": checked},
    )  # fmt: skip


@staff_required
@require_POST
def staff_checkin_toggle(request, pk):
    registration = access.registration_for_staff(request.user, pk)
    try:
        services.registration_check_in(registration=registration, undo=request.POST.get("undo") == "1")
    except RegistrationRefused as refusal:
        show_refusal(request, refusal)
    if is_htmx(request):
        return render(request, "events/_checkin_row.html", {"person": registration})
    url = reverse("events:staff_checkin", kwargs={"pk": registration.event_id})
    query = request.POST.get("q", "").strip()[:100]
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@staff_required
def staff_invite(request, pk):
    event = access.event_for_staff(request.user, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.event_invite_people(
            event=event, emails=form.email_list(), invited_by=request.user, message=form.cleaned_data["message"]
        )
        messages.success(
            request,
            ngettext("%(n)s Einladung wird verschickt.", "%(n)s Einladungen werden verschickt.", count) % {"n": count},
        )
        return redirect("events:staff_detail", pk=pk)
    return render(request, "events/staff_invite.html", {"form": form, "event": event})


def _meeting_grid(post) -> dict[tuple[int, int], int | None]:
    """``cell_<student>_<round> = boss`` from the plan form; anything not a number is refused."""
    grid = {}
    for key, value in post.items():
        if not key.startswith("cell_"):
            continue
        _prefix, _sep, rest = key.partition("_")
        student_text, _sep, round_text = rest.partition("_")
        student_id = parse_int(student_text, minimum=1)
        round_number = parse_int(round_text, minimum=1, maximum=1000)
        boss_id = parse_int(value, minimum=1) if value else None
        if student_id is None or round_number is None or (value and boss_id is None):
            raise RegistrationRefused(_("Der Plan konnte nicht gelesen werden."))
        grid[(student_id, round_number)] = boss_id
    return grid


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
                    ngettext(
                        "Vorschlag erstellt: %(n)s Gespräch, jede/r Studierende mindestens %(q)s.",
                        "Vorschlag erstellt: %(n)s Gespräche, jede/r Studierende mindestens %(q)s.",
                        len(plan.slots),
                    )
                    % {"n": len(plan.slots), "q": min(plan.per_student.values(), default=0)},
                )
            elif action == "save":
                count = services.meeting_plan_replace(event=event, grid=_meeting_grid(request.POST))
                messages.success(
                    request,
                    ngettext("Plan gespeichert: %(n)s Gespräch.", "Plan gespeichert: %(n)s Gespräche.", count)
                    % {"n": count},
                )
            elif action == "send":
                count = services.meeting_schedules_send(event=event)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s persönlicher Ablaufplan wird verschickt.",
                        "%(n)s persönliche Ablaufpläne werden verschickt.",
                        count,
                    )
                    % {"n": count},
                )
        except RegistrationRefused as refusal:
            show_refusal(request, refusal)
        return redirect("events:staff_matching", pk=pk)
    grid = selectors.meeting_grid(event)
    return render(
        request, "events/staff_matching.html",
        {"event": event, "grid": grid, "below": [row for row in grid["rows"] if row["count"] < event.min_meetings]},
    )  # fmt: skip
