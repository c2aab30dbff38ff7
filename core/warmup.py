"""Load, when a web worker starts, what Django would otherwise load on the worker's first requests.

Django imports the URLconf (and with it every view, form and the API's schemas), compiles each
template and reads the translation catalogues only when a request first needs them. On a fresh
worker that cost its first visitors about a second, and in a rush right after a restart it took
more than a third of the two cores (``benchmarks/RESULTS-advisory.md``, 4 December 2026). The WSGI
entry point calls ``warm_up()`` once per process, before the worker accepts a request.

Nothing here touches the database: a connection opened before gunicorn forks (``--preload``)
would be shared by every worker.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms.renderers import get_default_renderer
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation
from django.utils.formats import get_format

from core.navigation import nav_for

logger = logging.getLogger(__name__)


def warm_up() -> int:
    """Import every view, read every catalogue, compile the project's templates and Django's form
    widgets; the number of templates compiled."""
    get_resolver().reverse_dict  # noqa: B018 (imports the URLconf, indexes the names for reverse())
    engines["django"].engine.template_context_processors  # noqa: B018 (imports them)
    staticfiles_storage.base_url  # noqa: B018 (sets the storage up: with a manifest, reads it)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            nav_for(AnonymousUser(), "public")  # the menus' URLs and labels, kept per process and language
            get_format("DATE_FORMAT")  # the language's formats module
    widgets = get_default_renderer().engine.engine  # the forms' own template engine
    return _compile(engines["django"].engine, project_template_names()) + _compile(
        widgets, _names_under(Path(directory) for directory in widgets.dirs)
    )


def project_template_names() -> list[str]:
    """The names of the project's own templates (third-party ones, the admin's say, are left to the
    first request that needs them)."""
    engine = engines["django"].engine
    directories = (
        Path(directory)
        for loader in engine.template_loaders
        for source in getattr(loader, "loaders", [loader])  # the cached loader wraps the others
        for directory in source.get_dirs()
    )
    return _names_under(directory for directory in directories if "site-packages" not in directory.parts)


def _names_under(directories) -> list[str]:
    names = set()
    for directory in directories:
        names.update(str(path.relative_to(directory)) for path in directory.rglob("*") if path.is_file())
    return sorted(names)


def _compile(engine, names: list[str]) -> int:
    compiled = 0
    for name in names:
        try:
            engine.get_template(name)  # the cached loader keeps it for the process's life
        except (TemplateSyntaxError, UnicodeDecodeError) as error:  # the page that uses it will say so
            logger.warning("Template %s not compiled ahead: %s", name, error)
            continue
        compiled += 1
    return compiled
