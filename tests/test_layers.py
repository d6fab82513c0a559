"""The import graph points one way: runtime and schemas at the bottom, then the files'
lifecycle, intake (with the follow-ups and plausibility steps beside it), core, marts,
publishing and reports, and the pipelines (Dagster definitions, CLI) on top."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
PACKAGES = ("runtime", "schemas", "assets", "pipelines")
# lower number = lower layer; a module may import only its own layer or lower ones
LAYERS = [
    ("runtime", 0),
    ("schemas", 0),
    ("assets", 1),  # the package and its neutral modules: xlsx, freshness, sql_assets
    ("assets.xlsx", 1),
    ("assets.freshness", 1),
    ("assets.sql_assets", 1),
    ("assets.files", 1.5),  # inbox → arkiv/afvist → receipt: below intake and publishing
    ("assets.intake", 2),  # the package, its problems and the kinds' hooks
    ("assets.intake.reading", 2.1),  # a file's cells: knows no kind
    ("assets.intake.parsing", 2.2),  # recognising and parsing what was read
    ("assets.intake.loading", 2.3),  # into the raw tables
    ("assets.intake.assets", 2.4),  # the intake step, over all three
    ("assets.intake.templates", 2.4),
    ("assets.followups", 2),  # steps of their own after intake, which imports neither
    ("assets.plausibility", 2),
    ("assets.core", 3),
    ("assets.marts", 4),
    ("assets.publishing", 5),
    ("assets.reports", 6),
    ("pipelines", 7),
]


def layer(module: str) -> float:
    return max((n for p, n in LAYERS if module == p or module.startswith(p + ".")), default=-1)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def imports() -> dict[str, set[str]]:
    """module → the project modules it imports (at any depth: lazy imports count too).

    Parsed once per test process: every parametrised case reads the same graph (the tests
    only read it)."""
    graph = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = module_name(path)
            found = set()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            typing_only = {
                id(n)
                for block in ast.walk(tree)
                if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
                for n in ast.walk(block)
            }
            for node in ast.walk(tree):
                if id(node) in typing_only:  # annotations only: no arrow at run time
                    continue
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                elif isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                else:
                    continue
                found |= {t for t in targets if t.split(".")[0] in PACKAGES}
            graph[name] = found
    return {m: {t for t in ts if t in graph} for m, ts in graph.items()}


def test_every_module_has_a_layer():
    assert [m for m in imports() if layer(m) < 0] == []


@pytest.mark.parametrize("module", sorted(imports()))
def test_no_module_imports_a_higher_layer(module):
    upward = [t for t in imports()[module] if layer(t) > layer(module)]
    assert upward == [], f"{module} (layer {layer(module)}) imports {upward}"


def test_the_import_graph_has_no_cycle():
    graph = imports()
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError(" → ".join([*path[path.index(node) :], node]))
        if node in done:
            return
        for t in graph[node]:
            if t != node and not node.startswith(t + "."):  # a package's own __init__
                visit(t, [*path, node])
        done.add(node)

    for m in graph:
        visit(m, [])


def test_every_mart_sql_file_has_a_contract_and_publishing_waits_for_it():
    from assets.publishing import MART_KEYS
    from schemas.marts import contracts

    tables = sorted(p.stem for p in (REPO / "assets" / "marts" / "sql").glob("*.sql"))
    assert sorted(contracts()) == tables
    assert sorted(k.path[-1] for k in MART_KEYS) == tables


def test_every_sql_file_names_its_table_in_danish_for_the_progress_line():
    from assets.core.kinds import generated
    from assets.sql_assets import sql_folders, titles

    folders = sql_folders(REPO / "assets")
    sources = sorted(p.stem for f in folders.values() for p in f.glob("*.sql"))
    names = titles(folders, generated())
    assert [s for s in sources + list(generated()) if s not in names] == []
    assert len(set(sources)) == len(sources)  # one name per step, macro files included


def test_only_the_settings_module_names_a_forebyg_variable():
    """The environment is read through runtime/settings.py: no other module holds a
    variable's name as a string of its own (os.environ["FOREBYG_…"], getenv("FOREBYG_…"),
    a constant passed to either); a name inside a sentence is a message, not a read."""
    found = []
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            if path == REPO / "runtime" / "settings.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                value = node.value if isinstance(node, ast.Constant) else None
                if isinstance(value, str) and re.fullmatch(r"FOREBYG_[A-Z0-9_]+", value):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno} {value}")
    assert found == []


def _imports_of(package: str) -> set[str]:
    return {t for m, ts in imports().items() if m == package or m.startswith(package + ".")
            for t in ts}  # fmt: skip


def _within(targets: set[str], *packages: str) -> list[str]:
    return sorted(t for t in targets for p in packages if t == p or t.startswith(p + "."))


def test_publishing_moves_files_through_the_files_package_never_through_intake():
    publishing = _imports_of("assets.publishing")
    assert _within(publishing, "assets.intake") == []
    assert _within(publishing, "assets.files") != []  # the lifecycle is the files package's


def test_intake_leaves_follow_ups_plausibility_and_publishing_to_their_own_steps():
    assert _within(_imports_of("assets.intake"), "assets.followups", "assets.plausibility",
                   "assets.publishing") == []  # fmt: skip


def test_the_files_package_knows_no_stage():
    stages = ("assets.intake", "assets.followups", "assets.plausibility", "assets.core",
              "assets.marts", "assets.publishing", "assets.reports", "schemas")  # fmt: skip
    assert _within(_imports_of("assets.files"), *stages) == []


def test_the_mart_checks_keep_their_sql_in_sql_files():
    """A rule over the marts is a file in assets/marts/checks/, not a query in a Python
    string: no string in assets/marts/*.py spans three lines and selects."""
    found = []
    for path in (REPO / "assets" / "marts").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = re.sub(r"--[^\n]*", "", node.value)  # the code, not its comments
                if text.count("\n") >= 2 and "SELECT" in text.upper():
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []
