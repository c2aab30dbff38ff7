"""Run axe-core (installed from the npm registry into node_modules) in a Playwright page."""

from pathlib import Path

AXE_PATH = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    """The WCAG 2.2 A/AA violations on the current page (empty list = none)."""
    if not AXE_PATH.exists():
        raise AssertionError(f"axe-core missing at {AXE_PATH}: run `make install` (npm ci)")
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)
