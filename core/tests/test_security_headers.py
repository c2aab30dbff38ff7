"""Security headers on every response, and templates the Content-Security-Policy can live with
(issue 12, item 13). HSTS and the production settings: ``test_readme.py``."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_page_sends_a_content_security_policy_that_refuses_inline_script(client):
    response = client.get("/")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"  # style attributes only: style-src-attr
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response  # plain HTTP without the proxy: no HSTS


@pytest.mark.django_db
def test_error_pages_and_downloads_carry_the_policy_too(client):
    assert "Content-Security-Policy" in client.get("/gibt-es-nicht/")
    assert "Content-Security-Policy" in client.get("/healthz")


def page_templates() -> list[Path]:
    """Every HTML template a browser renders (mail templates are read by mail programs, not here)."""
    return [
        path
        for path in ROOT.glob("*/templates/**/*.html")
        if "mail" not in path.relative_to(ROOT).parts[2:-1]
        and path.parts[len(ROOT.parts)] not in {".venv", "node_modules"}
    ]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=[\"']application/ld\+json[\"'])[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_no_page_template_has_inline_script_event_handlers_or_style_elements():
    templates = page_templates()
    assert len(templates) > 50  # the scan sees every app's templates
    offenders = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on…= handler", EVENT_HANDLER),
            ("<style> element", STYLE_ELEMENT),
            ("javascript: URL", JAVASCRIPT_URL),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert not offenders, "the Content-Security-Policy refuses these:\n" + "\n".join(offenders)


def test_the_template_scan_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/ld+json">{}</script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert not EVENT_HANDLER.search('<a href="/" data-one="x">')
    assert STYLE_ELEMENT.search("<style>body{}</style>")
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')
