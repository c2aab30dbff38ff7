"""Portal pages: public (search, companies, offers, occupations, sitemap), editors, staff."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import role_required, staff_required
from core.roles import Role
from portal import access, selectors, services
from portal.forms import (
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
)
from portal.models import ChangeRequest, CompanyProfile, Occupation, Offer

editor_required = role_required(Role.EDITOR, Role.STAFF)


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("seite", "1")))
    except ValueError:
        return 1


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("seite", None)
    return query.urlencode()


# --- public ---------------------------------------------------------------------------


def search(request):
    """The school leaver's search: offers, or the same results as an occupation overview."""
    form = OfferSearchForm(
        request.GET or None, occupations=selectors.occupation_choices(), districts=selectors.district_choices()
    )
    filters = selectors.OfferFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.OfferFilters(
            q=data["q"], occupation=data["beruf"], district=data["kreis"], kind=data["art"], year=data["jahr"],
            sector=data["branche"], sort=data["sortierung"] or "relevanz",
        )  # fmt: skip
    overview = request.GET.get("ansicht") == "berufe"
    context = {
        "form": form, "fields": filter_fields(form), "filters": filters, "overview": overview,
        "query": _query_without_page(request),
    }  # fmt: skip
    if overview:
        context["groups"] = selectors.occupation_overview(filters)
    else:
        context["page"] = selectors.offer_search(filters, _page_number(request))
    query = request.GET.copy()
    query.pop("seite", None)
    query.pop("ansicht", None)
    context["base_query"] = query.urlencode()
    return render(request, "portal/search.html", context)


def _json_ld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def _job_posting(request, offer: Offer) -> dict:
    profile = offer.profile
    site = offer.site
    address = {
        "@type": "PostalAddress",
        "streetAddress": site.street if site else profile.organisation.street,
        "postalCode": site.postcode if site else profile.organisation.postcode,
        "addressLocality": site.city if site else profile.organisation.city,
        "addressCountry": "DE",
    }
    if offer.district:
        address["addressRegion"] = offer.district.name
    organisation = {
        "@type": "Organization",
        "name": profile.name,
        "url": request.build_absolute_uri(profile.get_absolute_url()),
    }
    if profile.website:
        organisation["sameAs"] = profile.website
    if profile.logo:
        organisation["logo"] = request.build_absolute_uri(profile.logo.url)
    description = (
        "\n\n".join(part for part in [profile.short_description, offer.requirements, offer.how_to_apply] if part)
        or offer.display_title
    )
    return {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": offer.display_title,
        "description": description,
        "datePosted": offer.created_at.date().isoformat(),
        "validThrough": offer.start_date.isoformat(),
        "jobStartDate": offer.start_date.isoformat(),
        "employmentType": "INTERN" if offer.kind == Offer.Kind.INTERNSHIP else "OTHER",
        "educationRequirements": offer.requirements or None,
        "occupationalCategory": offer.occupation.name_official,
        "totalJobOpenings": offer.places,
        "hiringOrganization": organisation,
        "jobLocation": {"@type": "Place", "address": address},
        "url": request.build_absolute_uri(offer.get_absolute_url()),
    }


def offer_detail(request, slug):
    try:
        offer = selectors.offer_detail(slug)
    except Offer.DoesNotExist:
        raise Http404 from None
    contact = offer.contact if selectors.contact_is_published(offer.contact) else None
    posting = {key: value for key, value in _job_posting(request, offer).items() if value is not None}
    return render(
        request, "portal/offer_detail.html", {"offer": offer, "contact": contact, "json_ld": _json_ld(posting)}
    )


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
    page = selectors.company_search(filters, _page_number(request))
    return render(
        request, "portal/company_list.html",
        {"form": form, "fields": filter_fields(form), "filters": filters, "page": page, "query": _query_without_page(request)},
    )  # fmt: skip


def company_detail(request, slug):
    try:
        profile = selectors.company_detail(slug)
    except CompanyProfile.DoesNotExist:
        raise Http404 from None
    if request.method == "GET" and not _looks_like_bot(request):
        services.profile_view_count(profile_id=profile.pk)
    return render(
        request, "portal/company_detail.html",
        {"profile": profile, "contacts": selectors.published_contacts(profile.organisation_id)},
    )  # fmt: skip


def _looks_like_bot(request) -> bool:
    agent = request.headers.get("User-Agent", "").lower()
    return any(word in agent for word in ("bot", "crawler", "spider", "wrk"))


def occupation_list(request):
    occupations = Occupation.objects.order_by("name")
    return render(request, "portal/occupation_list.html", {"occupations": occupations})


def occupation_detail(request, slug):
    occupation = get_object_or_404(Occupation, slug=slug)
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
    entries = selectors.sitemap_entries()
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request, "portal/sitemap.xml", {"entries": entries, "base": base}, content_type="application/xml; charset=utf-8"
    )


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
    profile = access.profile_for_editor(request.user, pk)
    context = {
        "profile": profile,
        **selectors.editor_dashboard(profile),
        "contact_form": ContactForm(),
        "photo_form": PhotoForm(),
    }
    return render(request, "portal/editor_dashboard.html", context)


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


@editor_required
def profile_edit(request, pk):
    profile = access.profile_for_editor(request.user, pk)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = services.to_json({key: value for key, value in form.cleaned_data.items() if key != "logo_upload"})
        if form.cleaned_data.get("logo_upload"):
            data["logo"] = services.store_upload(form.cleaned_data["logo_upload"], "logos")
        if form.description_was_cleaned:
            messages.warning(
                request,
                _(
                    "Nicht erlaubte Inhalte (z. B. Skripte oder Ereignis-Attribute) wurden aus der Beschreibung entfernt."
                ),
            )
        result = services.change_submit(
            profile=profile, kind=ChangeRequest.Kind.PROFILE, data=data, author=request.user,
            summary=_("Profil von %(name)s") % {"name": profile.name},
        )  # fmt: skip
        _report(request, result, _("Das Profil ist gespeichert."))
        return redirect("portal:editor_dashboard", pk=profile.pk)
    if request.method == "POST":
        return render(request, "portal/profile_form.html", {"form": form, "profile": profile}, status=400)
    return render(request, "portal/profile_form.html", {"form": form, "profile": profile})


@editor_required
def site_edit(request, pk, site_pk=None):
    profile = access.profile_for_editor(request.user, pk)
    site = None
    if site_pk is not None:
        site = access.site_for_editor(request.user, site_pk)
        if site.profile_id != profile.pk:
            raise Http404
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        result = services.change_submit(
            profile=profile, kind=ChangeRequest.Kind.SITE, data=services.to_json(form.cleaned_data),
            target_id=site.pk if site else None, author=request.user,
            summary=_("Standort „%(name)s“") % {"name": form.cleaned_data["name"]},
        )  # fmt: skip
        _report(request, result, _("Der Standort ist gespeichert."))
        return redirect("portal:editor_dashboard", pk=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/site_form.html", {"form": form, "profile": profile, "site": site}, status=status)


@editor_required
@require_POST
def site_delete(request, site_pk):
    site = access.site_for_editor(request.user, site_pk)
    result = services.change_submit(
        profile=site.profile, kind=ChangeRequest.Kind.SITE_DELETE, data={}, target_id=site.pk, author=request.user,
        summary=_("Standort „%(name)s“ löschen") % {"name": site.name},
    )  # fmt: skip
    _report(request, result, _("Der Standort ist gelöscht."))
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
    if request.method == "POST" and form.is_valid():
        result = services.change_submit(
            profile=profile, kind=ChangeRequest.Kind.OFFER, data=services.to_json(form.cleaned_data),
            target_id=offer.pk, author=request.user,
            summary=_("Angebot „%(title)s“") % {"title": form.cleaned_data["title"] or form.cleaned_data["occupation"].name},
        )  # fmt: skip
        _report(request, result, _("Das Angebot ist gespeichert."))
        return redirect("portal:editor_dashboard", pk=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/offer_form.html", {"form": form, "profile": profile, "offer": offer}, status=status)


@editor_required
@require_POST
def offer_delete(request, offer_pk):
    offer = access.offer_for_editor(request.user, offer_pk)
    result = services.change_submit(
        profile=offer.profile, kind=ChangeRequest.Kind.OFFER_DELETE, data={}, target_id=offer.pk, author=request.user,
        summary=_("Angebot „%(title)s“ löschen") % {"title": offer.display_title},
    )  # fmt: skip
    _report(request, result, _("Das Angebot ist gelöscht."))
    return redirect("portal:editor_dashboard", pk=offer.profile_id)


@editor_required
@require_POST
def contact_add(request, pk):
    profile = access.profile_for_editor(request.user, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.contact_add(profile=profile, by=request.user, **form.cleaned_data)
        if form.cleaned_data["consent"]:
            messages.success(request, _("Der Kontakt ist gespeichert und wird im Portal gezeigt."))
        else:
            messages.warning(
                request, _("Der Kontakt ist gespeichert, wird aber ohne Einwilligung nicht veröffentlicht.")
            )
        return redirect("portal:editor_dashboard", pk=profile.pk)
    context = {
        "profile": profile,
        **selectors.editor_dashboard(profile),
        "contact_form": form,
        "photo_form": PhotoForm(),
    }
    return render(request, "portal/editor_dashboard.html", context, status=400)


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
    context = {
        "profile": profile,
        **selectors.editor_dashboard(profile),
        "contact_form": ContactForm(),
        "photo_form": form,
    }
    return render(request, "portal/editor_dashboard.html", context, status=400)


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
        {"profiles": selectors.staff_profiles(q), "q": q, "pending_count": ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count()},
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
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Der Portal-Eintrag für %(name)s ist angelegt.") % {"name": profile.name})
            return redirect("portal:staff_profile", pk=profile.pk)
    return render(request, "portal/staff_create.html", {"form": form})


@staff_required
def staff_profile(request, pk):
    profile = get_object_or_404(CompanyProfile.objects.select_related("organisation"), pk=pk)
    settings_form = ProfileSettingsForm(request.POST or None, instance=profile, prefix="settings")
    if request.method == "POST" and settings_form.is_valid():
        services.profile_settings_save(
            profile=profile, is_published=settings_form.cleaned_data["is_published"],
            review_required=settings_form.cleaned_data["review_required"], by=request.user,
        )  # fmt: skip
        messages.success(request, _("Die Einstellungen sind gespeichert."))
        return redirect("portal:staff_profile", pk=profile.pk)
    editors = profile.organisation.editors.select_related("user").order_by("user__email")
    return render(
        request, "portal/staff_profile.html",
        {"profile": profile, "settings_form": settings_form, "invite_form": EditorInviteForm(), "editors": editors},
    )  # fmt: skip


@staff_required
@require_POST
def staff_invite(request, pk):
    profile = get_object_or_404(CompanyProfile.objects.select_related("organisation"), pk=pk)
    form = EditorInviteForm(request.POST)
    if form.is_valid():
        user = services.editor_invite(
            profile=profile, email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
            invited_by=request.user, language=form.cleaned_data["language"],
        )  # fmt: skip
        messages.success(request, _("Die Einladung an %(email)s ist unterwegs.") % {"email": user.email})
        return redirect("portal:staff_profile", pk=profile.pk)
    editors = profile.organisation.editors.select_related("user").order_by("user__email")
    settings_form = ProfileSettingsForm(instance=profile, prefix="settings")
    return render(
        request, "portal/staff_profile.html",
        {"profile": profile, "settings_form": settings_form, "invite_form": form, "editors": editors}, status=400,
    )  # fmt: skip


@staff_required
def staff_reviews(request):
    return render(request, "portal/staff_reviews.html", {"changes": _described(selectors.pending_changes())})


def _described(changes):
    """Each pending change with its fields as (label, value) lines for the reviewer."""
    from portal.models import Occupation as OccupationModel

    occupation_names = dict(OccupationModel.objects.values_list("pk", "name"))
    described = []
    for change in changes:
        lines = []
        for key, value in change.data.items():
            if key == "occupation":
                value = occupation_names.get(value, value)
            elif key == "occupations":
                value = ", ".join(occupation_names.get(item, str(item)) for item in value)
            elif isinstance(value, bool):
                value = _("ja") if value else _("nein")
            lines.append((key, value))
        described.append((change, lines))
    return described


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
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
    if model_key not in services.HISTORY_MODELS:
        raise Http404
    try:
        services.history_rollback(model_key=model_key, history_id=history_id, profile=profile, by=request.user)
    except services.HISTORY_MODELS[model_key].history.model.DoesNotExist:
        raise Http404 from None
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:staff_history", pk=profile.pk)
    messages.success(request, _("Der frühere Stand ist wiederhergestellt."))
    return redirect("portal:staff_history", pk=profile.pk)


@staff_required
def staff_event_invite(request):
    events = services.event_choices()
    form = EventInviteForm(request.POST or None, events=events)
    if request.method == "POST" and form.is_valid():
        invitation = services.editors_invite_to_event(
            title=form.cleaned_data["title"], url=form.cleaned_data["url"], message=form.cleaned_data["message"],
            event_id=form.cleaned_data.get("event"), by=request.user,
        )  # fmt: skip
        messages.success(
            request, _("Die Einladung zu „%(title)s“ geht an %(count)s Redakteurinnen und Redakteure.")
            % {"title": invitation.title, "count": invitation.recipients},
        )  # fmt: skip
        return redirect("portal:staff_event_invite")
    from portal.models import EventInvitation

    sent = EventInvitation.objects.select_related("sent_by").order_by("-created_at")[:20]
    return render(request, "portal/staff_event_invite.html", {"form": form, "sent": sent, "has_events": bool(events)})


@staff_required
def staff_figures(request):
    from core.figures import figures_for_year

    try:
        year = int(request.GET.get("jahr", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    figures = figures_for_year(year, prefix="portal.")
    from core.figures import all_figures

    labels = {figure.key: figure.label for figure in all_figures()}
    return render(
        request, "portal/staff_figures.html",
        {
            "year": year,
            "figures": [(labels[key], value) for key, value in figures.items()],
            "views": selectors.view_counts(year),
            "by_occupation": selectors.offers_by_occupation_and_district(year),
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
        },
    )  # fmt: skip
