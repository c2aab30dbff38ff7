"""Merge two organisations or two people into one.

Every row of any module that points at the merged record moves to the kept one. Contacts knows
no feature module: the links are found through Django's model meta (every foreign key and
one-to-one field pointing at the model, including the hidden ones of many-to-many tables), so a
module added later is merged too. Where a unique constraint would break (the same person
registered twice for an event, both companies in the same network, the same tag), the kept
record's row stays and the duplicate's row is deleted. The audit trail (simple_history) is left
alone: it keeps the merged record's versions under its old number.

:func:`merge_preview` counts what would move; :func:`merge_records` does it in one transaction
with both rows locked. ``contacts.services.organisation_merge`` / ``person_merge`` are the entry
points for views.
"""

from dataclasses import dataclass, field

from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

# Fields copied into the kept record when it has none (the kept record's own values always win).
FILL_FIELDS = {
    "organisation": [
        "legal_form", "street", "postcode", "city", "district", "wz_code", "employees", "member_number", "website",
        "email", "phone",
    ],
    "person": ["salutation", "title", "email", "phone", "user"],
}  # fmt: skip


@dataclass
class LinkCount:
    label: str  # "Beratungsgespräche (Unternehmen)"
    moved: int = 0
    dropped: int = 0  # rows of the duplicate deleted because the kept record has the same one


@dataclass
class MergePreview:
    kept: models.Model
    merged: models.Model
    links: list[LinkCount] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)  # labels of fields the kept record takes from the other

    @property
    def moved(self) -> int:
        return sum(link.moved for link in self.links)

    @property
    def dropped(self) -> int:
        return sum(link.dropped for link in self.links)


def _relations(model) -> list:
    """Every foreign key / one-to-one field of any model pointing at ``model`` (hidden ones too)."""
    relations = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        related_model = relation.related_model
        if issubclass(related_model, HistoricalChanges):
            continue  # the audit trail keeps the merged record's versions as they were
        relations.append(relation)
    return relations


def _label(relation) -> str:
    related = relation.related_model
    if related._meta.auto_created:  # the table of a many-to-many field
        for m2m in related._meta.auto_created._meta.many_to_many:
            if m2m.remote_field.through is related:
                return str(m2m.verbose_name).capitalize()
        return str(related._meta.verbose_name_plural)
    name = str(related._meta.verbose_name_plural)
    fk_name = str(relation.field.verbose_name)
    if fk_name.casefold() != str(relation.model._meta.verbose_name).casefold():
        name = f"{name} ({fk_name})"
    return name


def _unique_sets(related_model, field_name: str) -> list[tuple[list[str], models.Q | None]]:
    """The unique field sets of ``related_model`` that contain ``field_name`` (with their condition)."""
    sets = []
    for constraint in related_model._meta.total_unique_constraints + [
        c for c in related_model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.condition
    ]:
        if constraint.fields and field_name in constraint.fields:
            sets.append((list(constraint.fields), constraint.condition))
    for together in related_model._meta.unique_together:
        if field_name in together:
            sets.append((list(together), None))
    return sets


def _conflicting_pks(relation, *, kept, merged) -> set:
    """Rows pointing at ``merged`` that would break a unique rule next to a row pointing at ``kept``."""
    related_model, fk = relation.related_model, relation.field
    manager = related_model._base_manager
    if relation.one_to_one or fk.unique:
        if manager.filter(**{fk.name: kept}).exists():
            return set(manager.filter(**{fk.name: merged}).values_list("pk", flat=True))
        return set()
    conflicting = set()
    for fields, condition in _unique_sets(related_model, fk.name):
        others = [name for name in fields if name != fk.name]
        columns = [related_model._meta.get_field(name).attname for name in others]
        kept_rows = manager.filter(**{fk.name: kept})
        merged_rows = manager.filter(**{fk.name: merged})
        if condition is not None:
            kept_rows, merged_rows = kept_rows.filter(condition), merged_rows.filter(condition)
        taken = set(kept_rows.values_list(*columns)) if columns else ({()} if kept_rows.exists() else set())
        for pk, *values in merged_rows.values_list("pk", *columns):
            if tuple(values) in taken:
                conflicting.add(pk)
    return conflicting


def _filled_fields(kind: str, *, kept, merged) -> list:
    filled = []
    for name in FILL_FIELDS[kind]:
        model_field = kept._meta.get_field(name)
        if getattr(kept, model_field.attname) in (None, "") and getattr(merged, model_field.attname) not in (None, ""):
            filled.append(model_field)
    return filled


def merge_preview(kind: str, *, kept, merged) -> MergePreview:
    """What a merge of ``merged`` into ``kept`` would move and drop, per kind of link (no writes)."""
    preview = MergePreview(kept=kept, merged=merged)
    for relation in _relations(type(kept)):
        total = relation.related_model._base_manager.filter(**{relation.field.name: merged}).count()
        if not total:
            continue
        dropped = len(_conflicting_pks(relation, kept=kept, merged=merged))
        preview.links.append(LinkCount(label=_label(relation), moved=total - dropped, dropped=dropped))
    preview.links.sort(key=lambda link: link.label)
    preview.filled = [str(f.verbose_name) for f in _filled_fields(kind, kept=kept, merged=merged)]
    return preview


def main_fields(record) -> dict:
    """The record's own fields as JSON-ready values (for the merge record)."""
    data = model_to_dict(record, exclude=["tags", "search_text", "name_key", "domain"])
    data["id"] = record.pk
    return {key: (value if isinstance(value, str | int | float | bool | type(None)) else str(value))
            for key, value in data.items()}  # fmt: skip


def merge_records(kind: str, *, kept, merged, user):
    """Move every link of ``merged`` to ``kept``, fill ``kept``'s empty fields, delete ``merged``, and
    write a :class:`~contacts.models.MergeRecord`. Both rows must be locked by the caller's transaction."""
    from contacts.models import MergeRecord

    preview = merge_preview(kind, kept=kept, merged=merged)
    data = main_fields(merged)
    label = str(merged)
    for relation in _relations(type(kept)):
        related_model, fk = relation.related_model, relation.field
        manager = related_model._base_manager
        conflicting = _conflicting_pks(relation, kept=kept, merged=merged)
        if conflicting:
            # the duplicate's copy of a row the kept record already has (cascades like any delete)
            for row in manager.filter(pk__in=conflicting):
                row.delete()
        manager.filter(**{fk.name: merged}).update(**{fk.name: kept})
    filled = _filled_fields(kind, kept=kept, merged=merged)
    fill_values = {f.attname: getattr(merged, f.attname) for f in filled}
    if merged.notes.strip():
        heading = _("Aus „%(name)s“ übernommen:") % {"name": label}
        kept.notes = f"{kept.notes.rstrip()}\n\n{heading}\n{merged.notes.strip()}".strip()
    merged._history_user = user
    merged.delete()  # frees unique values (member number, user account) before the kept record takes them
    for attname, value in fill_values.items():
        setattr(kept, attname, value)
    kept._history_user = user
    kept.save()
    return MergeRecord.objects.create(
        kind=kind,
        organisation=kept if kind == MergeRecord.Kind.ORGANISATION else None,
        person=kept if kind == MergeRecord.Kind.PERSON else None,
        merged_id=data["id"],
        merged_label=label[:300],
        merged_data=data,
        moved=[{"label": link.label, "moved": link.moved, "dropped": link.dropped} for link in preview.links],
        merged_by=user if user is not None and user.is_authenticated else None,
    )
