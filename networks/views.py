"""Thin views: parse the form, call a service or a selector, render. Staff only, except the public supporters page
and the lead's statement of contributions."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from core.http import is_htmx, render_partial, safe_next_url, show_refusal
from core.params import id_param, year_param
from core.permissions import lead_required, staff_required
from core.roles import Role
from core.tables import TableFileError, table_response
from networks import access, forms, importing, selectors, services
from networks.models import Network, Prospect
from networks.onepager import onepager_pdf


def _bad(form) -> int:
    return 400 if form.errors else 200


def _table(request, *, stem: str, header, rows, title: str):
    return table_response(
        request, filename=f"{stem}-{timezone.localdate():%Y-%m-%d}", header=header, rows=rows, title=title
    )


def _pdf(data) -> HttpResponse:
    response = HttpResponse(onepager_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{data.filename}"'
    return response


# --- networks ---------------------------------------------------------------------------------------------------------


def _overview_filters(request) -> dict:
    state = request.GET.get("status", "")
    return {"state": state if state in Network.State.values else "", "q": request.GET.get("q", "").strip()[:100]}


@staff_required
def overview(request):
    filters = _overview_filters(request)
    return render(
        request,
        "networks/overview.html",
        {"overview": selectors.network_overview(**filters), "filters": filters, "states": Network.State.choices,
         "query": request.GET.urlencode()},
    )  # fmt: skip


@staff_required
def overview_export(request):
    header, rows = selectors.network_export(**_overview_filters(request))
    return _table(request, stem="industrieverbuende", header=header, rows=rows, title=_("Industrieverbünde"))


@staff_required
def network_create(request):
    form = forms.NetworkCreateForm(request.POST or None, users=selectors.staff_users())
    if request.method == "POST" and form.is_valid():
        try:
            network = services.network_create(**form.cleaned_data, by=request.user)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("„%(name)s“ ist angelegt.") % {"name": network.name})
            return redirect(network)
    return render(request, "networks/network_form.html", {"form": form}, status=_bad(form))


def _detail_context(request, pk, **forms_given) -> dict:
    detail = selectors.network_detail(pk)
    network = detail.network
    return {
        "detail": detail,
        "network": network,
        "state_form": forms_given.get("state_form") or forms.StateChangeForm(),
        "member_form": forms_given.get("member_form") or forms.MembershipAddForm(),
        "link_form": forms_given.get("link_form")
        or forms.MeetingLinkForm(events=selectors.meeting_candidates(network)),
    }


@staff_required
def network_detail(request, pk):
    return render(request, "networks/network_detail.html", _detail_context(request, pk))


@staff_required
def network_edit(request, pk):
    network = access.network_for_staff(request.user, pk)
    initial = {
        "name": network.name, "region": network.region, "topic": network.topic, "description": network.description,
        "next_step": network.next_step, "next_step_due": network.next_step_due, "responsible": network.responsible_id,
    }  # fmt: skip
    form = forms.NetworkEditForm(request.POST or None, initial=initial, users=selectors.staff_users())
    if request.method == "POST" and form.is_valid():
        try:
            services.network_update(network=network, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(network)
    return render(request, "networks/network_form.html", {"form": form, "network": network}, status=_bad(form))


@staff_required
@require_POST
def network_state(request, pk):
    network = access.network_for_staff(request.user, pk)
    form = forms.StateChangeForm(request.POST)
    if form.is_valid():
        try:
            services.network_change_state(network=network, **form.cleaned_data, by=request.user)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Der Status ist geändert."))
            return redirect(network)
    return render(request, "networks/network_detail.html", _detail_context(request, pk, state_form=form), status=400)


@staff_required
def membership_add(request, pk):
    network = access.network_for_staff(request.user, pk)
    form = forms.MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(network=network, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(
                request, _("%(name)s ist Mitglied im %(network)s.")
                % {"name": membership.organisation.name, "network": network.name},
            )  # fmt: skip
            return redirect("networks:membership_edit", pk=membership.pk)
    return render(request, "networks/membership_add.html", {"form": form, "network": network}, status=_bad(form))


@staff_required
def membership_edit(request, pk):
    membership = access.membership_for_staff(request.user, pk)
    people = selectors.people_of(membership.organisation)
    initial = {
        "role": membership.role, "joined_on": membership.joined_on, "left_on": membership.left_on,
        "contact_persons": list(membership.contact_persons.values_list("pk", flat=True)),
    }  # fmt: skip
    form = forms.MembershipEditForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Mitgliedschaft ist gespeichert."))
            return redirect(membership.network)
    return render(request, "networks/membership_edit.html", {"form": form, "membership": membership}, status=_bad(form))


@staff_required
def member_export(request, pk):
    network = access.network_for_staff(request.user, pk)
    header, rows = selectors.member_export(network)
    return _table(request, stem=f"mitglieder-{network.slug}", header=header, rows=rows, title=_("Mitglieder"))


@staff_required
@require_POST
def meeting_link(request, pk):
    network = access.network_for_staff(request.user, pk)
    form = forms.MeetingLinkForm(request.POST, events=selectors.meeting_candidates(network))
    if form.is_valid():
        try:
            services.meeting_link(network=network, event_id=form.cleaned_data["event"])
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Das Treffen ist eingetragen."))
            return redirect(network)
    return render(request, "networks/network_detail.html", _detail_context(request, pk, link_form=form), status=400)


@staff_required
def meeting_plan(request, pk):
    network = access.network_for_staff(request.user, pk)
    form = forms.MeetingPlanForm(
        request.POST or None, initial={"title": _("Netzwerktreffen %(name)s") % {"name": network.name}}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(network=network, **form.cleaned_data, by=request.user)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(
                request,
                _("Das Treffen ist als Entwurf angelegt. Veröffentlichen Sie es in der Veranstaltungsverwaltung."),
            )
            return redirect(reverse("events:staff_edit", args=[meeting.event_id]))
    return render(request, "networks/meeting_plan.html", {"form": form, "network": network}, status=_bad(form))


@staff_required
@require_POST
def meeting_unlink(request, pk):
    meeting = access.meeting_for_staff(request.user, pk)
    services.meeting_unlink(meeting=meeting)
    messages.success(request, _("Die Veranstaltung zählt nicht mehr als Treffen des Verbunds."))
    return redirect(meeting.network)


@staff_required
def network_onepager(request, pk):
    network = access.network_for_staff(request.user, pk)
    return _pdf(selectors.network_onepager_data(network))


# --- an organisation's memberships ------------------------------------------------------------------------------------


@staff_required
def organisation(request, pk):
    organisation = access.organisation_for_staff(request.user, pk)
    memberships = selectors.organisation_memberships(organisation)
    logo = memberships.logo
    logo_form = forms.LogoForm(initial={"public": bool(logo and logo.public)})
    today = timezone.localdate()
    support_form = forms.SupportForm(
        initial={
            "year": today.year,
            "starts_on": today.replace(month=1, day=1),
            "ends_on": today.replace(month=12, day=31),
        }
    )
    return render(
        request, "networks/organisation.html",
        {"organisation": organisation, "memberships": memberships, "logo_form": logo_form, "support_form": support_form},
    )  # fmt: skip


@staff_required
def logo_edit(request, pk):
    organisation = access.organisation_for_staff(request.user, pk)
    form = forms.LogoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.logo_save(organisation=organisation, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Das Logo ist gespeichert."))
            return redirect("networks:organisation", pk=organisation.pk)
    return render(request, "networks/logo_form.html", {"form": form, "organisation": organisation}, status=_bad(form))


@staff_required
@require_POST
def support_add_for(request, pk):
    organisation = access.organisation_for_staff(request.user, pk)
    form = forms.SupportForm(request.POST)
    if form.is_valid():
        try:
            support = services.support_save(organisation=organisation, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Eingetragen für %(year)s.") % {"year": support.year})
            return redirect("networks:organisation", pk=organisation.pk)
    return render(request, "networks/support_form.html", {"form": form, "organisation": organisation}, status=400)


# --- acquisition ------------------------------------------------------------------------------------------------------


def _board_filters(request) -> dict:
    target = request.GET.get("fuer", "")
    known = {slug for slug, _name in selectors.network_choices()} | {selectors.INITIATIVE_KEY}
    return {"target": target if target in known else "", "responsible_id": id_param(request.GET, "zustaendig")}


@staff_required
def prospect_board(request):
    filters = _board_filters(request)
    context = {
        "columns": selectors.board(**filters), "filters": filters, "networks": selectors.network_choices(),
        "users": selectors.staff_users(), "stages": Prospect.Stage.choices, "query": request.GET.urlencode(),
        "initiative_key": selectors.INITIATIVE_KEY, "today": timezone.localdate(), "partial": is_htmx(request),
    }  # fmt: skip
    return render_partial(request, "networks/board.html", "networks/_board.html", context)


@staff_required
def prospect_export(request):
    header, rows = selectors.prospect_export(**_board_filters(request))
    return _table(request, stem="akquise", header=header, rows=rows, title=_("Akquise"))


@staff_required
def prospect_create(request):
    networks = selectors.network_choices()
    initial = {"target": request.GET.get("fuer", selectors.INITIATIVE_KEY), "responsible": request.user.pk}
    form = forms.ProspectCreateForm(
        request.POST or None, initial=initial, networks=networks, users=selectors.staff_users()
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = data.pop("target")
        network = Network.objects.get(slug=target) if target != selectors.INITIATIVE_KEY else None
        try:
            prospect = services.prospect_create(network=network, **data, by=request.user)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("%(name)s ist in der Akquise.") % {"name": prospect.organisation.name})
            return redirect(prospect)
    return render(request, "networks/prospect_create.html", {"form": form}, status=_bad(form))


def _prospect_context(request, pk, **given) -> dict:
    prospect = selectors.prospect_detail(pk)
    initial = {
        "contact_name": prospect.contact_name, "contact_email": prospect.contact_email,
        "next_step": prospect.next_step, "next_step_due": prospect.next_step_due, "notes": prospect.notes,
        "responsible": prospect.responsible_id,
    }  # fmt: skip
    return {
        "prospect": prospect,
        "edit_form": given.get("edit_form") or forms.ProspectEditForm(initial=initial, users=selectors.staff_users()),
        "move_form": given.get("move_form") or forms.ProspectMoveForm(initial={"stage": prospect.stage}),
        "send_form": given.get("send_form") or forms.OnePagerSendForm(initial={"to": prospect.contact_email}),
    }


@staff_required
def prospect_detail(request, pk):
    prospect = access.prospect_for_staff(request.user, pk)
    if request.method == "POST":
        form = forms.ProspectEditForm(request.POST, users=selectors.staff_users())
        if form.is_valid():
            services.prospect_update(prospect=prospect, **form.cleaned_data)
            messages.success(request, _("Gespeichert."))
            return redirect(prospect)
        return render(
            request, "networks/prospect_detail.html", _prospect_context(request, pk, edit_form=form), status=400
        )
    return render(request, "networks/prospect_detail.html", _prospect_context(request, pk))


@staff_required
@require_POST
def prospect_move(request, pk):
    """From the board (a form per card, or htmx) or the prospect's page; back to where it came from."""
    prospect = access.prospect_for_staff(request.user, pk)
    back = safe_next_url(request, prospect.get_absolute_url())
    form = forms.ProspectMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie eine Phase."))
        return redirect(back)
    try:
        prospect = services.prospect_move(prospect=prospect, by=request.user, **form.cleaned_data)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(name)s: %(stage)s.") % {"name": prospect.organisation.name, "stage": prospect.get_stage_display()},
        )
    return redirect(back)


@staff_required
@require_POST
def prospect_onepager(request, pk):
    prospect = access.prospect_for_staff(request.user, pk)
    form = forms.OnePagerSendForm(request.POST)
    if form.is_valid():
        try:
            services.prospect_send_onepager(prospect=prospect, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Der One-Pager geht an %(to)s.") % {"to": form.cleaned_data["to"]})
            return redirect(prospect)
    return render(request, "networks/prospect_detail.html", _prospect_context(request, pk, send_form=form), status=400)


# --- the initiative ---------------------------------------------------------------------------------------------------


@staff_required
def initiative(request):
    year = year_param(request.GET)
    overview = selectors.initiative_overview(year)
    now = timezone.now()
    upcoming = [row.event for row in overview.events if row.event.starts_at > now]
    return render(
        request, "networks/initiative.html",
        {"overview": overview, "year": year, "link_form": forms.EventChoiceForm(events=selectors.initiative_event_candidates()),
         "invite_form": forms.InviteForm(events=upcoming), "years": range(timezone.localdate().year + 1, 2019, -1),
         "is_lead": request.user.has_role(Role.LEAD)},
    )  # fmt: skip


def supporters(request):
    """Public: this year's members and sponsors who agreed to be shown, with their logos."""
    return render(request, "networks/supporters.html", selectors.supporters_public())


@staff_required
def support_create(request):
    today = timezone.localdate()
    initial = {
        "year": today.year,
        "starts_on": today.replace(month=1, day=1),
        "ends_on": today.replace(month=12, day=31),
    }
    form = forms.SupportForm(request.POST or None, initial=initial, with_organisation=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            support = services.support_save(**data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("%(name)s ist eingetragen.") % {"name": support.organisation.name})
            return redirect(f"{reverse('networks:initiative')}?jahr={support.year}")
    return render(request, "networks/support_form.html", {"form": form}, status=_bad(form))


@staff_required
def support_edit(request, pk):
    support = access.support_for_staff(request.user, pk)
    people = selectors.people_of(support.organisation)
    initial = {
        "year": support.year, "kind": support.kind, "level": support.level, "contribution": support.contribution,
        "starts_on": support.starts_on, "ends_on": support.ends_on,
        "contact_persons": list(support.contact_persons.values_list("pk", flat=True)),
    }  # fmt: skip
    form = forms.SupportForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and request.POST.get("loeschen") == "1":
        services.support_delete(support=support)
        messages.success(request, _("Der Eintrag ist gelöscht."))
        return redirect(f"{reverse('networks:initiative')}?jahr={support.year}")
    if request.method == "POST" and form.is_valid():
        try:
            services.support_save(support=support, organisation=support.organisation, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(f"{reverse('networks:initiative')}?jahr={form.cleaned_data['year']}")
    return render(
        request, "networks/support_form.html",
        {"form": form, "support": support, "organisation": support.organisation}, status=_bad(form),
    )  # fmt: skip


@staff_required
@require_POST
def initiative_event_link(request):
    form = forms.EventChoiceForm(request.POST, events=selectors.initiative_event_candidates())
    if form.is_valid():
        try:
            services.initiative_event_link(event_id=form.cleaned_data["event"])
        except ServiceError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Die Veranstaltung gehört jetzt zur Initiative."))
    else:
        messages.error(request, _("Bitte wählen Sie eine Veranstaltung."))
    return redirect("networks:initiative")


@staff_required
@require_POST
def initiative_event_unlink(request, pk):
    services.initiative_event_unlink(initiative_event=access.initiative_event_for_staff(request.user, pk))
    messages.success(request, _("Die Veranstaltung gehört nicht mehr zur Initiative."))
    return redirect("networks:initiative")


@staff_required
@require_POST
def initiative_invite(request):
    year = year_param(request.POST)
    form = forms.InviteForm(request.POST, events=[row.event for row in selectors.initiative_overview(year).events])
    if form.is_valid():
        try:
            count = services.initiative_invite(
                event_id=form.cleaned_data["event"], year=year, by=request.user, message=form.cleaned_data["message"]
            )
        except ServiceError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("%(count)s Einladungen verschickt.") % {"count": count})
    else:
        messages.error(request, _("Bitte wählen Sie eine Veranstaltung."))
    return redirect(f"{reverse('networks:initiative')}?jahr={year}")


@staff_required
def initiative_onepager(request):
    return _pdf(selectors.initiative_onepager_data(contact_user=request.user))


@lead_required
def statement(request):
    year = year_param(request.GET)
    return render(
        request, "networks/statement.html",
        {"statement": selectors.contribution_statement(year), "year": year,
         "years": range(timezone.localdate().year + 1, 2019, -1)},
    )  # fmt: skip


@lead_required
def statement_export(request):
    year = year_param(request.GET)
    header, rows = selectors.statement_export(year, as_text=request.GET.get("format") != "xlsx")
    return _table(
        request, stem=f"beitraege-{year}", header=header, rows=rows, title=_("Beiträge %(year)s") % {"year": year}
    )


@staff_required
def partnerships(request):
    form = forms.PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_save(**form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect("networks:partnerships")
    return render(
        request, "networks/partnerships.html", {"form": form, "partnerships": selectors.partnerships()},
        status=_bad(form),
    )  # fmt: skip


# --- campaigns --------------------------------------------------------------------------------------------------------


@staff_required
def campaign_list(request):
    return render(request, "networks/campaign_list.html", {"campaigns": selectors.campaigns_overview()})


@staff_required
def campaign_create(request):
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_save(**form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            return redirect(campaign)
    return render(request, "networks/campaign_form.html", {"form": form}, status=_bad(form))


@staff_required
def campaign_edit(request, pk):
    campaign = access.campaign_for_staff(request.user, pk)
    initial = {
        "name": campaign.name, "channel": campaign.channel, "partner": campaign.partner,
        "description": campaign.description, "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
    }  # fmt: skip
    form = forms.CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_save(campaign=campaign, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Gespeichert."))
            return redirect(campaign)
    return render(request, "networks/campaign_form.html", {"form": form, "campaign": campaign}, status=_bad(form))


@staff_required
def campaign_detail(request, pk):
    return render(request, "networks/campaign_detail.html", {"detail": selectors.campaign_detail(pk)})


def _post_form(request, campaign, post=None):
    initial = {"channel": campaign.channel, "published_on": timezone.localdate()}
    if post is not None:
        initial = {
            "published_on": post.published_on, "channel": post.channel, "link": post.link, "caption": post.caption,
            "author_name": post.author_name, "author_role": post.author_role, "author_email": post.author_email,
            "organisation": post.organisation, "reach": post.reach, "interactions": post.interactions,
            "occupation": post.occupation_slug,
        }  # fmt: skip
    return forms.PostForm(request.POST or None, initial=initial, occupations=selectors.occupation_options())


def _save_post(request, form, campaign, post=None):
    data = dict(form.cleaned_data)
    data["occupation_slug"] = data.pop("occupation")
    try:
        return services.post_save(campaign=campaign, post=post, **data)
    except ServiceError as error:
        show_refusal(request, error, form)
        return None


@staff_required
def post_create(request, pk):
    campaign = access.campaign_for_staff(request.user, pk)
    form = _post_form(request, campaign)
    if request.method == "POST" and form.is_valid() and _save_post(request, form, campaign):
        messages.success(request, _("Der Beitrag ist gespeichert."))
        return redirect(campaign)
    return render(request, "networks/post_form.html", {"form": form, "campaign": campaign}, status=_bad(form))


@staff_required
def post_edit(request, pk):
    post = access.post_for_staff(request.user, pk)
    campaign = post.campaign
    if request.method == "POST" and request.POST.get("loeschen") == "1":
        services.post_delete(post=post)
        messages.success(request, _("Der Beitrag ist gelöscht."))
        return redirect(campaign)
    form = _post_form(request, campaign, post)
    if request.method == "POST" and form.is_valid() and _save_post(request, form, campaign, post):
        messages.success(request, _("Der Beitrag ist gespeichert."))
        return redirect(campaign)
    return render(
        request, "networks/post_form.html", {"form": form, "campaign": campaign, "post": post}, status=_bad(form)
    )


@staff_required
def post_export(request, pk):
    campaign = access.campaign_for_staff(request.user, pk)
    header, rows = selectors.post_export(campaign)
    return _table(request, stem=f"beitraege-{campaign.slug}", header=header, rows=rows, title=_("Beiträge"))


@staff_required
def post_import(request, pk):
    campaign = access.campaign_for_staff(request.user, pk)
    form = forms.PostImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importing.post_import_preview(
                campaign=campaign, data=upload.read(importing.MAX_FILE_BYTES + 1), filename=upload.name,
                user=request.user,
            )  # fmt: skip
        except TableFileError as error:
            show_refusal(request, error, form)
        else:
            return redirect("networks:post_import_preview", pk=batch.pk)
    return render(
        request, "networks/post_import.html",
        {"form": form, "campaign": campaign, "columns": importing.COLUMNS.values()}, status=_bad(form),
    )  # fmt: skip


@staff_required
def post_import_preview(request, pk):
    batch = access.post_import_for_staff(request.user, pk)
    return render(
        request, "networks/post_import_preview.html", {"batch": batch, "summary": importing.import_summary(batch)}
    )


@staff_required
@require_POST
def post_import_confirm(request, pk):
    batch = access.post_import_for_staff(request.user, pk)
    try:
        batch = importing.post_import_confirm(batch=batch)
    except ServiceError as error:
        show_refusal(request, error)
        return redirect("networks:post_import_preview", pk=pk)
    messages.success(
        request, _("Übernommen: %(updated)s Beiträge aktualisiert, %(created)s neu angelegt.")
        % {"updated": batch.updated_count, "created": batch.created_count},
    )  # fmt: skip
    return redirect(batch.campaign)


@staff_required
@require_POST
def post_import_discard(request, pk):
    batch = access.post_import_for_staff(request.user, pk)
    try:
        importing.post_import_discard(batch=batch)
    except ServiceError as error:
        show_refusal(request, error)
        return redirect("networks:post_import_preview", pk=pk)
    messages.success(request, _("Der Import ist verworfen; es wurde nichts übernommen."))
    return redirect(batch.campaign)


# --- fair stands ------------------------------------------------------------------------------------------------------


@staff_required
def stand_list(request):
    form = forms.StandForm(request.POST or None, events=selectors.fair_events())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            stand = services.stand_save(event_id=data.pop("event"), **data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            return redirect(stand)
    return render(
        request, "networks/stand_list.html", {"stands": selectors.stands_overview(), "form": form}, status=_bad(form)
    )


@staff_required
def stand_detail(request, pk):
    stand = access.stand_for_staff(request.user, pk)
    newsletters = selectors.newsletter_options()
    form = forms.LeadForm(
        request.POST or None, occupations=selectors.occupation_options(), newsletters=newsletters,
        initial={"newsletter_list": newsletters[0][0] if newsletters else ""},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["occupation_slug"], data["newsletter_list_slug"] = data.pop("occupation"), data.pop("newsletter_list")
        try:
            lead = services.lead_add(stand=stand, by=request.user, **data)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("%(name)s ist erfasst.") % {"name": lead.name})
            return redirect(stand)
    return render(
        request, "networks/stand_detail.html", {"stand": stand, "leads": selectors.stand_leads(stand), "form": form},
        status=_bad(form),
    )  # fmt: skip


@staff_required
def lead_export(request, pk):
    stand = access.stand_for_staff(request.user, pk)
    header, rows = selectors.lead_export(stand)
    return _table(request, stem="messekontakte", header=header, rows=rows, title=_("Kontakte vom Messestand"))
