"""Portal pages: public (search, companies, offers, occupations, sitemap), editors, staff."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from core.figures import all_figures, figures_for_year
from core.fragments import cached_page, fragment
from core.http import client_ip, private_page, show_refusal
from core.params import page_param, year_param
from core.permissions import role_required, staff_required
from core.roles import Role
from core.templatetags.core_tags import json_ld
from portal import access, selectors, services
from portal.forms import (
    AlertForm,
    CompanySearchForm,
    ContactForm,
    DecisionForm,
    EditorInviteForm,
    EventInviteForm,
    OfferForm,
    OfferSearchForm,
    PhotoForm,
    ProfileCreateForm,
    ProfileForm,
    ProfileSettingsForm,
    SiteForm,
    filter_fields,
    valid_search_filters,
)
from portal.models import ChangeRequest, CompanyProfile, Offer
from portal.places import municipalities

editor_required = role_required(Role.EDITOR, Role.STAFF)
LAST_SEARCH_PAGE = 500
LAST_COMPANY_PAGE = 1000


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- public ---------------------------------------------------------------------------


def _search_page(request, form, *, filters=None, alert_form=None, status=200):
    """The search page for ``form``; or, for a GET whose form has no error, for ``filters`` alone (the
    form is then built only if the filter form's HTML is not cached)."""
    filters = form.filters() if form is not None else filters
    overview = request.GET.get("ansicht") == "berufe"
    context = {
        "form": form, "filters": filters, "overview": overview, "filters_summary": selectors.filters_summary(filters),
        "query": _query_without(request, "seite"), "base_query": _query_without(request, "seite", "ansicht"),
    }  # fmt: skip
    if request.method == "GET" and (form is None or not form.errors):
        # the filter form is the same for everyone with the same query and choices: rendered once per
        # process (core.fragments); the key holds the query, the occupation and district lists and the
        # year (the "Beginn im Jahr" choices start with it)
        key = ("portal.search_filters", overview, context["query"], tuple(selectors.occupation_choices()),
               tuple(selectors.district_choices()), timezone.localdate().year)  # fmt: skip
        context["filters_html"] = fragment(key, lambda: render_to_string("portal/_filters.html", {
            **context, "fields": filter_fields(form or _search_form(request.GET or None)), "places": municipalities(),
            "action": reverse("portal:search"), "label": _("Angebote suchen")}))  # fmt: skip
    else:
        context.update(fields=filter_fields(form), places=municipalities())
    if alert_form is None:  # the empty sign-up form is the same for everyone (its CSRF token is outside)
        context["alert_form_html"] = fragment(
            ("portal.alert_form",), lambda: render_to_string("includes/form.html", {"form": AlertForm()})
        )
    else:
        context["alert_form"] = alert_form
    if overview:
        context["groups"] = selectors.occupation_overview(filters)
    else:
        context["page"] = page = selectors.offer_search(filters, page_param(request.GET, last=LAST_SEARCH_PAGE))
        prefix = get_script_prefix()
        context["cards"] = cards = tuple(_offer_card(card, prefix) for card in page.rows)
        if "filters_html" in context:
            # the page around the cards is the same for the same query, cards and page: once per process
            key = ("portal.search_body", context["base_query"], context["query"], context["filters_html"], cards,
                   page.number, page.has_next)  # fmt: skip
            context["body_html"] = body_html = fragment(
                key, lambda: render_to_string("portal/_search_body.html", context)
            )
            # the page around the results (the sign-up box for this search too) likewise
            key = (context["query"], context["base_query"], str(context["filters_summary"]),
                   tuple(filters.params.items()))  # fmt: skip
            return cached_page(
                request, "portal/search.html", context, key=key, per_request={"body_html": body_html}, status=status
            )
    return render(request, "portal/search.html", context, status=status)


def _offer_card(card: selectors.OfferCard, prefix: str) -> str:
    """A result card, rendered once per process for the same values (``core.fragments``): the key holds
    every value the card shows (and the prefix its links start with)."""
    key = ("portal.offer_card", prefix, card.key)
    return fragment(key, lambda: render_to_string("portal/_offer_card.html", {"offer": card.offer()}))


def _search_form(data):
    return OfferSearchForm(data, occupations=selectors.occupation_choices(), districts=selectors.district_choices())


def search(request):
    """The school leaver's search: offers (nearest first when they name their town), or an occupation overview."""
    filters = valid_search_filters(
        request.GET, occupations=selectors.occupation_choices(), districts=selectors.district_choices()
    )
    if filters is None:  # the form shows its errors
        return _search_page(request, _search_form(request.GET or None))
    return _search_page(request, None, filters=filters)


@require_POST
def alert_signup(request):
    """Save the search shown (its parameters come as hidden fields) and mail the confirmation link."""
    search_form = _search_form(request.POST)
    form = AlertForm(request.POST)
    if not form.is_valid():
        return _search_page(request, search_form, alert_form=form, status=400)
    services.alert_signup(
        email=form.cleaned_data["email"], filters=search_form.filters(), language=get_language(),
        ip_address=client_ip(request),
    )  # fmt: skip
    # the same answer whether the address was new, pending or already had this alert
    return redirect("portal:alert_pending")


def alert_pending(request):
    return render(request, "portal/alert_pending.html")


def _alert_link_problem(request, error: ServiceError):
    expired = isinstance(error, services.AlertLinkExpired)
    return render(request, "portal/alert_link_problem.html", {"expired": expired}, status=410 if expired else 404)


@private_page
def alert_confirm(request, value):
    """GET shows a button (mail scanners that open links must not confirm for the person); POST confirms."""
    try:
        alert = services.alert_by_confirmation(value)
        if request.method == "POST":
            alert = services.alert_confirm(value=value)
            return render(request, "portal/alert_confirmed.html", _alert_context(alert))
    except (services.AlertLinkInvalid, services.AlertLinkExpired) as error:
        return _alert_link_problem(request, error)
    return render(request, "portal/alert_confirm.html", {**_alert_context(alert), "value": value})


def _alert_context(alert) -> dict:
    filters = selectors.OfferFilters.from_params(alert.filters)
    query = urlencode(alert.filters)
    return {
        "alert": alert, "summary": selectors.filters_summary(filters),
        "search_url": reverse("portal:search") + (f"?{query}" if query else ""),
    }  # fmt: skip


@csrf_exempt  # the token in the URL authenticates; RFC 8058 one-click POSTs come without a CSRF token
@private_page
def alert_unsubscribe(request, token):
    """The alert of a mail's link: GET shows it with a button; POST ends it (also the mail client's one-click POST)."""
    alert = selectors.alert_by_token(token)
    if alert is None:
        return _alert_link_problem(request, services.AlertLinkInvalid(""))
    if request.method == "POST":
        services.alert_end(alert=alert)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Abgemeldet."), content_type="text/plain; charset=utf-8")
        alert.refresh_from_db()
    return render(request, "portal/alert_unsubscribe.html", _alert_context(alert))


def occupation_suggestions(request):
    """htmx: occupations for what an editor typed into the occupation picker (chosen ones left out)."""
    chosen = {int(item) for item in request.GET.getlist("occupations") if item.isdigit() and len(item) < 10}
    query = request.GET.get("occupations_neu", request.GET.get("q", ""))[:100]
    matches = selectors.occupation_matches(query, exclude=chosen)
    return render(request, "portal/_occupation_suggestions.html", {"matches": matches, "query": query.strip()})


def offer_detail(request, slug):
    page = selectors.offer_page(slug)
    if page is None:
        raise Http404
    # the offer's part of its page and its JSON-LD are rendered once per process for the same values
    # (core.fragments): the key holds every value they show, read fresh on every request
    body = fragment(
        ("portal.offer_body", page.key), lambda: render_to_string("portal/_offer_body.html", page.context())
    )
    base = request.build_absolute_uri("/")
    job_posting = fragment(
        ("portal.offer_job_posting", page.key, base),
        lambda: json_ld(selectors.offer_job_posting(page.offer(), absolute_url=request.build_absolute_uri)),
    )
    return cached_page(
        request, "portal/offer_detail.html", {"title": page.title, "company_name": page.company_name},
        key=(page.key,), per_request={"body_html": body, "job_posting_html": job_posting},
    )  # fmt: skip


def company_list(request):
    form = CompanySearchForm(
        request.GET or None, occupations=selectors.occupation_choices(), districts=selectors.district_choices()
    )
    filters = selectors.CompanyFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CompanyFilters(
            q=data["q"], district=data["kreis"], sector=data["branche"], occupation=data["beruf"]
        )
    page = selectors.company_search(filters, page_param(request.GET, last=LAST_COMPANY_PAGE))
    return render(
        request, "portal/company_list.html",
        {"form": form, "fields": filter_fields(form), "filters": filters, "page": page,
         "query": _query_without(request, "seite")},
    )  # fmt: skip


def company_detail(request, slug):
    try:
        profile = selectors.company_detail(slug)
    except CompanyProfile.DoesNotExist:
        raise Http404 from None
    if request.method == "GET" and not _looks_like_bot(request):
        services.profile_view_count(profile_id=profile.pk)
    return render(request, "portal/company_detail.html", selectors.company_page(profile))


def _looks_like_bot(request) -> bool:
    agent = request.headers.get("User-Agent", "").lower()
    return any(word in agent for word in ("bot", "crawler", "spider", "wrk"))


def occupation_list(request):
    return render(request, "portal/occupation_list.html", {"occupations": selectors.occupations()})


def occupation_detail(request, slug):
    occupation = selectors.occupation_by_slug(slug)
    if occupation is None:
        raise Http404
    districts = selectors.district_choices()
    district = request.GET.get("kreis", "")
    if district and district not in {choice_slug for _pk, choice_slug, _name in districts}:
        district = ""
    companies = selectors.occupation_companies(occupation, district)
    district_name = next((name for _pk, choice_slug, name in districts if choice_slug == district), "")
    return render(
        request, "portal/occupation_detail.html",
        {"occupation": occupation, "companies": companies, "districts": districts, "district": district,
         "district_name": district_name},
    )  # fmt: skip


def sitemap(request):
    """The portal's old sitemap address: the site-wide sitemap lists the portal's pages now."""
    return redirect("core:sitemap", permanent=True)


# --- editors ------------------------------------------------------------------------


@editor_required
def editor_home(request):
    if request.user.has_role(Role.STAFF):
        return redirect("portal:staff_list")
    profiles = list(access.profiles_for_editor(request.user))
    if len(profiles) == 1:
        return redirect("portal:editor_dashboard", pk=profiles[0].pk)
    return render(request, "portal/editor_home.html", {"profiles": profiles})


@editor_required
def editor_dashboard(request, pk):
    return _dashboard(request, access.profile_for_editor(request.user, pk))


def _report(request, result: services.ChangeResult, done_message: str) -> None:
    if result.applied:
        messages.success(request, done_message)
    else:
        messages.info(
            request,
            _(
                "Ihre Änderung wurde zur Prüfung eingereicht. Sie erscheint nach der Freigabe durch die Geschäftsstelle."
            ),
        )


def _submit(request, form, *, profile, kind, data, target_id=None, summary: str, done: str) -> bool:
    """Submit an editor's change; a refusal is shown on the form (False)."""
    try:
        result = services.change_submit(
            profile=profile, kind=kind, data=data, target_id=target_id, author=request.user, summary=summary
        )
    except ServiceError as error:
        show_refusal(request, error, form)
        return False
    _report(request, result, done)
    return True


@editor_required
def profile_edit(request, pk):
    """Edit the profile; "Vorschau" shows the public page with the changes before anything is sent."""
    profile = access.profile_for_editor(request.user, pk)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = services.to_json({key: value for key, value in form.cleaned_data.items() if key != "logo_upload"})
        if "vorschau" in request.POST:
            preview = selectors.profile_preview(profile, data)
            preview["logo_pending"] = bool(form.cleaned_data.get("logo_upload"))
        else:
            if form.cleaned_data.get("logo_upload"):
                data["logo"] = services.store_upload(form.cleaned_data["logo_upload"], "logos")
            if _submit(
                request, form, profile=profile, kind=ChangeRequest.Kind.PROFILE, data=data,
                summary=_("Profil von %(name)s") % {"name": profile.name}, done=_("Das Profil ist gespeichert."),
            ):  # fmt: skip
                if form.description_was_cleaned:
                    messages.warning(
                        request,
                        _(
                            "Nicht erlaubte Inhalte (z. B. Skripte, Formatvorlagen oder Ereignis-Attribute) wurden "
                            "aus der Beschreibung entfernt."
                        ),
                    )
                return redirect("portal:editor_dashboard", pk=profile.pk)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request, "portal/profile_form.html", {"form": form, "profile": profile, "preview": preview}, status=status
    )


@editor_required
def change_preview(request, pk):
    """The public page as a pending change would make it look (for its editor and for staff reviewing it)."""
    change = access.change_for_editor(request.user, pk)
    if change.kind == ChangeRequest.Kind.PROFILE:
        context, template = selectors.profile_preview(change.profile, change.data), "portal/_company_body.html"
    elif change.kind == ChangeRequest.Kind.OFFER:
        context = selectors.offer_preview(change.profile, change.target_id, change.data)
        template = "portal/_offer_body.html"
    else:
        raise Http404
    back = (
        reverse("portal:staff_reviews")
        if request.user.has_role(Role.STAFF)
        else reverse("portal:editor_dashboard", args=[change.profile_id])
    )
    return render(request, "portal/change_preview.html", {**context, "change": change, "body": template, "back": back})


@editor_required
def site_edit(request, pk, site_pk=None):
    profile = access.profile_for_editor(request.user, pk)
    site = None
    if site_pk is not None:
        site = access.site_for_editor(request.user, site_pk)
        if site.profile_id != profile.pk:
            raise Http404
    form = SiteForm(request.POST or None, instance=site)
    if (
        request.method == "POST"
        and form.is_valid()
        and _submit(
            request, form, profile=profile, kind=ChangeRequest.Kind.SITE, data=services.to_json(form.cleaned_data),
            target_id=site.pk if site else None, summary=_("Standort „%(name)s“") % {"name": form.cleaned_data["name"]},
            done=_("Der Standort ist gespeichert."),
        )
    ):  # fmt: skip
        return redirect("portal:editor_dashboard", pk=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/site_form.html", {"form": form, "profile": profile, "site": site}, status=status)


@editor_required
@require_POST
def site_delete(request, site_pk):
    site = access.site_for_editor(request.user, site_pk)
    _submit(
        request, None, profile=site.profile, kind=ChangeRequest.Kind.SITE_DELETE, data={}, target_id=site.pk,
        summary=_("Standort „%(name)s“ löschen") % {"name": site.name}, done=_("Der Standort ist gelöscht."),
    )  # fmt: skip
    return redirect("portal:editor_dashboard", pk=site.profile_id)


@editor_required
def offer_edit(request, pk=None, offer_pk=None):
    if offer_pk is not None:
        offer = access.offer_for_editor(request.user, offer_pk)
        profile = offer.profile
    else:
        profile = access.profile_for_editor(request.user, pk)
        offer = Offer(profile=profile)
    form = OfferForm(request.POST or None, instance=offer, profile=profile)
    if (
        request.method == "POST"
        and form.is_valid()
        and _submit(
            request, form, profile=profile, kind=ChangeRequest.Kind.OFFER, data=services.to_json(form.cleaned_data),
            target_id=offer.pk,
            summary=_("Angebot „%(title)s“") % {"title": form.cleaned_data["title"] or form.cleaned_data["occupation"].name},
            done=_("Das Angebot ist gespeichert."),
        )
    ):  # fmt: skip
        return redirect("portal:editor_dashboard", pk=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/offer_form.html", {"form": form, "profile": profile, "offer": offer}, status=status)


@editor_required
@require_POST
def offer_delete(request, offer_pk):
    offer = access.offer_for_editor(request.user, offer_pk)
    _submit(
        request, None, profile=offer.profile, kind=ChangeRequest.Kind.OFFER_DELETE, data={}, target_id=offer.pk,
        summary=_("Angebot „%(title)s“ löschen") % {"title": offer.display_title}, done=_("Das Angebot ist gelöscht."),
    )  # fmt: skip
    return redirect("portal:editor_dashboard", pk=offer.profile_id)


def _dashboard(request, profile, *, contact_form=None, photo_form=None, status=200):
    context = {
        "profile": profile,
        **selectors.editor_dashboard(profile),
        "contact_form": contact_form or ContactForm(),
        "photo_form": photo_form or PhotoForm(),
    }
    return render(request, "portal/editor_dashboard.html", context, status=status)


@editor_required
@require_POST
def contact_add(request, pk):
    profile = access.profile_for_editor(request.user, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add(profile=profile, by=request.user, ip_address=client_ip(request), **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            if form.cleaned_data["consent"]:
                messages.success(request, _("Der Kontakt ist gespeichert und wird im Portal gezeigt."))
            else:
                messages.warning(
                    request, _("Der Kontakt ist gespeichert, wird aber ohne Einwilligung nicht veröffentlicht.")
                )
            return redirect("portal:editor_dashboard", pk=profile.pk)
    return _dashboard(request, profile, contact_form=form, status=400)


@editor_required
@require_POST
def contact_remove(request, role_pk):
    role, profile = access.contact_for_editor(request.user, role_pk)
    services.contact_remove(role=role, profile=profile)
    messages.success(request, _("%(name)s wird im Portal nicht mehr gezeigt.") % {"name": role.person.full_name})
    return redirect("portal:editor_dashboard", pk=profile.pk)


@editor_required
@require_POST
def photo_add(request, pk):
    profile = access.profile_for_editor(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        services.photo_add(profile=profile, image=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"])
        messages.success(request, _("Das Foto ist hochgeladen."))
        return redirect("portal:editor_dashboard", pk=profile.pk)
    return _dashboard(request, profile, photo_form=form, status=400)


@editor_required
@require_POST
def photo_delete(request, photo_pk):
    photo = access.photo_for_editor(request.user, photo_pk)
    services.photo_delete(photo=photo)
    messages.success(request, _("Das Foto ist gelöscht."))
    return redirect("portal:editor_dashboard", pk=photo.profile_id)


# --- staff --------------------------------------------------------------------------


@staff_required
def staff_list(request):
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request, "portal/staff_list.html",
        {"profiles": selectors.staff_profiles(q), "q": q, "pending_count": selectors.pending_count()},
    )  # fmt: skip


@staff_required
def staff_create(request):
    form = ProfileCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(
                organisation=form.cleaned_data["organisation"], created_by=request.user,
                review_required=form.cleaned_data["review_required"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Der Portal-Eintrag für %(name)s ist angelegt.") % {"name": profile.name})
            return redirect("portal:staff_profile", pk=profile.pk)
    return render(request, "portal/staff_create.html", {"form": form})


def _staff_profile_page(request, profile, *, settings_form=None, invite_form=None, status=200):
    context = {
        "profile": profile,
        "settings_form": settings_form or ProfileSettingsForm(initial=_settings(profile), prefix="settings"),
        "invite_form": invite_form or EditorInviteForm(),
        "editors": selectors.profile_editors(profile),
    }
    return render(request, "portal/staff_profile.html", context, status=status)


@staff_required
def staff_profile(request, pk):
    profile = get_object_or_404(CompanyProfile.objects.select_related("organisation"), pk=pk)
    settings_form = ProfileSettingsForm(request.POST or None, initial=_settings(profile), prefix="settings")
    if request.method == "POST" and settings_form.is_valid():
        services.profile_settings_save(
            profile=profile, is_published=settings_form.cleaned_data["is_published"],
            review_required=settings_form.cleaned_data["review_required"], by=request.user,
        )  # fmt: skip
        messages.success(request, _("Die Einstellungen sind gespeichert."))
        return redirect("portal:staff_profile", pk=profile.pk)
    return _staff_profile_page(request, profile, settings_form=settings_form)


def _settings(profile: CompanyProfile) -> dict:
    return {"is_published": profile.is_published, "review_required": profile.review_required}


@staff_required
@require_POST
def staff_invite(request, pk):
    profile = get_object_or_404(CompanyProfile.objects.select_related("organisation"), pk=pk)
    form = EditorInviteForm(request.POST)
    if form.is_valid():
        try:
            user = services.editor_invite(
                profile=profile, email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
                invited_by=request.user, language=form.cleaned_data["language"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Einladung an %(email)s ist unterwegs.") % {"email": user.email})
            return redirect("portal:staff_profile", pk=profile.pk)
    return _staff_profile_page(request, profile, invite_form=form, status=400)


@staff_required
def staff_reviews(request):
    return render(request, "portal/staff_reviews.html", {"changes": selectors.review_queue()})


@staff_required
@require_POST
def staff_review_decide(request, pk):
    change = get_object_or_404(ChangeRequest, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte „freigeben“ oder „ablehnen“ wählen."))
        return redirect("portal:staff_reviews")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.change_approve(change=change, by=request.user)
            messages.success(request, _("Die Änderung ist freigegeben und veröffentlicht."))
        else:
            services.change_reject(change=change, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Die Änderung ist abgelehnt."))
    except ServiceError as error:
        show_refusal(request, error)
    return redirect("portal:staff_reviews")


@staff_required
def staff_history(request, pk):
    profile = get_object_or_404(CompanyProfile, pk=pk)
    return render(
        request, "portal/staff_history.html", {"profile": profile, "entries": selectors.profile_history(profile)}
    )


@staff_required
@require_POST
def staff_rollback(request, pk, model_key, history_id):
    profile = get_object_or_404(CompanyProfile, pk=pk)
    if selectors.history_record(profile, model_key, history_id) is None:
        raise Http404
    try:
        services.history_rollback(model_key=model_key, history_id=history_id, profile=profile, by=request.user)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Der frühere Stand ist wiederhergestellt."))
    return redirect("portal:staff_history", pk=profile.pk)


@staff_required
def staff_event_invite(request):
    """Invite every portal editor to one of the upcoming public events (e.g. the editors' conference)."""
    form = EventInviteForm(request.POST or None, events=selectors.invitable_events())
    if request.method == "POST" and form.is_valid():
        event = form.cleaned_data["event"]
        try:
            count = services.editors_invite_to_event(
                event_id=event.pk, message=form.cleaned_data["message"], by=request.user
            )
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(
                request,
                ngettext(
                    "Die Einladung zu „%(title)s“ geht an %(count)s Redakteurin oder Redakteur.",
                    "Die Einladung zu „%(title)s“ geht an %(count)s Redakteurinnen und Redakteure.",
                    count,
                )
                % {"title": event.title, "count": count},
            )
            return redirect("portal:staff_event_invite")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/staff_event_invite.html", {"form": form}, status=status)


@staff_required
def staff_figures(request):
    year = year_param(request.GET)
    labels = {figure.key: figure.label for figure in all_figures()}
    this_year = timezone.localdate().year
    return render(
        request, "portal/staff_figures.html",
        {
            "year": year,
            "figures": [(labels[key], value) for key, value in figures_for_year(year, prefix="portal.").items()],
            "views": selectors.view_counts(year),
            "by_occupation": selectors.offers_by_occupation_and_district(year),
            "years": range(this_year + 1, this_year - 5, -1),
        },
    )  # fmt: skip
