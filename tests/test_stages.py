"""Follow-ups and plausibility are steps of their own in the graph, after intake: the
plausibility step judges new files against the core tables in force, so every core table
(and macro) waits for it, and the marts reading the follow-up tables wait for the
follow-ups' step (those read no core table, so they need not wait for plausibility)."""

from __future__ import annotations

import dagster as dg
import pytest

from assets.followups.store import TABLES
from pipelines.graph import build_definitions, raw_step
from runtime import settings
from runtime.resources import Home

INTAKE = dg.AssetKey("indbakke")
FOLLOW_UPS = dg.AssetKey("opfoelgningsarkiv")
PLAUSIBILITY = dg.AssetKey("plausibilitet")


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    home = Home(tmp_path_factory.mktemp("hjem"))
    return build_definitions(home).resolve_asset_graph()


def _ancestors(graph, key: dg.AssetKey) -> set[dg.AssetKey]:
    seen, todo = set(), [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_both_steps_follow_intake_and_nothing_else(graph):
    assert graph.get(FOLLOW_UPS).parent_keys == {INTAKE}
    assert graph.get(PLAUSIBILITY).parent_keys == {INTAKE}


def test_no_core_table_is_rebuilt_before_plausibility(graph):
    core = [k for k in graph.get_all_asset_keys() if k.path[0] in ("makro", "core")]
    assert dg.AssetKey(["core", "forbrug"]) in core  # what the plausibility step compares with
    assert [k.to_user_string() for k in core if PLAUSIBILITY not in _ancestors(graph, k)] == []


def test_the_marts_reading_follow_ups_wait_for_their_step(graph):
    readers = sorted(
        p.stem
        for p in settings.MART_SQL.glob("*.sql")
        if any(f"raw.{t}" in p.read_text(encoding="utf-8") for t in TABLES)
    )
    assert "opfoelgninger" in readers and "besparelser_opfoelgning" in readers
    for table in readers:
        assert FOLLOW_UPS in graph.get(dg.AssetKey(["mart", table])).parent_keys, table


def test_raw_tables_map_to_their_steps():
    assert raw_step("opfoelgninger") == raw_step("besparelser_opfoelgning") == FOLLOW_UPS
    assert raw_step("forbrug") == raw_step("advarsler") == raw_step("") == PLAUSIBILITY
