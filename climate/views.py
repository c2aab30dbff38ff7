from decimal import Decimal

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from climate import becv, chart, exports, hydrogen, selectors, services
from climate.calculator import Calculator, UnknownInput, money, tonnes
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
from climate.models import CalculatorUse, PolicyTalk, Publication, ReferenceTableVersion
from climate.reference import current_reference, current_version, read_hydrogen_prices, reference_for
from contacts.access import organisations_edited_by
from contacts.models import District, Organisation
from contacts.regions import WZ_SECTIONS
from core.permissions import role_required, staff_required

# --- public: CO2-cost calculator ---------------------------------------------------------


def _calculate(request):
    """(form, result or None); the calculator is a GET form so results can be linked and downloaded."""
    submitted = bool(request.GET)
    form = CalculatorForm(request.GET if submitted else None)
    if not submitted or not form.is_valid():
        return form, None
    reference = current_reference()
    try:
        result = Calculator(reference).calculate(form.quantities(), form.net_prices())
    except UnknownInput as error:
        form.add_error(None, _("Unbekannter Brennstoff oder unbekanntes Jahr (%(e)s).") % {"e": error})
        return form, None
    return form, result


def _chart_for(result):
    mids = [money(y.cost["mid"]) for y in result.years]
    return chart.bar_chart(
        title=_("CO2-Kosten pro Jahr"),
        description=_("Balken: mittleres Szenario; Striche: Spanne niedrig bis hoch. Die Werte stehen in der Tabelle."),
        labels=[y.year for y in result.years],
        values=mids,
        low=[money(y.cost["low"]) for y in result.years],
        high=[money(y.cost["high"]) for y in result.years],
        unit="€",
        chart_id="co2-chart",
    )


def calculator(request):
    form, result = _calculate(request)
    context = {"form": form, "result": result, "reference": current_reference(), "language": get_language()}
    if result is not None:
        services.calculator_use_count()
        context["chart"] = _chart_for(result)
        context["totals"] = result.totals()
        context["query"] = request.GET.urlencode()
        context["fuel_totals"] = [
            {"fuel": f, "tonnes": sum((r.tonnes for y in result.years for r in y.rows if r.fuel is f), Decimal(0)),
             "cost": sum((r.cost["mid"] for y in result.years for r in y.rows if r.fuel is f), Decimal(0))}
            for f in result.fuels
        ]  # fmt: skip
    status = 400 if request.GET and result is None else 200
    return render(request, "climate/calculator.html", context, status=status)


def _download(request, kind):
    form, result = _calculate(request)
    if result is None:
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors) or _("Keine Eingaben.")
        return HttpResponse(_("Keine Berechnung möglich: %(e)s") % {"e": errors}, status=400,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    stamp = timezone.localdate().isoformat()
    if kind == "csv":
        response = HttpResponse(exports.calculation_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="co2-kosten-{stamp}.csv"'
    else:
        response = HttpResponse(exports.calculation_pdf(result), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="co2-kosten-{stamp}.pdf"'
    return response


def calculator_csv(request):
    return _download(request, "csv")


def calculator_pdf(request):
    return _download(request, "pdf")


def methodology(request):
    reference = current_reference()
    version = current_version()
    return render(request, "climate/methodology.html", {
        "reference": reference, "version": version, "prices": version.prices.all() if version else [],
        "factors": version.factors.all() if version else [], "fuels": list(reference.fuels.values()) if reference else [],
        "language": get_language(),
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
                current_reference(), quantities=form.quantities(), year=data["year"],
                level_percent=Decimal(data["level"]), deductible=Decimal(data["deductible"]),
                intensity_above_threshold=data["intensity_ok"],
            )  # fmt: skip
        except UnknownInput:
            form.add_error("year", _("Für dieses Jahr gibt es keine Schätzung."))
    status = 400 if submitted and estimate is None else 200
    return render(request, "climate/relief.html", {"form": form, "estimate": estimate, "becv": becv.BECV,
                                                   "version": current_version()}, status=status)  # fmt: skip


# --- public: hydrogen substitution --------------------------------------------------------------


def hydrogen_view(request):
    submitted = bool(request.GET)
    form = HydrogenForm(request.GET if submitted else None)
    context = {"form": form, "observations": read_hydrogen_prices(), "sources": hydrogen.SOURCES,
               "constants": {"lhv": hydrogen.LHV_KWH_PER_KG, "hhv": hydrogen.HHV_KWH_PER_KG,
                             "hi_hs": hydrogen.HI_OVER_HS}}  # fmt: skip
    if submitted and form.is_valid():
        data = form.cleaned_data
        reference = current_reference()
        gas = data["natural_gas"] or Decimal(0)
        oil = data["heating_oil"] or Decimal(0)
        quantities = {k: v for k, v in {"natural_gas": gas, "heating_oil": oil}.items() if v}
        result = Calculator(reference).calculate(quantities)
        last_year = result.years[-1].year
        oil_gj = oil * reference.energy_gj_per_unit("heating_oil", last_year) if oil else Decimal(0)
        demand = hydrogen.demand(gas_kwh_hs=gas, oil_gj_hi=oil_gj)
        basis = data["basis"]
        kg = demand.total_kg(basis)
        h2_price = data["h2_price"]
        fossil = None
        if (not gas or data["gas_price"] is not None) and (not oil or data["oil_price"] is not None):
            fossil = gas * (data["gas_price"] or 0) + oil * (data["oil_price"] or 0)
        rows = []
        for year in result.years:
            h2_cost = kg * h2_price if h2_price is not None else None
            fossil_total = fossil + year.cost["mid"] if fossil is not None else None
            rows.append({"year": year.year, "tonnes": tonnes(year.tonnes), "co2_cost": money(year.cost["mid"]),
                         "co2_low": money(year.cost["low"]), "co2_high": money(year.cost["high"]),
                         "h2_cost": money(h2_cost) if h2_cost is not None else None,
                         "fossil_total": money(fossil_total) if fossil_total is not None else None,
                         "difference": money(h2_cost - fossil_total) if h2_cost is not None and fossil_total is not None
                         else None})  # fmt: skip
        context.update(
            result=result, demand=demand, basis=basis, kg=kg, rows=rows, h2_price=h2_price,
            break_even=(result.years[-1].cost["mid"] + fossil) / kg if fossil is not None and kg else None,
        )  # fmt: skip
    status = 400 if submitted and "result" not in context else 200
    return render(request, "climate/hydrogen.html", context, status=status)


# --- public: publications ------------------------------------------------------------------------


def publications(request):
    items = Publication.objects.filter(is_public=True)
    return render(request, "climate/publications.html", {"publications": items})


def publication_file(request, pk):
    publication = get_object_or_404(Publication, pk=pk)
    if not publication.file or not (publication.is_public or (request.user.is_authenticated
                                                             and request.user.has_role("staff"))):  # fmt: skip
        raise Http404
    return FileResponse(publication.file.open("rb"), as_attachment=True,
                        filename=publication.file.name.rsplit("/", 1)[-1])  # fmt: skip


# --- survey (company side) ------------------------------------------------------------------------


def _survey_submit(request, form, organisation, *, invitation=None):
    data = form.cleaned_data
    return services.survey_submit(
        organisation=organisation, contact_name=data["contact_name"], contact_email=data["contact_email"],
        natural_gas_kwh=data["natural_gas_kwh"], heating_oil_l=data["heating_oil_l"], switch_year=data["switch_year"],
        switch_share=data["switch_share"], can_host=data["can_host"], needs_connection=data["needs_connection"],
        note=data["note"], user=request.user if request.user.is_authenticated else None, invitation=invitation,
    )  # fmt: skip


@role_required()
@require_http_methods(["GET", "POST"])
def survey(request):
    organisations = list(organisations_edited_by(request.user).select_related("district"))
    if not organisations:
        return render(request, "climate/survey_form.html", {"no_organisation": True})
    initial = {"contact_name": request.user.get_full_name(), "contact_email": request.user.email}
    form = SurveyForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("organisation", organisations[0].pk)
        organisation = next((o for o in organisations if o.pk == chosen), None)
        if organisation is None:
            raise Http404
        submission = _survey_submit(request, form, organisation)
        return render(request, "climate/survey_done.html", {"submission": submission})
    status = 400 if request.method == "POST" else 200
    organisation = organisations[0] if len(organisations) == 1 else None
    return render(request, "climate/survey_form.html", {"form": form, "organisation": organisation}, status=status)


@require_http_methods(["GET", "POST"])
def survey_token(request, token):
    invitation = services.survey_invitation_from_token(token)
    if invitation is None:
        return render(request, "climate/survey_invalid.html", status=404)
    initial = {"contact_name": invitation.name, "contact_email": invitation.email}
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submission = _survey_submit(request, form, invitation.organisation, invitation=invitation)
        return render(request, "climate/survey_done.html", {"submission": submission})
    status = 400 if request.method == "POST" else 200
    return render(request, "climate/survey_form.html", {"form": form, "organisation": invitation.organisation},
                  status=status)  # fmt: skip


# --- staff -----------------------------------------------------------------------------------------


@staff_required
def staff_dashboard(request):
    year = timezone.localdate().year
    chosen = request.GET.get("jahr", "")
    if chosen.isdigit() and 2000 <= int(chosen) <= 2100:
        year = int(chosen)
    return render(request, "climate/staff/dashboard.html", {
        "figures": climate_figures(year), "year": year, "version": current_version(),
        "uses": CalculatorUse.objects.filter(month__year=year),
        "talks": PolicyTalk.objects.all()[:5], "publications": Publication.objects.all()[:5],
    })  # fmt: skip


@staff_required
def reference_overview(request):
    version = current_version()
    return render(request, "climate/staff/reference.html", {
        "version": version, "versions": ReferenceTableVersion.objects.select_related("created_by", "based_on"),
        "prices": version.prices.all() if version else [], "factors": version.factors.all() if version else [],
    })  # fmt: skip


@staff_required
def reference_version(request, pk):
    version = get_object_or_404(ReferenceTableVersion, pk=pk)
    return render(request, "climate/staff/reference_version.html", {
        "version": version, "prices": version.prices.all(), "factors": version.factors.all(),
        "reference": reference_for(version),
    })  # fmt: skip


@staff_required
def reference_price(request):
    version = current_version()
    initial = {"valid_from": default_valid_from()}
    year = request.GET.get("jahr")
    if year and year.isdigit():
        price = version.prices.filter(year=int(year)).first()
        if price:
            initial.update(year=price.year, kind=price.kind, low=price.low, mid=price.mid, high=price.high,
                           legal_basis=price.legal_basis, status=price.status, source=price.source)  # fmt: skip
    form = PriceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = services.reference_price_set(
            user=request.user, label=data["label"], valid_from=data["valid_from"], note=data["note"],
            year=data["year"], kind=data["kind"], low=data["low"], mid=data["mid"], high=data["high"],
            legal_basis=data["legal_basis"], status=data["status"], source=data["source"],
        )  # fmt: skip
        messages.success(request, _("Neue Version „%(label)s“ angelegt.") % {"label": new.label})
        return redirect("climate:reference")
    return render(request, "climate/staff/reference_form.html",
                  {"form": form, "title": _("CO2-Preis ändern oder Jahr hinzufügen"), "version": version},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@staff_required
def reference_factor(request):
    version = current_version()
    factors = list(version.factors.all()) if version else []
    initial = {"valid_from": default_valid_from()}
    chosen = request.GET.get("zeile")
    if chosen and chosen.isdigit():
        factor = next((f for f in factors if f.pk == int(chosen)), None)
        if factor:
            initial.update(factor=factor.pk, ef_t_per_gj=factor.ef_t_per_gj, hi_gj_per_t=factor.hi_gj_per_t,
                           density_t_per_1000l=factor.density_t_per_1000l, source=factor.source)  # fmt: skip
    form = FactorForm(request.POST or None, initial=initial, factors=factors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = services.reference_factor_set(
            user=request.user, label=data["label"], valid_from=data["valid_from"], note=data["note"],
            factor_id=data["factor"], ef_t_per_gj=data["ef_t_per_gj"], hi_gj_per_t=data["hi_gj_per_t"],
            density_t_per_1000l=data["density_t_per_1000l"], source=data["source"],
        )  # fmt: skip
        messages.success(request, _("Neue Version „%(label)s“ angelegt.") % {"label": new.label})
        return redirect("climate:reference")
    return render(request, "climate/staff/reference_form.html",
                  {"form": form, "title": _("Emissionsfaktor ändern"), "version": version},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


def _survey_filters(request):
    districts = District.objects.all()
    form = SurveyFilterForm(request.GET or None, districts=districts, sections=sorted(WZ_SECTIONS.items()))
    district_id, section = None, ""
    if form.is_valid():
        district_id = form.cleaned_data["district"]
        section = form.cleaned_data["section"] if form.cleaned_data["section"] in WZ_SECTIONS else ""
    return form, district_id, section


@staff_required
def survey_overview(request):
    form, district_id, section = _survey_filters(request)
    demand = selectors.regional_demand(district_id=district_id, section=section)
    svg = None
    if demand.years:
        svg = chart.bar_chart(
            title=_("Regionaler Wasserstoffbedarf nach Umstiegsjahr (kumuliert)"),
            description=_("Tonnen Wasserstoff pro Jahr (Heizwertbasis), kumuliert über die geplanten Umstiegsjahre."),
            labels=demand.years, values=demand.total.by_year, unit="t H2", chart_id="survey-chart",
        )  # fmt: skip
    return render(request, "climate/staff/survey.html", {
        "form": form, "demand": demand, "chart": svg, "submissions": selectors.submissions_latest(),
        "query": request.GET.urlencode(),
    })  # fmt: skip


@staff_required
def survey_export(request):
    _form, district_id, section = _survey_filters(request)
    demand = selectors.regional_demand(district_id=district_id, section=section)
    response = HttpResponse(exports.survey_csv(demand), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="wasserstoffbedarf-{timezone.localdate().isoformat()}.csv"'
    return response


@staff_required
def survey_invite(request):
    organisations = Organisation.objects.order_by("name").only("id", "name")
    form = SurveyInviteForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        if organisation is None:
            form.add_error("organisation", _("Unbekanntes Unternehmen."))
        else:
            services.survey_invitation_create(organisation=organisation, email=data["email"], name=data["name"],
                                              language=data["language"], user=request.user)  # fmt: skip
            messages.success(request, _("Die Einladung an %(email)s ist verschickt.") % {"email": data["email"]})
            return redirect("climate:survey_overview")
    return render(request, "climate/staff/survey_invite.html", {"form": form},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@staff_required
def talk_list(request):
    talks = PolicyTalk.objects.all()
    year = request.GET.get("jahr", "")
    if year.isdigit():
        talks = talks.filter(date__year=int(year))
    q = request.GET.get("q", "").strip()
    if q:
        talks = talks.filter(topic__icontains=q) | talks.filter(institution__icontains=q)
    return render(request, "climate/staff/talk_list.html", {"talks": talks[:500], "year": year, "q": q})


@staff_required
def talk_edit(request, pk=None):
    talk = get_object_or_404(PolicyTalk, pk=pk) if pk else PolicyTalk()
    form = PolicyTalkForm(request.POST or None, instance=talk)
    if request.method == "POST" and form.is_valid():
        services.policy_talk_save(talk=form.save(commit=False), user=request.user)
        messages.success(request, _("Das Gespräch ist gespeichert."))
        return redirect("climate:talk_list")
    return render(request, "climate/staff/talk_form.html", {"form": form, "talk": talk},
                  status=400 if request.method == "POST" else 200)  # fmt: skip


@staff_required
def publication_list(request):
    return render(request, "climate/staff/publication_list.html", {"publications": Publication.objects.all()})


@staff_required
def publication_edit(request, pk=None):
    publication = get_object_or_404(Publication, pk=pk) if pk else Publication()
    form = PublicationForm(request.POST or None, request.FILES or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        services.publication_save(publication=form.save(commit=False))
        messages.success(request, _("Die Veröffentlichung ist gespeichert."))
        return redirect("climate:publication_list")
    return render(request, "climate/staff/publication_form.html", {"form": form, "publication": publication},
                  status=400 if request.method == "POST" else 200)  # fmt: skip
