"""A web worker that has just started (a deploy, a restart) has its views, catalogues and templates
ready before its first visitor: ``kammerwerk.wsgi`` calls ``core.warmup.warm_up()`` and then freezes
what it loaded out of the garbage collector's way (issue 18)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import reverse

from advisory.tests.factories import make_day
from core.fragments import fragments_clear
from core.warmup import project_template_names, warm_up
from events.tests.factories import event_with_audience

ROOT = Path(__file__).resolve().parents[2]


def _template_caches():
    """The cached loaders of the site's templates and of the forms' widgets."""
    return [engines["django"].engine.template_loaders[0], get_default_renderer().engine.engine.template_loaders[0]]


def _compiled() -> set[str]:
    return {key for loader in _template_caches() for key in loader.get_template_cache}


def _restart():
    """What a new worker starts with: no template compiled, no fragment rendered."""
    for loader in _template_caches():
        loader.reset()
    fragments_clear()


def test_warm_up_compiles_every_template_of_the_project_and_never_touches_the_database():
    # No django_db mark: pytest-django fails any query here. A connection opened before gunicorn
    # forks (--preload) would be shared by every worker.
    _restart()
    compiled = warm_up()
    names = project_template_names()
    assert len(names) > 200
    assert set(names) <= _compiled()
    assert compiled > len(names)  # and Django's form widgets


@pytest.mark.django_db
def test_the_first_visitors_after_a_restart_wait_for_no_template_to_compile(client, expert, settings):
    event, _audience = event_with_audience(quota=20)
    day = make_day(expert, count=3)
    _restart()
    warm_up()
    ready = _compiled()
    pages = [
        reverse("core:home"),
        reverse("events:calendar"),
        reverse("events:detail", args=[event.slug]),
        reverse("advisory:day_public", args=[day.pk]),
    ]
    for language in ("de", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200 and f'<html lang="{language}">' in response.content.decode(), url
    assert _compiled() == ready, "compiled on a visitor's request: " + ", ".join(sorted(_compiled() - ready))


def test_a_started_worker_leaves_what_it_loaded_out_of_every_full_garbage_collection():
    """A full collection walks every tracked object; a worker's start (modules, views, compiled templates:
    ~240,000 objects) made that a 140-170 ms pause for one request in ~1,000 under load. Frozen after
    the warm-up, a full collection walks only what the requests since then left behind."""
    script = "import gc, kammerwerk.wsgi; gc.collect(); print(gc.get_freeze_count(), len(gc.get_objects()))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kammerwerk.settings", "KAMMERWERK_INSECURE_DEV_KEY": "1"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    frozen, walked = map(int, result.stdout.split()[-2:])
    assert frozen > 100_000  # the start: every view, form and template
    assert walked < frozen / 20  # what a full collection still walks
