"""Access helpers: fetch a report, a version or a section for a user, or fail the right way.

Reports are for staff and the department lead (the views' role check says so); a record that does
not exist → 404; a section of a frozen version is visible but not changeable → 403. The public sees
only published versions: anything else → 404, whether it exists or not.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from reports.models import Report, Section, Version


def report_for_staff(pk: int) -> Report:
    report = Report.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def version_for_staff(pk: int) -> Version:
    version = Version.objects.select_related("report", "frozen_by").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def section_for_editing(pk: int) -> Section:
    """A section of a draft; a frozen version's sections are not changeable (403)."""
    section = Section.objects.select_related("version__report").filter(pk=pk).first()
    if section is None:
        raise Http404
    if not section.version.is_draft:
        raise PermissionDenied
    return section


def published_version(pk: int) -> Version:
    version = Version.objects.select_related("report").filter(pk=pk, published_at__isnull=False).first()
    if version is None:
        raise Http404
    return version
