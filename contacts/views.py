import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts import duplicates, exporting, importing, merging, picker, selectors, services
from contacts.access import import_batch_for_user
from contacts.forms import (
    EditorInviteForm,
    ImportUploadForm,
    MergeChooseForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonAtOrganisationForm,
    PersonForm,
)
from contacts.models import Organisation, Person
from contacts.tabular import ORGANISATION_COLUMNS
from core.errors import ServiceError, StateConflict
from core.http import render_partial, show_refusal
from core.organisations import organisation_filters
from core.params import id_param, page_param
from core.permissions import lead_required, staff_required
from core.privacy import DataSubject, personal_data_erase, personal_data_export
from core.tables import table_response
from core.timeline import timeline_for_organisation


def _filters_from(request) -> tuple[OrganisationFilterForm, selectors.OrganisationFilters]:
    choices = selectors.filter_choices()
    form = OrganisationFilterForm(request.GET or None, districts=choices["districts"], tags=choices["tags"])
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.OrganisationFilters(
            q=data["q"], district=data["district"], section=data["section"], size_class=data["size_class"],
            member=data["member"], energy_intensive=data["energy_intensive"], tag=data["tag"],
            extra=tuple((f.param, data[f.param]) for f in organisation_filters() if data.get(f.param)),
        )  # fmt: skip
    else:
        filters = selectors.OrganisationFilters()
    return form, filters


@staff_required
def organisation_list(request):
    form, filters = _filters_from(request)
    page = selectors.organisation_page(filters, cursor=request.GET.get("nach", ""))
    query = request.GET.copy()
    query.pop("nach", None)
    return render_partial(
        request,
        "contacts/organisation_list.html",
        "contacts/_organisation_rows.html",
        {"form": form, "page": page, "filters": filters, "query": query.urlencode()},
    )


@staff_required
def organisation_suggestions(request):
    """The organisation picker's ``<option>``s while typing (htmx); ``feld`` names the input."""
    query = request.GET.get(request.GET.get("feld") or "q", "")
    labels = [picker.organisation_label(org) for org in picker.organisation_candidates(query)]
    response = render(request, "contacts/_organisation_options.html", {"suggestions": labels})
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
def person_suggestions(request):
    """The person picker's ``<option>``s while typing (htmx); ``feld`` names the input."""
    query = request.GET.get(request.GET.get("feld") or "q", "")
    # a form that names the company first sends it along: then only that company's people are offered
    organisation = (
        picker.organisation_resolve(request.GET["organisation"])[0] if "organisation" in request.GET else None
    )
    labels = [picker.person_label(person) for person in picker.person_candidates(query, organisation=organisation)]
    response = render(request, "contacts/_organisation_options.html", {"suggestions": labels})
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- the duplicate warning of the create forms: nothing is saved until staff confirm -------------------------------

CONFIRM_FIELD = "dubletten_bestaetigt"


def _unconfirmed(request, found: list) -> list:
    """``found`` unless staff pressed "Trotzdem anlegen" after seeing every one of them."""
    if found and request.POST.get("trotzdem") == "1" and duplicates.confirmed(found, request.POST.get(CONFIRM_FIELD)):
        return []
    return found


def _duplicate_context(found: list) -> dict:
    return {"duplicates": found, "duplicate_ids": duplicates.shown_ids(found), "confirm_field": CONFIRM_FIELD}


@staff_required
def organisation_detail(request, pk):
    try:
        organisation = selectors.organisation_detail(pk)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "contacts/organisation_detail.html",
        {
            "organisation": organisation,
            "timeline": timeline_for_organisation(organisation),
            "person_form": PersonAtOrganisationForm(),
        },
    )


@staff_required
def organisation_edit(request, pk=None):
    organisation = get_object_or_404(Organisation, pk=pk) if pk else Organisation()
    form = OrganisationForm(request.POST or None, instance=organisation)
    found = []
    if request.method == "POST" and form.is_valid():
        found = [] if pk else _unconfirmed(request, duplicates.organisation_duplicates(form.instance))
        if not found:
            organisation = services.organisation_save(
                organisation=form.instance, tag_names=form.cleaned_data["tag_names"]
            )
            messages.success(request, _("„%(name)s“ ist gespeichert.") % {"name": organisation.name})
            return redirect(organisation)
    return render(
        request,
        "contacts/organisation_form.html",
        {"form": form, "organisation": organisation, **_duplicate_context(found)},
    )


@staff_required
@require_POST
def organisation_add_person(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = PersonAtOrganisationForm(request.POST)
    found = []
    if form.is_valid():
        data = form.cleaned_data
        # the e-mail of an existing person links that person (no duplicate); the same name at this company warns
        if not (data["email"] and selectors.person_for_email(data["email"])):
            found = _unconfirmed(
                request,
                duplicates.person_duplicates(
                    first_name=data["first_name"], last_name=data["last_name"], organisation=organisation
                ),
            )
    if form.is_valid() and not found:
        role = services.person_add_to_organisation(organisation=organisation, link_existing=True, **form.cleaned_data)
        messages.success(
            request,
            _("%(person)s ist als %(role)s eingetragen.") % {"person": role.person, "role": role.get_kind_display()},
        )
        return redirect(organisation)
    organisation = selectors.organisation_detail(pk)
    return render(
        request,
        "contacts/organisation_detail.html",
        {
            "organisation": organisation,
            "timeline": timeline_for_organisation(organisation),
            "person_form": form,
            **_duplicate_context(found),
        },
        status=200 if found else 400,
    )


@staff_required
def editor_invite(request):
    """Invite a company editor for an organisation (``?organisation=<id>`` preselects one)."""
    initial = {"organisation": id_param(request.GET, "organisation"), "language": "de"}
    form = EditorInviteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.organisation_editor_invite(
                organisation=data["organisation"], email=data["email"], full_name=data["full_name"],
                language=data["language"], invited_by=request.user,
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            values = {"email": invitation.user.email, "organisation": data["organisation"].name}
            if invitation.invited:
                message = _("Die Einladung an %(email)s ist unterwegs (Firmenredaktion von %(organisation)s).")
            else:
                message = _("%(email)s pflegt jetzt auch den Eintrag von %(organisation)s.")
            messages.success(request, message % values)
            return redirect(data["organisation"])
    return render(request, "contacts/editor_invite.html", {"form": form})


@staff_required
def person_list(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.people_list(q), 50).get_page(page_param(request.GET))
    return render(request, "contacts/person_list.html", {"page": page, "q": q})


@staff_required
def person_detail(request, pk):
    try:
        person = selectors.person_detail(pk)
    except Person.DoesNotExist:
        raise Http404 from None
    return render(
        request, "contacts/person_detail.html", {"person": person, "merges": selectors.merge_records_for(person)}
    )


@staff_required
def person_edit(request, pk=None):
    person = get_object_or_404(Person, pk=pk) if pk else Person()
    form = PersonForm(request.POST or None, instance=person)
    found = []
    if request.method == "POST" and form.is_valid():
        if not pk:
            new = form.instance
            found = _unconfirmed(
                request,
                duplicates.person_duplicates(first_name=new.first_name, last_name=new.last_name, email=new.email),
            )
        if not found:
            person = services.person_save(person=form.instance)
            messages.success(request, _("%(name)s ist gespeichert.") % {"name": person.full_name})
            return redirect(person)
    return render(request, "contacts/person_form.html", {"form": form, "person": person, **_duplicate_context(found)})


@staff_required
@require_POST
def person_export(request, pk):
    """Art. 15 GDPR: everything about this person, from every module, as JSON."""
    person = get_object_or_404(Person, pk=pk)
    data = personal_data_export(DataSubject(email=person.email, person=person))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="personendaten-{person.pk}.json"'
    return response


@lead_required
def person_erase(request, pk):
    """Art. 17 GDPR: erase or anonymise the person in every module (department lead only)."""
    person = get_object_or_404(Person, pk=pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "ja":
            messages.error(request, _("Bitte bestätigen Sie die Löschung mit dem Kontrollkästchen."))
            return redirect("contacts:person_erase", pk=pk)
        result = personal_data_erase(DataSubject(email=person.email, person=person))
        messages.success(
            request,
            _("Die Daten der Person wurden gelöscht bzw. anonymisiert (%(count)s Datensätze).")
            % {"count": sum(result.values())},
        )
        return redirect("contacts:person_list")
    return render(request, "contacts/person_erase.html", {"person": person})


# --- merging duplicates --------------------------------------------------------------------------------------------


def _merge(request, record, *, kind: str):
    """Choose the other record and the one to keep (GET), see what moves, confirm (POST)."""
    model = type(record)
    if request.method == "POST":
        merge = services.organisation_merge if model is Organisation else services.person_merge
        try:
            result = merge(
                kept_id=request.POST.get("behalten"), merged_id=request.POST.get("aufloesen"), user=request.user
            )
        except ServiceError as error:
            show_refusal(request, error)
            return redirect(request.path)
        kept = result.organisation or result.person
        messages.success(
            request,
            _("„%(merged)s“ ist mit „%(kept)s“ zusammengeführt; alle Verknüpfungen liegen jetzt hier.")
            % {"merged": result.merged_label, "kept": kept},
        )
        return redirect(kept)
    form = MergeChooseForm(request.GET if "other" in request.GET else None, record=record)
    preview = None
    if form.is_bound and form.is_valid():
        kept, merged = form.pair()
        preview = merging.merge_preview(kind, kept=kept, merged=merged)
    return render(request, "contacts/merge.html", {"form": form, "record": record, "preview": preview, "kind": kind})


@staff_required
def organisation_merge(request, pk):
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        show_refusal(
            request, StateConflict(_("Diese Organisation gibt es nicht mehr (vielleicht schon zusammengeführt)."))
        )
        return redirect("contacts:organisation_list")
    return _merge(request, organisation, kind="organisation")


@staff_required
def person_merge(request, pk):
    person = Person.objects.filter(pk=pk, anonymised_at__isnull=True).first()
    if person is None:
        show_refusal(request, StateConflict(_("Diese Person gibt es nicht mehr (vielleicht schon zusammengeführt).")))
        return redirect("contacts:person_list")
    return _merge(request, person, kind="person")


@staff_required
def audit_log(request):
    """Who changed which personal record when: organisations, people, functions, consents."""
    return render(request, "contacts/audit_log.html", {"entries": selectors.audit_entries()})


# --- export ----------------------------------------------------------------------------------------------------------


def _table_response(request, *, stem: str, header: list[str], rows, title: str):
    return table_response(
        request, filename=f"{stem}-{timezone.localdate():%Y-%m-%d}", header=header, rows=rows, title=title, stream=True
    )


@staff_required
def organisation_export(request):
    """The organisation list with the list's filters, in the import's columns (round trip)."""
    _form, filters = _filters_from(request)
    return _table_response(
        request,
        stem="organisationen",
        header=exporting.organisation_export_header(),
        rows=exporting.organisation_export_rows(filters),
        title=_("Organisationen"),
    )


@staff_required
def person_list_export(request):
    return _table_response(
        request,
        stem="personen",
        header=exporting.person_export_header(),
        rows=exporting.person_export_rows(request.GET.get("q", "")),
        title=_("Personen"),
    )


# --- import ----------------------------------------------------------------------------------------------------------


@staff_required
def organisation_import(request):
    """Upload a CSV/XLSX file; it is checked and shown as a preview, nothing is saved yet."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = importing.import_preview(data=upload.read(), filename=upload.name, user=request.user)
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            return redirect("contacts:organisation_import_preview", pk=batch.pk)
    return render(
        request,
        "contacts/organisation_import.html",
        {
            "form": form,
            "columns": ORGANISATION_COLUMNS,
            "max_rows": importing.MAX_ROWS,
            "recent": selectors.import_batches_recent(),
        },
        status=400 if form.errors else 200,
    )


@staff_required
def organisation_import_template(request):
    """An empty file with the column headers (CSV, or XLSX with ``?format=xlsx``)."""
    header = [column.header for column in ORGANISATION_COLUMNS]
    return _table_response(request, stem="importvorlage-organisationen", header=header, rows=[], title=_("Import"))


@staff_required
def organisation_import_preview(request, pk):
    batch = import_batch_for_user(request.user, pk)
    return render(
        request,
        "contacts/organisation_import_preview.html",
        {"batch": batch, "summary": importing.batch_summary(batch)},
    )


@staff_required
@require_POST
def organisation_import_confirm(request, pk):
    batch = import_batch_for_user(request.user, pk)
    try:
        batch = importing.import_confirm(batch=batch, user=request.user)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("Import abgeschlossen: %(count)s Organisationen angelegt.") % {"count": batch.created_count},
        )
    return redirect("contacts:organisation_import_preview", pk=pk)


@staff_required
@require_POST
def organisation_import_discard(request, pk):
    batch = import_batch_for_user(request.user, pk)
    try:
        importing.import_discard(batch=batch, user=request.user)
    except ServiceError as error:
        show_refusal(request, error)
        return redirect("contacts:organisation_import_preview", pk=pk)
    messages.success(request, _("Der Import wurde verworfen; es wurde nichts gespeichert."))
    return redirect("contacts:organisation_import")
