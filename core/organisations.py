"""What feature modules add to the CRM's organisation pages: list filters and detail panels.

contacts cannot import a feature module (layers point one way), so a module that holds data about
organisations registers here, in the same ``timeline.py`` with which it already puts entries on an
organisation's page:

- :func:`register_organisation_filter` – a select on the organisation list (and its export):
  ``param`` is the query parameter (German, it shows in URLs), ``choices()`` the options,
  ``apply(queryset, value)`` narrows the queryset (keep it one subquery: the list is keyset-paginated).
- :func:`register_organisation_panel` – a block on the organisation's page: a template and a
  function ``organisation → context`` (``None`` hides it) that reads in a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

from core.registry import discover


@dataclass(frozen=True)
class OrganisationFilter:
    param: str
    label: object
    choices: Callable[[], list[tuple[str, str]]]
    apply: Callable
    order: int = 100


@dataclass(frozen=True)
class OrganisationPanel:
    name: str
    template: str
    context: Callable
    order: int = 100


_FILTERS: dict[str, OrganisationFilter] = {}
_PANELS: dict[str, OrganisationPanel] = {}


def register_organisation_filter(param: str, *, label, choices: Callable, apply: Callable, order: int = 100) -> None:
    _FILTERS[param] = OrganisationFilter(param=param, label=label, choices=choices, apply=apply, order=order)


def organisation_filters() -> list[OrganisationFilter]:
    discover()
    return sorted(_FILTERS.values(), key=lambda entry: (entry.order, entry.param))


def organisation_filters_apply(queryset, values: dict[str, str]):
    """``queryset`` narrowed by every registered filter that has a value in ``values``."""
    for entry in organisation_filters():
        if values.get(entry.param):
            queryset = entry.apply(queryset, values[entry.param])
    return queryset


def register_organisation_panel(name: str, *, template: str, order: int = 100):
    def decorator(function: Callable):
        _PANELS[name] = OrganisationPanel(name=name, template=template, context=function, order=order)
        return function

    return decorator


def organisation_panels(organisation, request=None) -> list[str]:
    """The rendered panels for ``organisation``, in order."""
    discover()
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda entry: (entry.order, entry.name)):
        context = panel.context(organisation)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
