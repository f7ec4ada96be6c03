"""The package's shape, held from the source with the standard library's ast: rooms of a size a reader can hold,
one module that talks to the solver, no import cycles, and arrows that run down the layers only.

Layers, top to bottom: cli -> plan, report, check -> results, runfolder -> model -> inputs -> config -> data.
Entry modules (__main__.py and the thin planner/<command>.py shims) belong to the command line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "planner"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 100
ENTRY_SHIMS = {"planner.solve", "planner.sweep", "planner.compare", "planner.levers", "planner.ensemble"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_entry(name: str) -> bool:
    return name.endswith(".__main__") or name in ENTRY_SHIMS


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks (imports for type hints only: no arrow at run time)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def imports(name: str) -> Iterator[str]:
    """Every module `name` imports at run time (anywhere in the file), as written."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
            yield from subs  # `from pkg import submodule` is an arrow to the submodule
            if len(subs) < len(node.names):
                yield base


def internal_arrows() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name in MODULES:
        out[name] = {m for m in imports(name) if m in MODULES and m != name}
    return out


def layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "planner"


# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{MODULES[name].relative_to(PACKAGE.parent)} has {lines} lines: split it by role"


def test_function_size() -> None:
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{name}.{node.name} ({n} lines)")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_highspy_is_imported_in_one_module() -> None:
    users = sorted(n for n in MODULES if any(m.split(".")[0] == "highspy" for m in imports(n)))
    assert users == ["planner.highs"]


def test_no_import_cycle() -> None:
    arrows = internal_arrows()
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(arrows[node]):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(arrows):
        if name not in state:
            visit(name, [name])


FORBIDDEN = {
    # layer: what it must never import (planner layers, or outside packages)
    "data": {"model", "inputs", "config", "plan", "results", "highs", "report", "cli", "runfolder", "check", "pyomo"},
    "config": {"model", "inputs", "plan", "results", "highs", "report", "cli", "check", "pyomo"},
    "inputs": {"model", "plan", "results", "highs", "report", "cli", "check", "runfolder", "pyomo"},
    "model": {"plan", "results", "highs", "report", "cli", "check", "runfolder", "matplotlib", "geopandas"},
    "results": {"plan", "highs", "report", "cli", "check"},
    "runfolder": {"model", "inputs", "plan", "results", "highs", "report", "cli", "check", "pyomo"},
    "report": {"model", "inputs", "plan", "results", "highs", "cli", "check", "pyomo"},
    "check": {"model", "inputs", "plan", "results", "highs", "report", "cli", "pyomo"},
    "plan": {"report", "cli", "check"},
}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not is_entry(n)))
def test_arrows_run_down(name: str) -> None:
    banned = FORBIDDEN.get(layer(name), set())
    bad = []
    for m in imports(name):
        parts = m.split(".")
        target = parts[1] if parts[0] == "planner" and len(parts) > 1 else parts[0]
        if target in banned:
            bad.append(m)
    assert not bad, f"{name} ({layer(name)}) imports {bad}"
