from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advisory import selectors, services
from advisory.access import booking_for_user, day_for_user
from advisory.forms import (
    BookingForm,
    ConsultationFilterForm,
    ConsultationForm,
    DayForm,
    MatcherForm,
    MoveForm,
    ProgrammeFilterForm,
    ProgrammeForm,
)
from advisory.ics import booking_ics
from advisory.matching import CompanyProfile, ProjectProfile
from advisory.models import Booking, Consultation, ConsultationDay, ConsultationSeries, FundingProgramme, WaitlistEntry
from core.figures import all_figures, figures_for_year
from core.permissions import role_required, staff_required
from core.roles import Role
from core.tables import table_response

expert_or_staff = role_required(Role.STAFF, Role.EXPERT)


def _language() -> str:
    return (get_language() or "de")[:2]


def _year(request) -> int:
    try:
        return int(request.GET.get("jahr") or request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


# --- public: consultation days -------------------------------------------------------------


def days_public(request):
    series_slug = request.GET.get("reihe", "")
    series = ConsultationSeries.objects.filter(slug=series_slug, is_public=True).first() if series_slug else None
    return render(
        request,
        "advisory/days_public.html",
        {
            "days": selectors.public_days(series),
            "all_series": ConsultationSeries.objects.filter(is_public=True),
            "series": series,
        },
    )


def _day_public_context(day, form=None, waitlist_form=None):
    slots = selectors.day_slots(day)
    free = [s for s in slots if s.holder is None]
    bookable = not day.is_cancelled and not day.is_past and day.series.is_public
    if form is None and free:
        form = BookingForm(slots=free if day.format == ConsultationDay.Format.SLOTS else None, prefix="b")
    if waitlist_form is None and not free:
        waitlist_form = BookingForm(prefix="w")
    return {
        "day": day, "slots": slots, "free": free, "bookable": bookable, "form": form,
        "waitlist_form": waitlist_form,
        "waiting": day.waitlist.filter(status=WaitlistEntry.Status.WAITING).count(),
        "consent_wording": services.CONSENT_WORDING,
    }  # fmt: skip


def day_public(request, pk):
    day = get_object_or_404(ConsultationDay.objects.select_related("series", "expert"), pk=pk, series__is_public=True)
    if request.method == "POST":
        slots = [s for s in selectors.day_slots(day) if s.holder is None]
        form = BookingForm(
            request.POST, slots=slots if day.format == ConsultationDay.Format.SLOTS else None, prefix="b"
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.booking_create(
                    day_id=day.pk, slot_id=data.get("slot"), name=data["name"], email=data["email"],
                    company_name=data["company_name"], description=data["description"], consent=data["consent"],
                    language=_language(),
                )  # fmt: skip
            except services.BookingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Ihr Termin ist gebucht. Die Bestätigung mit Kalenderdatei ist per E-Mail unterwegs.")
                )
                return redirect("advisory:booking_manage", token=booking.token)
        return render(request, "advisory/day_public.html", _day_public_context(day, form=form), status=400)
    return render(request, "advisory/day_public.html", _day_public_context(day))


@require_POST
def waitlist_join(request, pk):
    day = get_object_or_404(ConsultationDay.objects.select_related("series"), pk=pk, series__is_public=True)
    form = BookingForm(request.POST, prefix="w")
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.waitlist_join(
                day_id=day.pk, name=data["name"], email=data["email"], company_name=data["company_name"],
                description=data["description"], consent=data["consent"], language=_language(),
            )  # fmt: skip
        except services.BookingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Sie stehen auf der Warteliste. Wird ein Platz frei, bieten wir ihn Ihnen per E-Mail an."),
            )
            return redirect("advisory:waitlist_manage", token=entry.token)
    return render(request, "advisory/day_public.html", _day_public_context(day, waitlist_form=form), status=400)


def _booking_by_token(token) -> Booking:
    booking = Booking.objects.select_related("day__series", "slot").filter(token=token).first()
    if booking is None:
        raise Http404
    return booking


def booking_manage(request, token):
    booking = _booking_by_token(token)
    changeable = (
        booking.status in (Booking.Status.CONFIRMED, Booking.Status.OFFERED)
        and not booking.day.is_past
        and not booking.day.is_cancelled
    )
    move_form = None
    if changeable and booking.status == Booking.Status.CONFIRMED:
        slots = selectors.free_slots_for_move(booking)
        move_form = MoveForm(slots=slots) if slots else None
    return render(
        request,
        "advisory/booking_manage.html",
        {"booking": booking, "changeable": changeable, "move_form": move_form, "now": timezone.now()},
    )


def _token_action(request, token, action, success):
    try:
        action()
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("advisory:booking_manage", token=token)


@require_POST
def booking_cancel(request, token):
    _booking_by_token(token)
    return _token_action(
        request,
        token,
        lambda: services.booking_cancel(token=token),
        _("Ihre Buchung ist storniert. Danke für die Absage."),
    )


@require_POST
def booking_move(request, token):
    booking = _booking_by_token(token)
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


@require_POST
def offer_accept(request, token):
    _booking_by_token(token)
    return _token_action(
        request,
        token,
        lambda: services.offer_accept(token=token),
        _("Sie haben den Termin angenommen. Er ist jetzt fest gebucht."),
    )


def booking_ics_download(request, token):
    booking = _booking_by_token(token)
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.CANCELLED):
        raise Http404
    response = HttpResponse(
        booking_ics(booking, cancelled=booking.status == Booking.Status.CANCELLED),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="termin.ics"'
    return response


def waitlist_manage(request, token):
    entry = WaitlistEntry.objects.select_related("day__series").filter(token=token).first()
    if entry is None:
        raise Http404
    if request.method == "POST":
        try:
            services.waitlist_leave(token=token)
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Sie sind von der Warteliste ausgetragen."))
        return redirect("advisory:waitlist_manage", token=token)
    position = None
    if entry.status == WaitlistEntry.Status.WAITING:
        position = WaitlistEntry.objects.filter(
            day=entry.day, status=WaitlistEntry.Status.WAITING, created_at__lte=entry.created_at, pk__lte=entry.pk
        ).count()
    return render(request, "advisory/waitlist_manage.html", {"entry": entry, "position": position})


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
    year = _year(request)
    return render(
        request,
        "advisory/overview.html",
        {
            "year": year,
            "figures": figures_for_year(year, "advisory."),
            "day_figures": selectors.day_figures(year),
            "topics": selectors.talks_per_topic(year),
            "series_rows": selectors.series_figures(year),
            "follow_ups": selectors.follow_ups_due(request.user),
            "labels": {f.key: f.label for f in all_figures()},
        },
    )


# --- staff: consultation log -------------------------------------------------------------------


@staff_required
def organisation_options(request):
    """htmx: <option>s for the company datalist."""
    organisations = selectors.organisation_suggestions(request.GET.get("organisation") or request.GET.get("q", ""))
    return render(
        request,
        "advisory/_organisation_options.html",
        {"options": [selectors.organisation_label(o) for o in organisations]},
    )


def _consultation_initial(consultation: Consultation) -> dict:
    return {
        "organisation": selectors.organisation_label(consultation.organisation) if consultation.organisation else "",
        "contact_name": consultation.contact_name,
        "date": consultation.date,
        "channel": consultation.channel,
        "duration_minutes": consultation.duration_minutes,
        "topics": list(consultation.topics.all()),
        "outcome": consultation.outcome,
        "follow_up_on": consultation.follow_up_on,
        "programmes": list(consultation.programmes.all()),
    }


def _recent_organisations(user) -> list[str]:
    """Pre-filled datalist (works without JavaScript): the adviser's recent companies."""
    recent = (
        Consultation.objects.filter(adviser=user, organisation__isnull=False)
        .select_related("organisation")
        .order_by("-date", "-id")[:60]
    )
    labels = []
    for talk in recent:
        label = selectors.organisation_label(talk.organisation)
        if label not in labels:
            labels.append(label)
    return labels[:30]


@staff_required
def consultation_edit(request, pk=None):
    consultation = get_object_or_404(Consultation, pk=pk) if pk else None
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            saved = services.consultation_save(
                consultation=consultation, adviser=request.user, organisation=form.organisation,
                contact_name=data["contact_name"], date=data["date"], channel=data["channel"],
                duration_minutes=data["duration_minutes"], topics=data["topics"], outcome=data["outcome"],
                follow_up_on=data["follow_up_on"], programmes=data["programmes"],
            )  # fmt: skip
            messages.success(request, _("Das Gespräch ist gespeichert."))
            if "weiter" in request.POST:
                return redirect("advisory:consultation_create")
            return redirect("advisory:consultation_edit", pk=saved.pk)
        status = 400
    else:
        initial = (
            _consultation_initial(consultation)
            if consultation
            else {"date": timezone.localdate(), "channel": Consultation.Channel.PHONE, "duration_minutes": 30}
        )
        form = ConsultationForm(initial=initial)
        status = 200
    return render(
        request,
        "advisory/consultation_form.html",
        {"form": form, "consultation": consultation, "organisations": _recent_organisations(request.user)},
        status=status,
    )


@staff_required
@require_POST
def consultation_follow_up_done(request, pk):
    consultation = get_object_or_404(Consultation, pk=pk)
    services.consultation_follow_up_done(consultation=consultation)
    messages.success(request, _("Die Wiedervorlage ist erledigt."))
    return redirect(request.POST.get("next") or reverse("core:start"))


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
    talks = selectors.consultation_list(filters)
    if request.GET.get("format") in ("csv", "xlsx"):
        header = [_("Datum"), _("Unternehmen"), _("Kreis"), _("Gesprächspartner/-in"), _("Weg"), _("Dauer (Minuten)"),
                  _("Themen"), _("Programme"), _("Berater/-in"), _("Ergebnis"), _("Wiedervorlage")]  # fmt: skip
        rows = [
            [t.date.strftime("%d.%m.%Y"), t.organisation.name if t.organisation else "",
             t.organisation.district.name if t.organisation and t.organisation.district else "", t.contact_name,
             t.get_channel_display(), t.duration_minutes, "; ".join(str(x) for x in t.topics.all()),
             "; ".join(p.short_name for p in t.programmes.all()), str(t.adviser), t.outcome,
             t.follow_up_on.strftime("%d.%m.%Y") if t.follow_up_on else ""]
            for t in talks
        ]  # fmt: skip
        return table_response(
            request, filename="beratungsgespraeche", header=header, rows=rows, title="beratungsgespraeche"
        )
    query = request.GET.copy()
    return render(
        request, "advisory/consultation_list.html", {"form": form, "talks": talks, "query": query.urlencode()}
    )


# --- staff: funding programmes ------------------------------------------------------------------


@staff_required
def programme_list(request):
    form, filters = _programme_filters(request)
    return render(
        request, "advisory/programme_list.html", {"form": form, "programmes": selectors.programme_list(filters)}
    )


@staff_required
def programme_edit(request, pk=None):
    programme = get_object_or_404(FundingProgramme, pk=pk) if pk else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        programme = form.save()
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
        organisation = form.organisation
        company = selectors.company_profile(organisation) if organisation else CompanyProfile()
        company = CompanyProfile(
            employees=data["employees"] if data["employees"] is not None else company.employees,
            wz_section=data["wz_section"] or company.wz_section,
            district=data["district"].name if data["district"] else company.district,
        )
        topic_ids = set()
        for topic in data["topics"]:
            topic_ids |= {topic.pk, topic.parent_id}
        project = ProjectProfile(
            topic_ids=frozenset(t for t in topic_ids if t), budget=data["budget"], starts_on=data["starts_on"]
        )
        matches = selectors.programmes_matched(company, project)
    return render(request, "advisory/matcher.html", {"form": form, "matches": matches})


# --- staff and experts: consultation days ---------------------------------------------------------------


@staff_required
def day_list(request):
    year = request.GET.get("jahr")
    series_id = request.GET.get("reihe")
    filters = selectors.DayFilters(
        year=int(year) if year and year.isdigit() else None,
        series_id=int(series_id) if series_id and series_id.isdigit() else None,
    )
    return render(
        request,
        "advisory/day_list.html",
        {
            "days": selectors.staff_days(request.user, filters),
            "all_series": ConsultationSeries.objects.all(),
            "filters": filters,
            "title": _("Sprechtage"),
            "is_staff_view": True,
        },
    )


@role_required(Role.EXPERT)
def expert_schedule(request):
    return render(
        request,
        "advisory/day_list.html",
        {
            "days": selectors.staff_days(request.user, selectors.DayFilters(), only_own=True),
            "title": _("Meine Sprechtage"),
            "is_staff_view": False,
        },
    )


@staff_required
def day_create(request):
    form = DayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = services.day_create(
            series=data["series"], starts_at=data["starts_at"], expert=data["expert"], place=data["place"],
            online_url=data["online_url"], format=data["format"], slot_minutes=data["slot_minutes"],
            slot_count=data["slot_count"], note=data["note"],
        )  # fmt: skip
        messages.success(request, _("Der Sprechtag ist angelegt."))
        return redirect("advisory:day_detail", pk=day.pk)
    return render(request, "advisory/day_form.html", {"form": form}, status=400 if request.method == "POST" else 200)


@expert_or_staff
def day_detail(request, pk):
    day = day_for_user(request.user, pk)
    return render(
        request,
        "advisory/day_detail.html",
        {
            "day": day,
            "slots": selectors.day_slots(day),
            "waitlist": list(day.waitlist.order_by("created_at", "id")),
            "can_cancel": request.user.has_role(Role.STAFF) and not day.is_cancelled and not day.is_past,
            "attendance_choices": Booking.Attendance.choices,
        },
    )


@expert_or_staff
@require_POST
def booking_attendance(request, pk):
    booking = booking_for_user(request.user, pk)
    try:
        services.booking_set_attendance(booking=booking, attendance=request.POST.get("attendance", ""))
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Anwesenheit gespeichert: %(name)s") % {"name": booking.name})
    return redirect("advisory:day_detail", pk=booking.day_id)


@staff_required
@require_POST
def day_cancel(request, pk):
    day = day_for_user(request.user, pk)
    if request.POST.get("confirm") != "ja":
        messages.error(request, _("Bitte bestätigen Sie die Absage mit dem Kontrollkästchen."))
        return redirect("advisory:day_detail", pk=pk)
    try:
        notified = services.day_cancel(day=day)
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Der Sprechtag ist abgesagt; %(count)s Personen werden benachrichtigt.") % {"count": notified}
        )
    return redirect("advisory:day_detail", pk=pk)


@expert_or_staff
def bookings_export(request):
    day = None
    if request.GET.get("tag"):
        day = day_for_user(request.user, request.GET["tag"])
    expert = None if request.user.has_role(Role.STAFF) else request.user
    year = request.GET.get("jahr")
    bookings = selectors.bookings_for_export(
        day=day, year=int(year) if year and year.isdigit() else None, expert=expert
    )
    header = [_("Reihe"), _("Datum"), _("Beginn"), _("Experte/Expertin"), _("Name"), _("E-Mail"), _("Unternehmen"),
              _("Status"), _("Anwesenheit"), _("Anliegen (vertraulich)")]  # fmt: skip
    rows = [
        [b.day.series.name, timezone.localtime(b.slot.starts_at).strftime("%d.%m.%Y"),
         timezone.localtime(b.slot.starts_at).strftime("%H:%M"), str(b.day.expert), b.name, b.email, b.company_name,
         b.get_status_display(), b.get_attendance_display(), b.description]
        for b in bookings
    ]  # fmt: skip
    return table_response(
        request, filename="sprechtag-buchungen", header=header, rows=rows, title="sprechtag-buchungen"
    )
