"""Reports are total functions of the marts: whatever the mart tables hold (nothing, NULL,
NaN, infinity, one row, one year, one municipality, negative or huge figures), both the
workbook and the page are written without an exception (hypothesis mutates the marts of
a real warehouse: the small municipality with Danmarks Statistik's sample tables). And a
report that fails anyway never takes back the published marts: the old pair stays, the
run warns (Advarsel) and alerts."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.reports.content import read_content
from assets.reports.html import ticks, write_html
from assets.reports.workbook import write_workbook
from pipelines.alerts import alert_sensors
from pipelines.cli import execute, main
from runtime.resources import Home
from tests import builders, fixtures
from tests.alert_servers import servers
from tests.conftest import query, run, settle
from tests.test_alerts import ALERT_VARIABLES

pytestmark = pytest.mark.slow

MARTS = [p.stem for p in sorted((Path(__file__).parents[1] / "assets/marts/sql").glob("*.sql"))]
CHANGES = ["tom", "én række", "null", "nan", "uendelig", "negativ", "kæmpe"]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    home = Home(tmp_path_factory.mktemp("rapport") / "hjem").create()
    paths = fixtures.inbox(home.indbakke)
    for path in fixtures.SAMPLE_DST_API:
        paths.append(Path(shutil.copy2(path, home.indbakke / path.name)))
    settle(paths)
    run(home)
    return home.warehouse


def _columns(con, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'mart' AND table_name = ?",
        [table],
    ).fetchall()


def mutate(con, table: str, change: str) -> None:
    """One change to every number of a mart table (or to its rows)."""
    target = f"mart.{table}"
    if change == "tom":
        con.execute(f"DELETE FROM {target}")
        return
    if change == "én række":
        con.execute(f"DELETE FROM {target} WHERE rowid <> (SELECT min(rowid) FROM {target})")
        return
    for column, kind in _columns(con, table):
        number = kind in ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "HUGEINT") or kind.startswith(
            "DECIMAL"
        )
        if not number or column == "aar":
            continue
        floating = kind in ("DOUBLE", "FLOAT")
        value = {
            "null": "NULL",
            "nan": "'NaN'::DOUBLE" if floating else None,
            "uendelig": "'-inf'::DOUBLE" if floating else None,
            "negativ": f"-{column}",
            "kæmpe": f"TRY_CAST({column} * 1e12 AS {kind})",
        }[change]
        if value is not None:
            con.execute(f'UPDATE {target} SET "{column}" = {value}')


def narrow(con, scope: str) -> None:
    """Keep one year (the newest) or one municipality (the own) wherever a table has it."""
    for table in MARTS:
        names = {c for c, _ in _columns(con, table)}
        if scope == "ét år" and "aar" in names:
            con.execute(
                f"DELETE FROM mart.{table} WHERE aar IS DISTINCT FROM "
                f"(SELECT max(aar) FROM mart.{table})"
            )
        if scope == "én kommune" and "egen_kommune" in names:
            con.execute(f"DELETE FROM mart.{table} WHERE NOT egen_kommune")


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    changes=st.dictionaries(st.sampled_from(MARTS), st.sampled_from(CHANGES), max_size=8),
    scope=st.sampled_from(["alt", "ét år", "én kommune"]),
)
def test_reports_are_written_whatever_the_marts_hold(warehouse, changes, scope):
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "forebyg.duckdb"
        shutil.copyfile(warehouse, copy)
        con = duckdb.connect(str(copy))
        try:
            narrow(con, scope)
            for table, change in changes.items():
                mutate(con, table, change)
            content = read_content(con)
        finally:
            con.close()
        for appendix in (False, True):  # the report and its appendix
            assert write_workbook(content, Path(tmp) / "r.xlsx", appendix).stat().st_size > 0
            page = write_html(content, Path(tmp) / "r.html", appendix)
            assert "<table" in page.read_text(encoding="utf-8")


@given(
    low=st.floats(allow_nan=True, allow_infinity=True),
    high=st.floats(allow_nan=True, allow_infinity=True),
)
@settings(max_examples=200, deadline=None)
def test_axis_ticks_cover_any_finite_range_and_never_fail(low, high):
    # ticks of a range that cannot be drawn (NaN, infinite) fall back to 0–1
    grid = ticks(low, high)
    assert 2 <= len(grid) <= 12
    assert grid == sorted(grid)


@pytest.fixture
def published(tmp_path) -> Home:
    """The small municipality published, with its two reports."""
    home = Home(tmp_path / "hjem").create()
    settle(fixtures.inbox(home.indbakke))
    run(home)
    return home


@pytest.fixture
def alerts(monkeypatch):
    """Alerts go to local servers only."""
    for name in ALERT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with servers() as (received, settings):
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        yield received


def _broken_page(content, path, appendix=False):
    raise ValueError("cannot convert float NaN to integer")


def test_a_report_that_fails_keeps_the_old_pair_and_warns(published, monkeypatch, alerts):
    # the workbook is written, the page fails: neither file is replaced, nothing is left
    # under a temporary name, the run passes with an Advarsel and operations get an alert
    import assets.reports.assets as report_assets

    before = {p.name: p.read_bytes() for p in published.rapporter.iterdir()}
    assert sorted(before) == [
        "styregruppe.html",
        "styregruppe.xlsx",
        "styregruppe_bilag.html",
        "styregruppe_bilag.xlsx",
    ]
    monkeypatch.setattr(report_assets, "write_html", _broken_page)
    instance = dg.DagsterInstance.ephemeral()
    result = execute(published, selection=[dg.AssetKey("rapporter")], instance=instance)
    assert result.success
    (warning,) = report_assets.warnings_of(result)
    assert warning.startswith("Advarsel: rapporterne (styregruppe.xlsx og .html) kunne ikke")
    assert "de forrige rapporter (fra " in warning and "er bevaret uændret" in warning
    assert {p.name: p.read_bytes() for p in published.rapporter.iterdir()} == before
    sensor = next(s for s in alert_sensors(published) if s.name == "alarm_ved_rapportfejl")
    sensor(
        dg.build_run_status_sensor_context(
            sensor_name=sensor.name,
            dagster_event=result.get_run_success_event(),
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        )
    )
    (post,) = alerts.posts
    assert "forebyg: rapporterne kunne ikke skrives" in post["text"] and warning in post["text"]


def test_a_failing_report_never_stops_publishing_the_marts(published, monkeypatch, capsys):
    import assets.reports.assets as report_assets

    monkeypatch.setattr(report_assets, "write_html", _broken_page)
    settle(
        [
            builders.spending(
                published.indbakke / "ny.xlsx", builders.monthly("5.38.50", 2025, 1000, [7])
            )
        ]
    )
    assert main(["run", "--home", str(published.root)]) == 0
    out = capsys.readouterr().out
    assert "1 fil i denne kørsel: 1 accepteret." in out
    assert "Advarsel: rapporterne (styregruppe.xlsx og .html) kunne ikke skrives" in out
    assert query(published, "SELECT status FROM mart.leverancer WHERE filnavn = 'ny.xlsx'") == [
        ("accepteret",)
    ]
    assert main(["report", "--home", str(published.root)]) == 1  # the command is the report
    assert "Advarsel: rapporterne" in capsys.readouterr().err
