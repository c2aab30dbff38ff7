"""The import rule: layers point one way, and feature modules talk through their published API.

    core  ←  accounts  ←  contacts  ←  feature modules

- A module imports only from its own layer or below: core imports no app of ours, accounts
  imports only core, contacts imports core and accounts.
- A feature module uses another feature module only through its ``selectors`` and ``services``
  (never its models, views, forms or anything else), and only along an edge declared in
  :data:`FEATURE_EDGES`. ``apps.get_model("other", …)`` counts as an import of its models.
- Tests, migrations and the test-support package are exempt: tests build their world with the
  factories of any module, migrations are generated.

:func:`violations` checks a source tree; ``core/tests/test_layers.py`` runs it on the project and,
on a small planted tree, shows that it fails.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

BASE_LAYERS = {"core": 0, "accounts": 1, "contacts": 2}
FEATURE_LAYER = 3

# Which feature module may call which other one (through its selectors and services only).
FEATURE_EDGES: dict[str, set[str]] = {
    "advisory": set(),
    "events": set(),
    "climate": set(),
    "portal": {"events"},  # "invite all editors" to an event
    "newsletter": {"events", "portal"},  # items taken from upcoming events and new offers
    "competition": {"advisory"},  # the patent attorney's consultation day for the pupils
    "networks": {"events", "portal", "newsletter"},  # meetings are events; campaign leads
    "reports": {"advisory", "events", "portal", "newsletter", "climate", "competition", "networks"},
    "webhooks": set(),  # listens to core.hooks; nobody imports it
    "api": {"advisory", "events", "portal", "newsletter", "climate", "competition", "networks", "reports"},
}
FEATURES = set(FEATURE_EDGES)
PUBLISHED = {"selectors", "services"}  # what a feature module offers the others
EXEMPT_PARTS = {"tests", "migrations"}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.target} – {self.reason}"


def _layer(app: str) -> int:
    return BASE_LAYERS.get(app, FEATURE_LAYER)


def _imported_modules(tree: ast.AST):
    """``(line, dotted module name)`` of every import, also inside functions, and of ``get_model`` calls."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:  # "from events import models" names a submodule
                yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model":
            args = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if args:
                yield node.lineno, f"{args[0].split('.')[0]}.models"


def _check(app: str, module: str, known_apps: set[str]) -> str | None:
    parts = module.split(".")
    target = parts[0]
    if target == app or target not in known_apps:
        return None
    if _layer(target) > _layer(app):
        return f"{app} is below {target}: a lower layer never imports a higher one"
    if app in FEATURES and target in FEATURES:
        if target not in FEATURE_EDGES.get(app, set()):
            return f"no declared edge {app} → {target} (testing/layers.py FEATURE_EDGES)"
        if len(parts) == 1:
            return None  # "from events import selectors" is checked by its submodule entry
        if parts[1] not in PUBLISHED:
            return f"{target}.{parts[1]} is not published: use {target}.selectors or {target}.services"
    return None


def violations(root: Path, apps: dict[str, str] | None = None) -> list[Violation]:
    """Every import in the tree under ``root`` that breaks the rule. ``apps`` maps app label → layer kind."""
    root = Path(root)
    known_apps = set(BASE_LAYERS) | FEATURES
    found: list[Violation] = []
    for app in sorted(known_apps):
        folder = root / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(root)
            if EXEMPT_PARTS & set(relative.parts):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            seen = set()
            for line, module in _imported_modules(tree):
                reason = _check(app, module, known_apps)
                if reason and (line, module.split(".")[0]) not in seen:
                    seen.add((line, module.split(".")[0]))
                    found.append(Violation(str(relative), line, module, reason))
    return found
