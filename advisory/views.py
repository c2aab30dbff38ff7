from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advisory import access, selectors, services
from advisory.forms import (
    BookingForm,
    ConsultationFilterForm,
    ConsultationForm,
    DayEditForm,
    DayForm,
    DaySeriesForm,
    MatcherForm,
    MoveForm,
    ProgrammeFilterForm,
    ProgrammeForm,
)
from advisory.ics import CANCEL, PUBLISH, booking_ics, expert_feed_ics
from advisory.models import Booking, Consultation, ConsultationDay
from core.errors import ServiceError
from core.figures import all_figures, figures_for_year
from core.fragments import cached_page, row_key, template_fragment
from core.http import private_page, safe_next_url, show_refusal
from core.params import id_param, page_param, year_param
from core.permissions import role_required, staff_required
from core.roles import Role
from core.tables import table_response

expert_or_staff = role_required(Role.STAFF, Role.EXPERT)


def _language() -> str:
    return (get_language() or "de")[:2]


# --- public: consultation days -------------------------------------------------------------


def days_public(request):
    all_series = selectors.public_series()
    series = next((s for s in all_series if s.slug == request.GET.get("reihe")), None)
    return render(
        request,
        "advisory/days_public.html",
        {"days": selectors.public_days(series), "all_series": all_series, "series": series},
    )


def _slot_choices(day: ConsultationDay, page: selectors.PublicDay):
    """A slots day lets the visitor pick a time; a group day gives the next free seat."""
    return page.free if day.format == ConsultationDay.Format.SLOTS else None


def _day_public_page(request, day, page, *, form=None, waitlist_form=None, status=200):
    """The day's page. Its content is the same for every visitor who sees the same day, counts and
    form, so it comes from ``core.fragments``, keyed by every other value it shows (the day's and
    series' rows, the expert's name, how many slots, what the day offers, the time zone); the number of
    free slots, how many wait, the CSRF token and the form (``BookingForm.html``: empty, or with the
    visitor's input and errors) are filled in on every request. All of it read fresh."""
    shown = "cancelled" if day.is_cancelled else "past" if day.is_past else "booking" if page.free else "waitlist"
    form_html = ""
    if shown == "booking":
        form_html = BookingForm.html(prefix="b", slots=_slot_choices(day, page), form=form)
    elif shown == "waitlist":
        form_html = BookingForm.html(prefix="w", form=waitlist_form)
    expert_name = day.expert.get_full_name()
    waiting = other_days_html = ""
    if shown == "waitlist":
        waiting = ngettext(
            "Derzeit wartet %(counter)s Person.", "Derzeit warten %(counter)s Personen.", page.waiting
        ) % {"counter": page.waiting}
        other_days_html = _other_free_days_html(request, day)
    key = (
        "advisory.day_page", row_key(day), row_key(day.series), expert_name, len(page.slots), shown,
        timezone.get_current_timezone_name(),
    )  # fmt: skip
    context = {
        "day": day, "expert_name": expert_name, "slot_count": len(page.slots), "shown": shown,
        "consent_wording": services.CONSENT_WORDING,
    }  # fmt: skip
    content_html = template_fragment(
        request, key, "advisory/_day_public_content.html", context,
        per_request={
            "free_count": str(len(page.free)), "waiting": waiting, "form_html": form_html,
            "other_days_html": other_days_html,
        },
    )  # fmt: skip
    return cached_page(
        request, "advisory/day_public.html", {"day": day}, key=(row_key(day), row_key(day.series)),
        per_request={"content_html": content_html}, status=status,
    )  # fmt: skip


def _other_free_days_html(request, day: ConsultationDay) -> str:
    """On a full day's page: the next days of its series with a free place, before its waiting list
    (read fresh; the list's HTML is rendered once per process and set of days)."""
    days = selectors.other_free_days(day)
    if not days:
        return ""
    key = ("advisory.other_free_days", tuple(row_key(other) for other in days))
    return template_fragment(request, key, "advisory/_other_free_days.html", {"days": days})


def day_public(request, pk):
    day, page = access.public_day_page(pk)
    if request.method != "POST":
        return _day_public_page(request, day, page)
    form = BookingForm(request.POST, slots=_slot_choices(day, page), prefix="b")
    if form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                day_id=day.pk, slot_id=data.get("slot"), name=data["name"], email=data["email"],
                company_name=data["company_name"], description=data["description"], consent=data["consent"],
                language=_language(),
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
            page = selectors.public_day(day)  # refused in the day's lock: show the slots free now
        else:
            messages.success(
                request, _("Ihr Termin ist gebucht. Die Bestätigung mit Kalenderdatei ist per E-Mail unterwegs.")
            )
            return redirect("advisory:booking_manage", token=booking.token)
    return _day_public_page(request, day, page, form=form, status=400)


@require_POST
def waitlist_join(request, pk):
    day = access.public_day(pk)
    form = BookingForm(request.POST, prefix="w")
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.waitlist_join(
                day_id=day.pk, name=data["name"], email=data["email"], company_name=data["company_name"],
                description=data["description"], consent=data["consent"], language=_language(),
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(
                request,
                _("Sie stehen auf der Warteliste. Wird ein Platz frei, bieten wir ihn Ihnen per E-Mail an."),
            )
            return redirect("advisory:waitlist_manage", token=entry.token)
    return _day_public_page(request, day, selectors.public_day(day), waitlist_form=form, status=400)


@private_page
def booking_manage(request, token):
    booking = access.booking_for_token(token)
    changeable = services.booking_change_refusal(booking) is None
    move_form = None
    if changeable and booking.status == Booking.Status.CONFIRMED:
        slots = selectors.free_slots_for_move(booking)
        move_form = MoveForm(slots=slots) if slots else None
    return render(
        request, "advisory/booking_manage.html", {"booking": booking, "changeable": changeable, "move_form": move_form}
    )


def _token_action(request, token, action, success):
    try:
        action()
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, success)
    return redirect("advisory:booking_manage", token=token)


@private_page
@require_POST
def booking_cancel(request, token):
    access.booking_for_token(token)
    return _token_action(
        request,
        token,
        lambda: services.booking_cancel(token=token),
        _("Ihre Buchung ist storniert. Danke für die Absage."),
    )


@private_page
@require_POST
def booking_move(request, token):
    booking = access.booking_for_token(token)
    form = MoveForm(request.POST, slots=selectors.free_slots_for_move(booking))
    if not form.is_valid():
        messages.error(request, _("Dieser Termin ist nicht mehr frei. Bitte wählen Sie einen anderen."))
        return redirect("advisory:booking_manage", token=token)
    return _token_action(
        request,
        token,
        lambda: services.booking_move(token=token, slot_id=form.cleaned_data["slot"]),
        _("Ihr Termin ist verschoben. Die neue Bestätigung ist per E-Mail unterwegs."),
    )


@private_page
@require_POST
def offer_accept(request, token):
    access.booking_for_token(token)
    return _token_action(
        request,
        token,
        lambda: services.offer_accept(token=token),
        _("Sie haben den Termin angenommen. Er ist jetzt fest gebucht."),
    )


@private_page
def booking_ics_download(request, token):
    booking = access.booking_for_token(token)
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.CANCELLED):
        raise Http404
    method = CANCEL if booking.status == Booking.Status.CANCELLED else PUBLISH
    response = HttpResponse(booking_ics(booking, method=method), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="termin.ics"'
    return response


@private_page
def waitlist_manage(request, token):
    entry = access.waitlist_entry_for_token(token)
    if request.method == "POST":
        try:
            services.waitlist_leave(token=token)
        except ServiceError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Sie sind von der Warteliste ausgetragen."))
        return redirect("advisory:waitlist_manage", token=token)
    return render(
        request, "advisory/waitlist_manage.html", {"entry": entry, "position": selectors.waitlist_position(entry)}
    )


# --- public: funding programmes ----------------------------------------------------------------


def _programme_filters(request) -> tuple[ProgrammeFilterForm, selectors.ProgrammeFilters]:
    form = ProgrammeFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProgrammeFilters(
            q=data["q"], level=data["level"], topic=data["topic"], status=data["status"],
            max_employees=data["employees"],
        )  # fmt: skip
    else:
        filters = selectors.ProgrammeFilters()
    return form, filters


def programmes_public(request):
    form, filters = _programme_filters(request)
    return render(
        request, "advisory/programmes_public.html", {"form": form, "programmes": selectors.programme_list(filters)}
    )


# --- staff: overview and figures ------------------------------------------------------------------


@staff_required
def overview(request):
    year = year_param(request.GET, "jahr")
    labels = {figure.key: figure.label for figure in all_figures()}
    figure_rows = [
        {"label": labels.get(key, key), "value": value} for key, value in figures_for_year(year, "advisory.").items()
    ]
    return render(
        request,
        "advisory/overview.html",
        {
            "year": year,
            "figure_rows": figure_rows,
            "day_figures": selectors.day_figures(year),
            "topics": selectors.talks_per_topic(year),
            "series_rows": selectors.series_figures(year),
            "follow_ups": selectors.follow_ups_due(request.user),
        },
    )


# --- staff: consultation log -------------------------------------------------------------------


def _consultation_initial(consultation: Consultation) -> dict:
    return {
        "organisation": consultation.organisation,
        "person": consultation.person,
        "contact_name": consultation.contact_name,
        "contact_email": consultation.contact_email,
        "date": consultation.date,
        "channel": consultation.channel,
        "duration_minutes": consultation.duration_minutes,
        "topics": list(consultation.topics.all()),
        "outcome": consultation.outcome,
        "follow_up_on": consultation.follow_up_on,
        "programmes": list(consultation.programmes.all()),
    }


@staff_required
def consultation_edit(request, pk=None):
    consultation = access.consultation_for_user(request.user, pk) if pk else None
    recent = selectors.recent_organisation_labels(request.user)
    if request.method == "POST":
        form = ConsultationForm(request.POST, recent=recent)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.consultation_save(
                    consultation=consultation, adviser=request.user, organisation=data["organisation"],
                    person=data["person"], contact_name=data["contact_name"], contact_email=data["contact_email"],
                    date=data["date"], channel=data["channel"], duration_minutes=data["duration_minutes"],
                    topics=data["topics"], outcome=data["outcome"], follow_up_on=data["follow_up_on"],
                    programmes=data["programmes"],
                )  # fmt: skip
            except ServiceError as error:
                show_refusal(request, error, form)
            else:
                messages.success(request, _("Das Gespräch ist gespeichert."))
                if "weiter" in request.POST:
                    return redirect("advisory:consultation_create")
                return redirect("advisory:consultation_edit", pk=saved.pk)
        status = 400
    else:
        if consultation:
            form = ConsultationForm(
                initial=_consultation_initial(consultation), organisation=consultation.organisation, recent=recent
            )
        else:
            initial = {"date": timezone.localdate(), "channel": Consultation.Channel.PHONE, "duration_minutes": 30}
            form = ConsultationForm(initial=initial, recent=recent)
        status = 200
    return render(
        request, "advisory/consultation_form.html", {"form": form, "consultation": consultation}, status=status
    )


@staff_required
@require_POST
def consultation_follow_up_done(request, pk):
    consultation = access.consultation_for_user(request.user, pk)
    services.consultation_follow_up_done(consultation=consultation)
    messages.success(request, _("Die Wiedervorlage ist erledigt."))
    return redirect(safe_next_url(request, reverse("core:start")))


def _consultation_filters(request):
    form = ConsultationFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ConsultationFilters(
            year=data["year"], topic=data["topic"], adviser_id=data["adviser"].pk if data["adviser"] else None,
            district_id=data["district"].pk if data["district"] else None,
        )  # fmt: skip
    else:
        filters = selectors.ConsultationFilters()
    return form, filters


@staff_required
def consultation_list(request):
    form, filters = _consultation_filters(request)
    if request.GET.get("format") in ("csv", "xlsx"):
        header, rows = selectors.consultation_export(filters)
        return table_response(
            request, filename="beratungsgespraeche", header=header, rows=rows, title="beratungsgespraeche", stream=True
        )
    paginator = Paginator(selectors.consultation_list(filters), selectors.CONSULTATION_PAGE_SIZE)
    page = paginator.get_page(page_param(request.GET))
    query = request.GET.copy()  # the filters, kept by the page links and the exports
    query.pop("format", None)
    query.pop("seite", None)
    return render(request, "advisory/consultation_list.html", {"form": form, "page": page, "query": query.urlencode()})


# --- staff: funding programmes ------------------------------------------------------------------


@staff_required
def programme_list(request):
    form, filters = _programme_filters(request)
    return render(
        request, "advisory/programme_list.html", {"form": form, "programmes": selectors.programme_list(filters)}
    )


@staff_required
def programme_edit(request, pk=None):
    programme = access.programme_for_user(request.user, pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        # the valid form has put its values on form.instance; the service stores it with its topics
        programme = services.programme_save(programme=form.instance, topics=form.cleaned_data["topics"])
        messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": programme.short_name})
        return redirect("advisory:programme_list")
    return render(
        request,
        "advisory/programme_form.html",
        {"form": form, "programme": programme},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def matcher(request):
    form = MatcherForm(request.GET or None)
    matches = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        matches = selectors.matcher_run(
            organisation=data["organisation"], employees=data["employees"], wz_section=data["wz_section"],
            district=data["district"], topics=data["topics"], budget=data["budget"], starts_on=data["starts_on"],
        )  # fmt: skip
    return render(request, "advisory/matcher.html", {"form": form, "matches": matches})


# --- staff and experts: consultation days ---------------------------------------------------------------


@staff_required
def day_list(request):
    filters = selectors.DayFilters(
        year=year_param(request.GET, "jahr", default=None), series_id=id_param(request.GET, "reihe")
    )
    return render(
        request,
        "advisory/day_list.html",
        {
            "days": selectors.staff_days(request.user, filters),
            "all_series": selectors.all_series(),
            "filters": filters,
            "title": _("Sprechtage"),
            "is_staff_view": True,
        },
    )


@role_required(Role.EXPERT)
def expert_schedule(request):
    calendar = selectors.expert_calendar(request.user)
    return render(
        request,
        "advisory/day_list.html",
        {
            "days": selectors.staff_days(request.user, selectors.DayFilters(), only_own=True),
            "title": _("Meine Sprechtage"),
            "is_staff_view": False,
            "calendar": calendar,
            "feed_url": request.build_absolute_uri(calendar.get_absolute_url()) if calendar else "",
        },
    )


@role_required(Role.EXPERT)
@require_POST
def expert_feed_reset(request):
    try:
        services.expert_calendar_reset(expert=request.user)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("Ihre Kalender-Adresse ist eingerichtet. Eine frühere Adresse funktioniert nicht mehr.")
        )
    return redirect(reverse("advisory:expert_schedule") + "#kalender-abo")


@private_page
def expert_feed(request, token):
    """The expert's own days as a subscribable calendar, opened by the secret address."""
    expert = access.expert_for_feed_token(token)
    name = _("Sprechtage von %(name)s") % {"name": expert.get_full_name() or expert.email}
    response = HttpResponse(
        expert_feed_ics(selectors.expert_feed_days(expert), name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="sprechtage.ics"'
    return response


@staff_required
def day_create(request):
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            day = services.day_create(
                series=data["series"], starts_at=data["starts_at"], expert=data["expert"], place=data["place"],
                online_url=data["online_url"], format=data["format"], slot_minutes=data["slot_minutes"],
                slot_count=data["slot_count"], note=data["note"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Der Sprechtag ist angelegt."))
            return redirect("advisory:day_detail", pk=day.pk)
    return render(request, "advisory/day_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


@staff_required
def day_series_create(request):
    """Several days in one go; "Vorschau" lists the dates, "Anlegen" creates them."""
    form = DaySeriesForm(request.POST or None)
    dates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dates = form.dates()
        if request.POST.get("action") == "create":
            try:
                days = services.day_series_create(
                    series=data["series"], first_date=data["date"], time=data["time"], rule=data["rhythm"],
                    count=data["count"], skip=data["skip"], expert=data["expert"], place=data["place"],
                    online_url=data["online_url"], format=data["format"], slot_minutes=data["slot_minutes"],
                    slot_count=data["slot_count"], note=data["note"],
                )  # fmt: skip
            except ServiceError as error:
                show_refusal(request, error, form)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s Sprechtag ist angelegt.", "%(count)s Sprechtage sind angelegt.", len(days))
                    % {"count": len(days)},
                )
                return redirect(reverse("advisory:day_list") + f"?reihe={data['series'].pk}")
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "advisory/day_series_form.html", {"form": form, "dates": dates}, status=status)


@staff_required
def day_edit(request, pk):
    """Edit or move a whole day; everyone booked or waiting hears of a new time or place."""
    day = access.day_for_user(request.user, pk)
    form = DayEditForm.for_day(day, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.day_update(
                day=day, starts_at=data["starts_at"], expert=data["expert"], place=data["place"],
                online_url=data["online_url"], note=data["note"], message=data["message"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            if change.notified:
                messages.success(
                    request,
                    ngettext(
                        "Der Sprechtag ist geändert; %(count)s Person wird benachrichtigt.",
                        "Der Sprechtag ist geändert; %(count)s Personen werden benachrichtigt.",
                        change.notified,
                    )
                    % {"count": change.notified},
                )
            else:
                messages.success(request, _("Der Sprechtag ist gespeichert."))
            return redirect("advisory:day_detail", pk=day.pk)
    return render(
        request,
        "advisory/day_edit.html",
        {"form": form, "day": day, "affected": selectors.day_people_count(day)},
        status=400 if request.method == "POST" else 200,
    )


@expert_or_staff
def day_detail(request, pk):
    day = access.day_for_user(request.user, pk)
    return render(
        request,
        "advisory/day_detail.html",
        {
            "day": day,
            "slots": selectors.day_slots(day),
            "waitlist": selectors.day_waitlist(day),
            "can_cancel": request.user.has_role(Role.STAFF) and not day.is_cancelled and not day.is_past,
            "can_edit": request.user.has_role(Role.STAFF) and not day.is_cancelled and not day.is_past,
            "attendance_choices": Booking.Attendance.choices,
        },
    )


@expert_or_staff
@require_POST
def booking_attendance(request, pk):
    booking = access.booking_for_user(request.user, pk)
    try:
        services.booking_set_attendance(booking=booking, attendance=request.POST.get("attendance", ""))
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Anwesenheit gespeichert: %(name)s") % {"name": booking.name})
    return redirect("advisory:day_detail", pk=booking.day_id)


@staff_required
@require_POST
def day_cancel(request, pk):
    day = access.day_for_user(request.user, pk)
    if request.POST.get("confirm") != "ja":
        messages.error(request, _("Bitte bestätigen Sie die Absage mit dem Kontrollkästchen."))
        return redirect("advisory:day_detail", pk=pk)
    try:
        notified = services.day_cancel(day=day)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "Der Sprechtag ist abgesagt; %(count)s Person wird benachrichtigt.",
                "Der Sprechtag ist abgesagt; %(count)s Personen werden benachrichtigt.",
                notified,
            )
            % {"count": notified},
        )
    return redirect("advisory:day_detail", pk=pk)


@expert_or_staff
def bookings_export(request):
    day_id = id_param(request.GET, "tag")
    day = access.day_for_user(request.user, day_id) if request.GET.get("tag") else None
    expert = None if request.user.has_role(Role.STAFF) else request.user
    header, rows = selectors.bookings_export(day=day, year=year_param(request.GET, "jahr", default=None), expert=expert)
    return table_response(
        request, filename="sprechtag-buchungen", header=header, rows=rows, title="sprechtag-buchungen", stream=True
    )
