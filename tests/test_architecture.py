"""The house rules, checked on the source: pure modules never import Django, no use case imports
another, and module-level imports form no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import amorce
from amorce.usecases import REGISTERED

PACKAGE = Path(amorce.__file__).resolve().parent
# Modules of a use case that belong to its Django layer (they may import Django); a module named
# ``services_<topic>`` is part of the service layer too.
DJANGO_LAYER = {"models", "tasks", "api", "views", "urls", "forms", "admin", "apps", "services", "filters",
                "config", "warmup", "migrations", "templatetags", "management"}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imports(name: str, path: Path, *, top_level_only: bool) -> set[str]:
    """Modules imported by ``name`` (absolute names), at module level only or anywhere."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in MODULES}
    return found


def _is_pure(name: str) -> bool:
    parts = name.split(".")
    if len(parts) < 2 or parts[1] == "web":
        return False
    if parts[1] == "usecases":
        return True
    if parts[1] == "cli":  # the root command mounts the platform's commands
        return False
    return not any(part in DJANGO_LAYER or part.split("_")[0] in DJANGO_LAYER for part in parts[2:])


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _is_pure(n)))
def test_pure_modules_never_import_django(name):
    imported = _imports(name, MODULES[name], top_level_only=False)
    if name.endswith(".cli"):  # a command that needs the database sets Django up, inside the command
        imported -= {"amorce.web.cli"}
    bad = sorted(m for m in imported if m == "django" or m.startswith(("django.", "amorce.web", "ninja")))
    assert not bad, f"{name} importe {bad}"


def test_no_use_case_imports_another():
    offences = []
    for name, path in MODULES.items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] not in REGISTERED:
            continue
        for imported in _imports(name, path, top_level_only=False):
            other = imported.split(".")
            if len(other) > 1 and other[0] == "amorce" and other[1] in REGISTERED and other[1] != parts[1]:
                offences.append(f"{name} -> {imported}")
    assert not offences, offences


def test_module_level_imports_form_no_cycle():
    graph = {name: {m for m in _imports(name, path, top_level_only=True) if m in MODULES and m != name}
             for name, path in MODULES.items()}
    # A package's __init__ is imported with any of its modules: not an edge of its own here.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            pytest.fail("cycle d'imports : " + " -> ".join(cycle))


# Where the environment may be read directly: the configuration modules, Django's settings, and one
# place that saves and restores a variable around a library that reads it (not configuration).
ENVIRONMENT_READERS = {"amorce.core.config", "amorce.web.settings", "amorce.web.settings_test",
                       "amorce.assistant.kb"}


def _environment_reads(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        text = ast.unparse(node) if isinstance(node, (ast.Call, ast.Subscript, ast.Compare)) else ""
        if isinstance(node, ast.Call) and text.startswith(("os.environ.get(", "os.getenv(")):
            lines.append(node.lineno)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and text.startswith("os.environ["):
            lines.append(node.lineno)
        elif isinstance(node, ast.Compare) and " in os.environ" in text:
            lines.append(node.lineno)
    return lines


def test_the_environment_is_read_through_the_configuration_helpers():
    """Settings are read through one validated configuration (``core.config`` helpers or a package's
    ``config`` module, French errors for invalid values), never ``os.environ`` scattered in modules."""
    offences = {name: _environment_reads(ast.parse(path.read_text(encoding="utf-8")))
                for name, path in MODULES.items()
                if name not in ENVIRONMENT_READERS and not name.endswith(".config")}
    offences = {name: lines for name, lines in offences.items() if lines}
    assert not offences, offences
