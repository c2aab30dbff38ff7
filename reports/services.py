"""Writes of the reports module: reports, their versions and sections; freezing and publishing.

Every write that changes a version locks its row first, so an edit and a freeze arriving at once
are serialised: whichever comes second sees the other's result (a frozen version refuses the edit).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ServiceError, StateConflict
from core.figures import one_computation
from reports.models import Report, Section, Version
from reports.source import LiveFigures

MAX_SECTIONS = 60


class ReportRefused(ServiceError):
    default_code = "report_refused"


def _locked(version: Version) -> Version:
    return Version.objects.select_for_update().get(pk=version.pk)


def _locked_draft(version: Version) -> Version:
    locked = _locked(version)
    if not locked.is_draft:
        raise StateConflict(_("Diese Version ist eingefroren und kann nicht mehr geändert werden."), code="frozen")
    return locked


def _copy_sections(source: Version | None, target: Version) -> None:
    if source is None:
        return
    Section.objects.bulk_create(
        [
            Section(version=target, position=section.position, title=section.title, body=section.body)
            for section in source.sections.order_by("position", "id")
        ]
    )


@transaction.atomic
def report_create(*, title: str, year: int, by, subtitle: str = "", copy_from: Version | None = None) -> Report:
    """A report of ``year`` with its first draft: the sections of ``copy_from`` (last year's text), or one empty."""
    title = (title or "").strip()
    if not title:
        raise ReportRefused(_("Bitte geben Sie einen Titel an."), field="title")
    report = Report.objects.create(title=title, subtitle=(subtitle or "").strip(), year=year, created_by=by)
    draft = Version.objects.create(report=report, number=1, created_by=by)
    if copy_from is not None:
        _copy_sections(copy_from, draft)
    else:
        Section.objects.create(version=draft, position=1, title=_("Einleitung"), body="")
    return report


@transaction.atomic
def version_create(*, report: Report, by, note: str = "") -> Version:
    """A new draft from the latest version (there is at most one draft per report)."""
    Report.objects.select_for_update().get(pk=report.pk)
    versions = list(report.versions.order_by("-number"))
    if any(version.is_draft for version in versions):
        raise ReportRefused(_("Es gibt schon einen Entwurf dieses Berichts."), code="draft_exists")
    latest = versions[0] if versions else None
    draft = Version.objects.create(
        report=report, number=(latest.number + 1) if latest else 1, created_by=by, note=(note or "").strip()[:300]
    )
    _copy_sections(latest, draft)
    return draft


@transaction.atomic
def section_add(*, version: Version, title: str, by) -> Section:
    version = _locked_draft(version)
    sections = version.sections.count()
    if sections >= MAX_SECTIONS:
        raise ReportRefused(_("Ein Bericht hat höchstens %(n)s Abschnitte.") % {"n": MAX_SECTIONS})
    title = (title or "").strip() or _("Neuer Abschnitt")
    last = version.sections.order_by("-position").values_list("position", flat=True).first() or 0
    section = Section.objects.create(version=version, position=last + 1, title=title[:200], body="")
    Version.objects.filter(pk=version.pk).update(updated_at=timezone.now())
    return section


@transaction.atomic
def section_save(*, section: Section, title: str, body: str, by) -> Section:
    """Store a section's text. Placeholders that do not resolve are allowed in a draft (they show as errors)."""
    _locked_draft(section.version)
    title = (title or "").strip()
    if not title:
        raise ReportRefused(_("Bitte geben Sie eine Überschrift an."), field="title")
    section.title, section.body = title[:200], (body or "").replace("\r\n", "\n")
    section.save(update_fields=["title", "body"])
    Version.objects.filter(pk=section.version_id).update(updated_at=timezone.now())
    return section


@transaction.atomic
def section_delete(*, section: Section, by) -> None:
    version = _locked_draft(section.version)
    if version.sections.count() <= 1:
        raise ReportRefused(_("Ein Bericht braucht mindestens einen Abschnitt."), code="last_section")
    section.delete()


@transaction.atomic
def section_move(*, section: Section, up: bool, by) -> None:
    """Swap the section with its neighbour above (``up``) or below; at the edge nothing changes."""
    version = _locked_draft(section.version)
    ordered = list(version.sections.order_by("position", "id"))
    index = next(i for i, item in enumerate(ordered) if item.pk == section.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    Section.objects.bulk_update(ordered, ["position"])


@transaction.atomic
def version_freeze(*, version: Version, by, note: str = "") -> Version:
    """Freeze a draft: its text can no longer change, and its figures are stored as they are today.

    Refused while the text has errors (an unknown figure would print as an error for good).
    """
    from reports.selectors import render_document

    version = _locked_draft(version)
    source = LiveFigures()
    sections = list(version.sections.order_by("position", "id"))
    with one_computation():
        document = render_document(version, sections, source)
        problems = document.problems
        if problems:
            first = problems[0]
            raise ReportRefused(
                _("Der Bericht enthält %(n)s Fehler und kann so nicht eingefroren werden – zuerst: %(section)s, "
                  "Zeile %(line)s: %(message)s")
                % {"n": len(problems), "section": first.section, "line": first.line, "message": first.message},
                code="has_errors",
            )  # fmt: skip
        snapshot = source.snapshot(version.report.year)
    version.status = Version.Status.FROZEN
    version.frozen_at, version.frozen_by, version.snapshot = timezone.now(), by, snapshot
    if note:
        version.note = note.strip()[:300]
    version.save(update_fields=["status", "frozen_at", "frozen_by", "snapshot", "note", "updated_at"])
    return version


@transaction.atomic
def version_publish(*, version: Version, by) -> Version:
    """Publish a frozen version on the public page; the report's previously published version steps back."""
    version = _locked(version)
    if not version.is_frozen:
        raise ReportRefused(_("Nur eine eingefrorene Version kann veröffentlicht werden."), code="not_frozen")
    Version.objects.filter(report_id=version.report_id, published_at__isnull=False).exclude(pk=version.pk).update(
        published_at=None, published_by=None
    )
    if version.published_at is None:
        version.published_at, version.published_by = timezone.now(), by
        version.save(update_fields=["published_at", "published_by", "updated_at"])
    return version


@transaction.atomic
def version_unpublish(*, version: Version, by) -> Version:
    version = _locked(version)
    version.published_at, version.published_by = None, None
    version.save(update_fields=["published_at", "published_by", "updated_at"])
    return version
