"""The layers of docs/architecture.md, checked over the import graph of the source.

An app may import the apps below it (``MAY_IMPORT``) anywhere, and a few apps above it inside a
function only (``MAY_IMPORT_LATE``: a page that shows another app's records, a command of the
demo); the imports at load time between apps form no circle. Tests and migrations are left out.
"""

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]  # src/tremplin

GROUND = {"core"}
BASE = GROUND | {"territories", "audit", "operations"}
PEOPLE = BASE | {"accounts", "search"}
DIRECTORY = PEOPLE | {"housing", "partners"}

MAY_IMPORT = {
    "core": set(),
    "territories": GROUND,
    "audit": GROUND,
    "operations": GROUND,
    "search": GROUND,
    "accounts": BASE,
    "housing": PEOPLE,
    "partners": PEOPLE,
    "projects": DIRECTORY,
    "casework": DIRECTORY,
    "surveys": DIRECTORY,
    "concertation": DIRECTORY,
    "events": DIRECTORY | {"concertation"},
    "newsletter": DIRECTORY | {"projects"},
    "evaluation": DIRECTORY | {"projects", "casework", "surveys", "concertation", "events"},
    "imports": PEOPLE,
    # Above every product app; no product app imports them.
    "api": DIRECTORY
    | {"projects", "casework", "surveys", "concertation", "events", "newsletter", "evaluation"},
    "demo": DIRECTORY
    | {"projects", "casework", "surveys", "concertation", "events", "newsletter", "evaluation"},
    "bench": DIRECTORY
    | {"projects", "casework", "surveys", "concertation", "events", "evaluation", "demo", "api"},
    "testing": set(),
}

MAY_IMPORT_LATE = {
    # Its search's groups read each kind through that kind's own selectors.
    "search": {"housing", "partners", "projects", "casework", "concertation", "events"},
    # The health check asks whether the caller is the coordination; the load test signs in as
    # the demo's accounts.
    "operations": {"accounts", "demo"},
    "accounts": {"demo"},  # `tremplin demo-code`, a demo-only command
    "housing": {"projects"},  # a provider's page shows its community work
    "concertation": {"events", "projects"},  # a committee's events and organizations
    "newsletter": {"events"},  # upcoming events on the public site
    "imports": {"housing", "partners", "projects", "events", "newsletter", "surveys"},
    "bench": {"imports"},
    "testing": {"accounts", "demo"},
}


def _app_of(path: Path) -> str | None:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else None


def _imported_apps(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module == "tremplin":
            return [alias.name for alias in node.names]
        if node.module.startswith("tremplin."):
            return [node.module.split(".")[1]]
    if isinstance(node, ast.Import):
        return [a.name.split(".")[1] for a in node.names if a.name.startswith("tremplin.")]
    return []


def import_graph() -> tuple[dict, dict]:
    """(at load time, inside functions): app → {imported app: [where, …]}."""
    load, late = defaultdict(lambda: defaultdict(list)), defaultdict(lambda: defaultdict(list))
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).parts
        if "tests" in parts or "migrations" in parts or path.name in ("conftest.py",):
            continue
        app = _app_of(path)
        if app is None:
            continue  # the project's own modules (settings, urls, views) sit above every app

        def visit(node, in_function, app=app, path=path):
            for child in ast.iter_child_nodes(node):
                nested = in_function or isinstance(
                    child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                )
                for target in _imported_apps(child):
                    if target != app and (SRC / target / "__init__.py").exists():
                        where = f"{path.relative_to(SRC)}:{child.lineno}"
                        (late if nested else load)[app][target].append(where)
                visit(child, nested)

        visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return load, late


def test_it_lets_no_app_import_one_above_it():
    load, late = import_graph()
    apps = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()} - {"locale"}
    assert apps <= set(MAY_IMPORT), f"apps missing from the layers: {apps - set(MAY_IMPORT)}"
    wrong = []
    for app, targets in load.items():
        for target, places in targets.items():
            if target not in MAY_IMPORT[app]:
                wrong.append(f"{app} → {target} at load time ({places[0]})")
    for app, targets in late.items():
        for target, places in targets.items():
            if target not in MAY_IMPORT[app] | MAY_IMPORT_LATE.get(app, set()):
                wrong.append(f"{app} → {target} ({places[0]})")
    assert not wrong, "imports against docs/architecture.md's layers:\n" + "\n".join(wrong)


def test_it_finds_no_import_circle_between_apps():
    load, _late = import_graph()
    graph = {app: set(targets) for app, targets in load.items()}
    seen, stack, circles = set(), [], []

    def walk(app):
        if app in stack:
            circles.append(" → ".join([*stack[stack.index(app) :], app]))
            return
        if app in seen:
            return
        seen.add(app)
        stack.append(app)
        for target in sorted(graph.get(app, ())):
            walk(target)
        stack.pop()

    for app in sorted(graph):
        walk(app)
    assert not circles, "import circles at load time:\n" + "\n".join(circles)


def test_it_sees_an_upward_import():
    """The checker itself: an import of a higher app in a lower one is found."""
    tree = ast.parse("from tremplin.casework.models import Person\nimport tremplin.events.ical")
    assert [t for node in ast.walk(tree) for t in _imported_apps(node)] == ["casework", "events"]
