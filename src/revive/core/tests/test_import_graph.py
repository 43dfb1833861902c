"""The import graph of src/revive, read with `ast` (module-level and function-local imports alike).

Rules (issue 15): no domain app imports `web` or `api`; `core` imports no other app of the project;
`registry` imports no other domain app but `accounts` and `core`; no app imports `demo` (the demo data set,
which may import every app); no cycle between domain apps, apart from the known ones listed below (each to
be broken by the work named next to it). A new cycle fails here.
Test modules (`tests/` packages) are left out: a test may drive several apps to set up its data.
"""

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # src/revive
PROJECT = ROOT.name  # "revive"
FRONTS = {"web", "api"}  # the pages and the API sit on top; nothing below imports them
DEMO = "demo"  # the demo data set: it may import every domain app, and no app imports it
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file())
DOMAIN = [a for a in APPS if a not in FRONTS]

# Edges that close a cycle today, each with what breaks it. Removing an import that breaks a cycle means
# removing its line here too (the test says so); adding a line needs a reason as good as these.
KNOWN_CYCLE_EDGES = {
    # jobs/tasks.py's hourly sweep calls the imports' and plan runs' own sweeps, which use jobs/runner.py.
    ("jobs", "imports"): "jobs/tasks.py sweep",
    ("jobs", "planning"): "jobs/tasks.py sweep",
    # A finished import or plan run tells its author through notices, whose deadlines read filings and plans.
    ("imports", "notices"): "imports/tasks.py tells the sender",
    ("planning", "notices"): "planning/tasks.py tells the author",
}


def _module_name(path: Path) -> list[str]:
    parts = [PROJECT, *path.relative_to(ROOT).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(node: ast.AST, package: list[str]) -> list[str]:
    """Dotted names an import statement may load (for `from x import y`, both x and x.y)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = package[: len(package) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        return [module] + [f"{module}.{alias.name}" for alias in node.names]
    return []


@cache  # parsing every module takes seconds; the tests only read the trees
def _modules() -> tuple:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = _module_name(path)
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        package = parts if path.name == "__init__.py" else parts[:-1]
        found.append((path, parts, package, ast.parse(path.read_text(encoding="utf-8"), str(path))))
    return tuple(found)


@cache
def _edges() -> tuple:
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path, parts, package, tree in _modules():
        app = parts[1]
        for node in ast.walk(tree):
            for name in _imported(node, package):
                target = name.split(".")
                if len(target) >= 2 and target[0] == PROJECT and target[1] in APPS and target[1] != app:
                    edges[(app, target[1])].add(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return tuple((pair, frozenset(where)) for pair, where in edges.items())


def _graph() -> dict[tuple[str, str], set[str]]:
    """(from app, to app) -> where: every import of another app of the project, with file and line (a new
    dict for each caller: looking up a missing pair adds it, as a defaultdict does)."""
    return defaultdict(set, {pair: set(where) for pair, where in _edges()})


def _shown(edges, pairs) -> str:
    return "\n".join(f"{a} -> {b}: {', '.join(sorted(edges[(a, b)]))}" for a, b in sorted(pairs))


def _cycle(nodes: list[str], arcs: set[tuple[str, str]]) -> list[str] | None:
    """One cycle of the directed graph, as a path that ends where it starts; None when there is none."""
    out = defaultdict(list)
    for a, b in sorted(arcs):
        out[a].append(b)
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in out[node]:
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in nodes:
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_sees_the_apps_and_function_local_imports():
    edges = _graph()
    assert {"core", "registry", "cases", "web", "api"} <= set(APPS)
    # cases/apps.py registers its band-change handler with an import inside ready()
    assert any(w.startswith("revive/cases/apps.py") for w in edges[("cases", "registry")])


def test_no_domain_app_imports_web_or_api():
    edges = _graph()
    bad = [(a, b) for a, b in edges if a in DOMAIN and b in FRONTS]
    assert not bad, "a domain app imports the pages or the API:\n" + _shown(edges, bad)


def test_core_imports_no_other_app():
    edges = _graph()
    bad = [(a, b) for a, b in edges if a == "core"]
    assert not bad, "core imports another app of the project:\n" + _shown(edges, bad)


def test_registry_imports_no_other_domain_app():
    edges = _graph()
    bad = [(a, b) for a, b in edges if a == "registry" and b not in {"accounts", "core"}]
    assert not bad, "the registry imports another domain app:\n" + _shown(edges, bad)


def test_no_app_imports_the_demo():
    """The demo generators and commands live apart (revive/demo/): production code never needs them."""
    edges = _graph()
    assert DEMO in APPS
    assert (DEMO, "registry") in edges  # the demo builds on the apps ...
    bad = [(a, b) for a, b in edges if b == DEMO]  # ... and nothing builds on the demo
    assert not bad, "an app imports the demo:\n" + _shown(edges, bad)


def test_core_errors_does_not_import_core_text():
    """text.py raises DomainError; errors.py takes its digits from the leaf core/digits.py, not from text."""
    imports = {}
    for _path, parts, package, tree in _modules():
        if parts[1:] in (["core", "errors"], ["core", "digits"]):
            imports[parts[-1]] = {n for node in ast.walk(tree) for n in _imported(node, package)}
    assert {n for n in imports["errors"] if n.startswith("revive.")} <= {
        "revive.core.digits",
        "revive.core.digits.to_persian_digits",
    }
    assert not {n for n in imports["digits"] if n.startswith("revive.")}


def test_no_new_cycle_between_domain_apps():
    edges = _graph()
    arcs = {(a, b) for a, b in edges if a in DOMAIN and b in DOMAIN}
    cycle = _cycle(DOMAIN, arcs - set(KNOWN_CYCLE_EDGES))
    assert cycle is None, (
        "a cycle between domain apps: "
        + " -> ".join(cycle)
        + "\n"
        + _shown(edges, list(zip(cycle, cycle[1:], strict=False)))
    )


def test_known_cycle_edges_still_exist():
    """A known exception whose import is gone must leave the list, so it cannot hide a new cycle later."""
    edges = _graph()
    gone = [pair for pair in KNOWN_CYCLE_EDGES if pair not in edges]
    assert not gone, f"these imports are gone; remove them from KNOWN_CYCLE_EDGES: {gone}"
