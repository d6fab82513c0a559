"""The Dagster definitions as a committed snapshot: every asset's key, group, kinds and
dependencies, and every check's asset, name, blocking and additional dependencies.

A change to the graph (a new SQL file, a table read by another, a new check) shows here as
a diff to review, not only as a different picture in the UI. After a deliberate change,
record the snapshot again and commit it:

    .venv/bin/python -m tests.test_definitions_snapshot
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from pipelines.graph import build_definitions
from runtime.resources import Home

RECORDED = Path(__file__).with_name("definitions_snapshot.json")


def snapshot(root: Path) -> dict:
    graph = build_definitions(Home(root / "hjem").create()).resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "kinds": sorted(node.kinds),
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
        }
    checks = {}
    for key in sorted(graph.asset_check_keys, key=lambda k: k.to_user_string()):
        spec = graph.get_check_spec(key)
        checks[key.to_user_string()] = {
            "blocking": spec.blocking,
            "deps": sorted(d.asset_key.to_user_string() for d in spec.additional_deps),
        }
    return {"assets": assets, "checks": checks}


def test_the_definitions_match_the_recorded_snapshot(tmp_path):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert snapshot(tmp_path) == recorded, (
        "the asset graph changed; if on purpose: python -m tests.test_definitions_snapshot"
    )


def as_text(snap: dict) -> str:
    """JSON with one line per asset and per check, so a change reads as a line's diff."""
    parts = []
    for part, entries in snap.items():
        lines = [
            f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in entries.items()
        ]
        parts.append(f'"{part}": {{\n' + ",\n".join(lines) + "\n}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


if __name__ == "__main__":  # record the snapshot again (after a deliberate change)
    with tempfile.TemporaryDirectory() as d:
        RECORDED.write_text(as_text(snapshot(Path(d))), encoding="utf-8")
