"""The annual report's pages: staff write and preview, the department lead freezes and publishes.

Thin views: parse, call an access helper, a selector or a service, render.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import ServiceError
from core.http import render_partial, show_refusal
from core.permissions import lead_required, staff_required
from core.roles import Role
from reports import access, selectors, services
from reports.forms import ReportForm, SectionForm


def _is_lead(request) -> bool:
    return request.user.is_authenticated and request.user.has_role(Role.LEAD)


# --- reports and versions ------------------------------------------------------------------------------


@staff_required
@require_GET
def report_list(request):
    return render(request, "reports/report_list.html", {"reports": selectors.reports_overview()})


@staff_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    templates = selectors.template_choices()
    year = timezone.localdate().year - 1
    initial = {"year": year, "title": _("Jahresbericht %(year)s") % {"year": year}}
    if templates:
        initial["template"] = str(templates[0].pk)
    form = ReportForm(request.POST or None, templates=templates, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                title=form.cleaned_data["title"], subtitle=form.cleaned_data["subtitle"],
                year=form.cleaned_data["year"], copy_from=form.chosen_template(), by=request.user,
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, error, form)
        else:
            messages.success(request, _("Der Bericht ist angelegt. Bearbeiten Sie jetzt seine Abschnitte."))
            return redirect(report)
    return render(request, "reports/report_form.html", {"form": form})


@staff_required
@require_GET
def report_detail(request, pk):
    report = access.report_for_staff(pk)
    versions = selectors.report_versions(report)
    current = selectors.current_version(versions)
    sections = selectors.version_sections(current) if current else []
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "versions": versions,
            "current": current,
            "sections": sections,
            "is_lead": _is_lead(request),
        },
    )


@staff_required
@require_POST
def version_create(request, pk):
    report = access.report_for_staff(pk)
    try:
        services.version_create(report=report, by=request.user)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Neuer Entwurf angelegt: Text der letzten Version übernommen."))
    return redirect(report)


@staff_required
@require_GET
def version_detail(request, pk):
    version = access.version_for_staff(pk)
    document = selectors.document_for(version)
    return render(
        request, "reports/version_detail.html", {"version": version, "document": document, "is_lead": _is_lead(request)}
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(version, extension: str) -> str:
    return f"jahresbericht-{version.report.year}-v{version.number}.{extension}"


@staff_required
@require_GET
def version_pdf(request, pk):
    from reports.pdf import document_pdf

    version = access.version_for_staff(pk)
    return _download(document_pdf(selectors.document_for(version)), "application/pdf", _filename(version, "pdf"))


@staff_required
@require_GET
def version_docx(request, pk):
    from reports.word import DOCX_TYPE, document_docx

    version = access.version_for_staff(pk)
    return _download(document_docx(selectors.document_for(version)), DOCX_TYPE, _filename(version, "docx"))


@lead_required
@require_POST
def version_freeze(request, pk):
    version = access.version_for_staff(pk)
    try:
        services.version_freeze(version=version, by=request.user, note=request.POST.get("anmerkung", ""))
    except ServiceError as error:
        show_refusal(request, error)
        return redirect(version.report)
    messages.success(request, _("Version %(n)s ist eingefroren: Text und Zahlen bleiben so.") % {"n": version.number})
    return redirect(version)


@lead_required
@require_POST
def version_publish(request, pk):
    version = access.version_for_staff(pk)
    try:
        if request.POST.get("aktion") == "zurueckziehen":
            services.version_unpublish(version=version, by=request.user)
            messages.success(request, _("Die Version ist nicht mehr öffentlich."))
        else:
            services.version_publish(version=version, by=request.user)
            messages.success(request, _("Die Version ist veröffentlicht."))
    except ServiceError as error:
        show_refusal(request, error)
    return redirect(version)


# --- sections ------------------------------------------------------------------------------------------


@staff_required
@require_POST
def section_create(request, pk):
    version = access.version_for_staff(pk)
    try:
        section = services.section_add(version=version, title=request.POST.get("titel", ""), by=request.user)
    except ServiceError as error:
        show_refusal(request, error)
        return redirect(version.report)
    return redirect("reports:section_edit", pk=section.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk):
    section = access.section_for_editing(pk)
    version = section.version
    form = SectionForm(request.POST or None, initial={"title": section.title, "body": section.body})
    title, body = section.title, section.body
    if request.method == "POST" and form.is_valid():
        title, body = form.cleaned_data["title"], form.cleaned_data["body"]
        if request.POST.get("aktion") != "vorschau":
            try:
                services.section_save(section=section, title=title, body=body, by=request.user)
            except ServiceError as error:
                show_refusal(request, error, form)
            else:
                messages.success(request, _("Abschnitt „%(title)s“ gespeichert.") % {"title": section.title})
                return redirect(version.report)
    context = {
        "form": form, "section": section, "version": version, "report": version.report,
        "preview": selectors.preview_section(version, title, body), "reference": selectors.placeholder_reference(),
    }  # fmt: skip
    return render(request, "reports/section_form.html", context)


@staff_required
@require_POST
def section_preview(request, pk):
    """The live preview (htmx): the section as it would read, errors at their place; nothing saved."""
    section = access.section_for_editing(pk)
    preview = selectors.preview_section(
        section.version, request.POST.get("title", section.title)[:200], request.POST.get("body", "")
    )
    return render_partial(
        request, "reports/section_preview_page.html", "reports/_preview.html", {"preview": preview, "section": section}
    )


@staff_required
@require_POST
def section_delete(request, pk):
    section = access.section_for_editing(pk)
    report = section.version.report
    try:
        services.section_delete(section=section, by=request.user)
    except ServiceError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Abschnitt „%(title)s“ gelöscht.") % {"title": section.title})
    return redirect(report)


@staff_required
@require_POST
def section_move(request, pk):
    section = access.section_for_editing(pk)
    services.section_move(section=section, up=request.POST.get("richtung") != "runter", by=request.user)
    return redirect(section.version.report)


# --- the published report (public) -------------------------------------------------------------------------


@require_GET
def public_list(request):
    return render(request, "reports/public_list.html", {"versions": selectors.published_versions()})


@require_GET
def public_detail(request, pk):
    version = access.published_version(pk)
    return render(
        request, "reports/public_detail.html", {"version": version, "document": selectors.document_for(version)}
    )


@require_GET
def public_pdf(request, pk):
    from reports.pdf import document_pdf

    version = access.published_version(pk)
    return _download(document_pdf(selectors.document_for(version)), "application/pdf", _filename(version, "pdf"))
