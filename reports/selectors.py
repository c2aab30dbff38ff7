"""Reads of the reports module, each in a fixed number of queries; and the document a version shows.

The figures in a document come from ``core.figures`` (a draft, computed now) or from the version's
snapshot (frozen); :func:`document_for` picks the source.
"""

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import figures as registry
from core.figures import one_computation
from reports.document import Document, comparison, render_section
from reports.models import Report, Section, Version
from reports.source import FrozenFigures, LiveFigures


def reports_overview() -> list[Report]:
    """Every report with its number of versions, whether a draft exists, and its published version (1 query)."""
    return list(
        Report.objects.annotate(
            n_versions=Count("versions"),
            n_drafts=Count("versions", filter=Q(versions__status=Version.Status.DRAFT)),
            latest_number=Max("versions__number"),
            published_number=Max("versions__number", filter=Q(versions__published_at__isnull=False)),
        ).order_by("-year", "-id")
    )


def report_versions(report: Report) -> list[Version]:
    """The report's versions, newest first, with who froze and published them (1 query)."""
    return list(report.versions.select_related("created_by", "frozen_by", "published_by").order_by("-number"))


def current_version(versions: list[Version]) -> Version | None:
    """The draft if there is one, else the newest version."""
    return next((version for version in versions if version.is_draft), versions[0] if versions else None)


def version_sections(version: Version) -> list[Section]:
    return list(version.sections.order_by("position", "id"))


def template_choices() -> list[Version]:
    """Versions a new report can start from: each report's newest version (1 query)."""
    newer = Version.objects.filter(report=OuterRef("report"), number__gt=OuterRef("number"))
    return list(Version.objects.exclude(Exists(newer)).select_related("report").order_by("-report__year", "-report_id"))


def published_versions() -> list[Version]:
    """The published version of each report, newest year first (1 query)."""
    return list(
        Version.objects.filter(published_at__isnull=False).select_related("report").order_by("-report__year", "-id")
    )


def placeholder_reference() -> list[dict]:
    """What staff can write, grouped by module: each figure's placeholder and label, and the breakdowns."""
    groups = {app: {"name": name, "figures": [], "breakdowns": []} for app, name, _figures in registry.figure_groups()}
    for app, _name, entries in registry.figure_groups():
        groups[app]["figures"] = [{"key": f.key, "label": f.label, "kind": f.kind} for f in entries]
    for entry in registry.all_breakdowns():
        groups.setdefault(entry.group, {"name": registry.group_label(entry.group), "figures": [], "breakdowns": []})
        groups[entry.group]["breakdowns"].append({"key": entry.key, "label": entry.label, "dimension": entry.dimension})
    return list(groups.values())


def source_for(version: Version):
    return FrozenFigures(version.snapshot) if version.is_frozen and version.snapshot else LiveFigures()


def _status_line(version: Version, source) -> str:
    if version.is_frozen and version.frozen_at:
        return _("Version %(n)s, eingefroren am %(date)s – Zahlen mit Stand vom %(date)s") % {
            "n": version.number, "date": formats.date_format(timezone.localtime(version.frozen_at), "d.m.Y"),
        }  # fmt: skip
    return _("Entwurf (Version %(n)s) – Zahlen berechnet am %(date)s") % {
        "n": version.number, "date": formats.date_format(timezone.localtime(), "d.m.Y"),
    }  # fmt: skip


def render_document(version: Version, sections: list[Section], source, *, with_comparison: bool = True) -> Document:
    """The version as a document, in the report's language (German) whatever the interface language."""
    report = version.report
    with one_computation(), translation.override("de"):
        rendered = [
            render_section(
                source, report.year, section.title, section.body, anchor=f"abschnitt-{i}-{slugify(section.title)[:40]}"
            )
            for i, section in enumerate(sections, start=1)
        ]
        groups = comparison(source, report.year) if with_comparison else []
        status_line = _status_line(version, source)
    return Document(
        title=report.title, subtitle=report.subtitle, year=report.year, sections=rendered, comparison=groups,
        frozen=bool(getattr(source, "frozen", False)), status_line=status_line,
    )  # fmt: skip


def document_for(version: Version, sections: list[Section] | None = None) -> Document:
    """The version as a document: live figures for a draft, its snapshot once frozen."""
    sections = version_sections(version) if sections is None else sections
    return render_document(version, sections, source_for(version))


def preview_section(version: Version, title: str, body: str):
    """One section as it would read with ``body`` (not saved): for the editor's live preview."""
    with one_computation():
        return render_section(source_for(version), version.report.year, title, body)
