"""Run axe-core (installed from the npm registry into node_modules) in a Playwright page."""

import functools
from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@functools.cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """The WCAG 2.2 A/AA violations on the current page (empty list = none)."""
    if not AXE_PATH.exists():
        raise AssertionError(f"axe-core missing at {AXE_PATH}: run `make install` (npm ci)")
    # Evaluated through the DevTools protocol, not added as a <script>: the pages' Content-Security-Policy
    # refuses inline scripts, as it should.
    page.evaluate(_axe_source())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)


def watch_policy_violations(page) -> list[str]:
    """Collect what the browser refuses under the Content-Security-Policy (or Permissions-Policy)
    on ``page`` from now on; returns the list it fills."""
    refused: list[str] = []

    def on_console(message):
        if message.type == "error" and (
            "Content Security Policy" in message.text or "Permissions-Policy" in message.text
        ):
            refused.append(f"{page.url}: {message.text[:300]}")

    page.on("console", on_console)
    return refused
