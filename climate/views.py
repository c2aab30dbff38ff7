"""Thin views: parse the form or parameters, call a selector, a calculation or a service, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from climate import access, becv, chart, exports, hydrogen, selectors, services
from climate.calculator import Calculator, UnknownInput
from climate.figures import climate_figures
from climate.forms import (
    CalculatorForm,
    FactorForm,
    HydrogenForm,
    PolicyTalkForm,
    PriceForm,
    PublicationForm,
    ReliefForm,
    SurveyFilterForm,
    SurveyForm,
    SurveyInviteForm,
    default_valid_from,
)
from climate.reference import current_reference, current_version, reference_for
from core.fragments import cached_page, fragment, fragment_get
from core.http import private_page, show_refusal
from core.params import id_param, int_param, page_param, year_param, year_range
from core.permissions import role_required, staff_required


def _status(request) -> int:
    """A form that comes back after a POST came back because of an error."""
    return 400 if request.method == "POST" else 200


# --- public: CO2-cost calculator ---------------------------------------------------------


def _calculate(request, reference=None):
    """(form, result or None); the calculator is a GET form so results can be linked and downloaded."""
    submitted = bool(request.GET)
    form = CalculatorForm(request.GET if submitted else None)
    if not submitted or not form.is_valid():
        return form, None
    try:
        result = Calculator(reference or current_reference()).calculate(form.quantities(), form.net_prices())
    except UnknownInput as error:
        form.add_error(None, _("Unbekannter Brennstoff oder unbekanntes Jahr (%(e)s).") % {"e": error})
        return form, None
    return form, result


def calculator(request):
    reference = current_reference()
    # A result is a pure function of the inputs and the reference version (a version never changes
    # once written): its form and tables are rendered once per process (core.fragments).
    key = None
    if request.GET and reference is not None:
        key = ("climate.calculator", reference.version_id, reference.version_label, request.GET.urlencode())
    cached = fragment_get(key) if key else None
    if cached is not None:  # the page around the result is the same for everyone too (cached_page)
        services.calculator_use_count()
        return cached_page(
            request, "climate/calculator.html", {"reference": reference},
            key=(reference.version_id, reference.version_label), per_request={"body_html": cached},
        )  # fmt: skip
    form, result = _calculate(request, reference)
    context = {"form": form, "result": result, "reference": reference, "language": get_language()}
    if result is not None:
        services.calculator_use_count()
        context.update(
            chart=chart.cost_chart(result), totals=result.totals(), fuel_totals=result.fuel_totals(),
            query=request.GET.urlencode(),
        )  # fmt: skip
        if key:
            context["body_html"] = fragment(key, lambda: render_to_string("climate/_calculator_body.html", context))
    return render(request, "climate/calculator.html", context, status=400 if request.GET and result is None else 200)


def _no_calculation(form) -> HttpResponse:
    errors = "; ".join(str(e) for errors in form.errors.values() for e in errors) or _("Keine Eingaben.")
    return HttpResponse(_("Keine Berechnung möglich: %(e)s") % {"e": errors}, status=400,
                        content_type="text/plain; charset=utf-8")  # fmt: skip


def calculator_csv(request):
    form, result = _calculate(request)
    if result is None:
        return _no_calculation(form)
    header, rows = exports.calculation_table(result)
    return exports.download(request, filename=f"co2-kosten-{timezone.localdate().isoformat()}", header=header,
                            rows=rows, title=_("CO2-Kosten"))  # fmt: skip


def calculator_pdf(request):
    form, result = _calculate(request)
    if result is None:
        return _no_calculation(form)
    response = HttpResponse(exports.calculation_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="co2-kosten-{timezone.localdate().isoformat()}.pdf"'
    return response


def methodology(request):
    reference = current_reference()
    version = current_version()
    prices, factors = selectors.reference_tables(version)
    return render(request, "climate/methodology.html", {
        "reference": reference, "version": version, "prices": prices, "factors": factors,
        "fuels": list(reference.fuels.values()), "language": get_language(),
    })  # fmt: skip


# --- public: BECV relief ---------------------------------------------------------------------


def relief(request):
    submitted = bool(request.GET)
    form = ReliefForm(request.GET if submitted else None)
    estimate = None
    if submitted and form.is_valid():
        data = form.cleaned_data
        try:
            estimate = becv.estimate(
                current_reference(), quantities=form.quantities(), year=data["year"], level_percent=data["level"],
                deductible=data["deductible"], intensity_above_threshold=data["intensity_ok"],
            )  # fmt: skip
        except UnknownInput:
            form.add_error("year", _("Für dieses Jahr gibt es keine Schätzung."))
    return render(request, "climate/relief.html", {"form": form, "estimate": estimate, "becv": becv.BECV,
                                                   "version": current_version()},
                  status=400 if submitted and estimate is None else 200)  # fmt: skip


# --- public: hydrogen substitution --------------------------------------------------------------


def hydrogen_view(request):
    submitted = bool(request.GET)
    form = HydrogenForm(request.GET if submitted else None)
    comparison = None
    if submitted and form.is_valid():
        data = form.cleaned_data
        comparison = hydrogen.compare(
            current_reference(), gas_kwh_hs=data["natural_gas"], oil_l=data["heating_oil"], basis=data["basis"],
            h2_price=data["h2_price"], gas_price=data["gas_price"], oil_price=data["oil_price"],
        )  # fmt: skip
    return render(request, "climate/hydrogen.html", {
        "form": form, "comparison": comparison, "observations": hydrogen.price_observations(),
        "constants": {"lhv": hydrogen.LHV_KWH_PER_KG, "hhv": hydrogen.HHV_KWH_PER_KG, "hi_hs": hydrogen.HI_OVER_HS},
    }, status=400 if submitted and comparison is None else 200)  # fmt: skip


# --- public: publications ------------------------------------------------------------------------


def publications(request):
    return render(request, "climate/publications.html", {"publications": selectors.publications_public()})


def publication_file(request, pk):
    publication = access.publication_for_download(request.user, pk)
    return FileResponse(publication.file.open("rb"), as_attachment=True,
                        filename=publication.file.name.rsplit("/", 1)[-1])  # fmt: skip


# --- survey (company side) ------------------------------------------------------------------------


def _survey_answer(request, form, organisation, *, invitation=None):
    """The stored answer, or None when the service refused (the reason is on the form)."""
    data = form.cleaned_data
    try:
        return services.survey_submit(
            organisation=organisation, contact_name=data["contact_name"], contact_email=data["contact_email"],
            natural_gas_kwh=data["natural_gas_kwh"], heating_oil_l=data["heating_oil_l"],
            switch_year=data["switch_year"], switch_share=data["switch_share"], can_host=data["can_host"],
            needs_connection=data["needs_connection"], note=data["note"],
            user=request.user if request.user.is_authenticated else None, invitation=invitation,
        )  # fmt: skip
    except services.SurveyRefused as error:
        show_refusal(request, error, form)
        return None


@role_required()
@require_http_methods(["GET", "POST"])
def survey(request):
    organisations = access.survey_organisations_for_user(request.user)
    if not organisations:
        return render(request, "climate/survey_form.html", {"no_organisation": True})
    initial = {"contact_name": request.user.get_full_name(), "contact_email": request.user.email}
    form = SurveyForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = access.survey_organisation_for_user(
            request.user, form.cleaned_data.get("organisation", organisations[0].pk)
        )
        submission = _survey_answer(request, form, organisation)
        if submission is not None:
            return render(request, "climate/survey_done.html", {"submission": submission})
    organisation = organisations[0] if len(organisations) == 1 else None
    return render(request, "climate/survey_form.html", {"form": form, "organisation": organisation},
                  status=_status(request))  # fmt: skip


@private_page
@require_http_methods(["GET", "POST"])
def survey_token(request, token):
    try:
        invitation = access.survey_invitation_for_token(token)
    except Http404:
        return render(request, "climate/survey_invalid.html", status=404)
    form = SurveyForm(
        request.POST or None, initial={"contact_name": invitation.name, "contact_email": invitation.email}
    )
    if request.method == "POST" and form.is_valid():
        submission = _survey_answer(request, form, invitation.organisation, invitation=invitation)
        if submission is not None:
            return render(request, "climate/survey_done.html", {"submission": submission})
    return render(request, "climate/survey_form.html", {"form": form, "organisation": invitation.organisation},
                  status=_status(request))  # fmt: skip


# --- staff -----------------------------------------------------------------------------------------


@staff_required
def staff_dashboard(request):
    year = year_param(request.GET)
    return render(request, "climate/staff/dashboard.html", {
        "figures": climate_figures(year), "year": year, "years": year_range(), "version": current_version(),
        "uses": selectors.calculator_uses(year), "talks": selectors.talks_latest(),
        "publications": selectors.publications_latest(),
    })  # fmt: skip


@staff_required
def reference_overview(request):
    version = current_version()
    prices, factors = selectors.reference_tables(version)
    return render(request, "climate/staff/reference.html", {
        "version": version, "versions": selectors.reference_versions(), "prices": prices, "factors": factors,
    })  # fmt: skip


@staff_required
def reference_version(request, pk):
    version = access.reference_version_for_staff(request.user, pk)
    prices, factors = selectors.reference_tables(version)
    return render(request, "climate/staff/reference_version.html", {
        "version": version, "prices": prices, "factors": factors, "reference": reference_for(version),
    })  # fmt: skip


def _version_created(request, version):
    messages.success(request, _("Neue Version „%(label)s“ angelegt.") % {"label": version.label})
    return redirect("climate:reference")


@staff_required
@require_http_methods(["GET", "POST"])
def reference_price(request):
    version = current_version()
    prices, _factors = selectors.reference_tables(version)
    year = int_param(request.GET, "jahr", minimum=2021, maximum=2100)
    form = PriceForm(request.POST or None, initial=PriceForm.initial_for(
        next((p for p in prices if p.year == year), None), valid_from=default_valid_from()
    ))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            return _version_created(request, services.reference_price_set(user=request.user, **form.cleaned_data))
        except services.ReferenceChangeRefused as error:
            show_refusal(request, error, form)
    return render(request, "climate/staff/reference_form.html",
                  {"form": form, "title": _("CO2-Preis ändern oder Jahr hinzufügen"), "version": version},
                  status=_status(request))  # fmt: skip


@staff_required
@require_http_methods(["GET", "POST"])
def reference_factor(request):
    version = current_version()
    _prices, factors = selectors.reference_tables(version)
    chosen = id_param(request.GET, "zeile")
    form = FactorForm(request.POST or None, factors=factors, initial=FactorForm.initial_for(
        next((f for f in factors if f.pk == chosen), None), valid_from=default_valid_from()
    ))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            return _version_created(
                request, services.reference_factor_set(user=request.user, factor_id=data.pop("factor"), **data)
            )
        except services.ReferenceChangeRefused as error:
            show_refusal(request, error, form)
    return render(request, "climate/staff/reference_form.html",
                  {"form": form, "title": _("Emissionsfaktor ändern"), "version": version},
                  status=_status(request))  # fmt: skip


@staff_required
def survey_overview(request):
    form = SurveyFilterForm(request.GET or None)
    demand = selectors.regional_demand(**form.filters())
    return render(request, "climate/staff/survey.html", {
        "form": form, "demand": demand, "chart": chart.demand_chart(demand),
        "submissions": selectors.submissions_latest(), "latest_limit": selectors.LATEST_SUBMISSIONS,
        "query": request.GET.urlencode(),
    })  # fmt: skip


@staff_required
def survey_export(request):
    header, rows = exports.survey_table(selectors.regional_demand(**SurveyFilterForm(request.GET or None).filters()))
    return exports.download(request, filename=f"wasserstoffbedarf-{timezone.localdate().isoformat()}",
                            header=header, rows=rows, title=_("Wasserstoffbedarf"))  # fmt: skip


@staff_required
def survey_answers_export(request):
    header, rows = exports.submission_table(
        selectors.submission_rows(**SurveyFilterForm(request.GET or None).filters())
    )
    return exports.download(request, filename=f"wasserstoff-antworten-{timezone.localdate().isoformat()}",
                            header=header, rows=rows, title=_("Antworten"))  # fmt: skip


@staff_required
@require_http_methods(["GET", "POST"])
def survey_invite(request):
    form = SurveyInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_invitation_create(organisation=data["organisation"], email=data["email"],
                                              name=data["name"], language=data["language"], user=request.user)  # fmt: skip
        except services.SurveyRefused as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Einladung an %(email)s (%(organisation)s) ist verschickt. Sie können "
                                        "gleich die nächste senden.")
                             % {"email": data["email"], "organisation": data["organisation"].name})  # fmt: skip
            return redirect("climate:survey_invite")
    return render(request, "climate/staff/survey_invite.html",
                  {"form": form, "invitations": selectors.invitations_latest()}, status=_status(request))  # fmt: skip


@staff_required
@require_POST
def survey_invitation_revoke(request, pk):
    invitation = services.survey_invitation_revoke(invitation=access.survey_invitation_for_staff(request.user, pk))
    messages.success(request, _("Der persönliche Link für %(email)s gilt nicht mehr.") % {"email": invitation.email})
    return redirect("climate:survey_invite")


def _talk_filters(request) -> dict:
    return {"year": year_param(request.GET, default=None), "q": request.GET.get("q", "").strip()[:200]}


@staff_required
def talk_list(request):
    filters = _talk_filters(request)
    paginator = Paginator(selectors.talks_filtered(**filters), selectors.TALKS_PER_PAGE)
    page = paginator.get_page(page_param(request.GET, last=paginator.num_pages))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "climate/staff/talk_list.html", {
        "page": page, "year": filters["year"], "q": filters["q"], "years": year_range(), "query": query.urlencode(),
    })  # fmt: skip


@staff_required
def talk_export(request):
    header, rows = exports.talk_table(selectors.talk_rows(**_talk_filters(request)))
    return exports.download(request, filename=f"politikgespraeche-{timezone.localdate().isoformat()}",
                            header=header, rows=rows, title=_("Politikgespräche"))  # fmt: skip


@staff_required
@require_http_methods(["GET", "POST"])
def talk_edit(request, pk=None):
    talk = access.policy_talk_for_staff(request.user, pk) if pk else None
    form = PolicyTalkForm(request.POST or None, instance=talk)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_talk_save(talk=talk, user=request.user, **form.cleaned_data)
        except services.RecordRefused as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Das Gespräch ist gespeichert."))
            return redirect("climate:talk_list")
    return render(request, "climate/staff/talk_form.html", {"form": form, "talk": talk}, status=_status(request))


@staff_required
def publication_list(request):
    return render(request, "climate/staff/publication_list.html", {"publications": selectors.publications_all()})


@staff_required
@require_http_methods(["GET", "POST"])
def publication_edit(request, pk=None):
    publication = access.publication_for_staff(request.user, pk) if pk else None
    form = PublicationForm(request.POST or None, request.FILES or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_save(publication=publication, **form.cleaned_data)
        except services.RecordRefused as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Die Veröffentlichung ist gespeichert."))
            return redirect("climate:publication_list")
    return render(request, "climate/staff/publication_form.html", {"form": form, "publication": publication},
                  status=_status(request))  # fmt: skip
