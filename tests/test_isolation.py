"""One file, one verdict through to the last step (pipelines/isolation.py).

The search is checked twice: exhaustively against a fake job (any batch of up to 12
files, any 1–3 poisoned files, and a warehouse that fails on its own), counting runs; and
with the real job, where a test hook poisons a SQL step or a blocking check whenever a
file's rows carry ansvarssted 6666 (hypothesis draws the batches).
"""

from __future__ import annotations

import itertools
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assets.sql_assets as sql_assets
from pipelines import isolation
from pipelines.cli import execute, main
from pipelines.jobs import INBOX_ONLY_CONFIG
from runtime.resources import Home
from tests import builders, fixtures
from tests.conftest import query, run, settle
from tests.test_mart_values import mart_checksums

POISON_PLACE = "6666"
# mart tables that name deliveries (numbers, times): they differ by nature between a
# batch published in steps and the same files published at once
BY_DELIVERY = {"leverancer", "opmaerksomhed", "sporbarhed"}


def log2(n: int) -> int:
    return math.ceil(math.log2(n)) if n > 1 else 0


def fake(n: int, poisoned: set[int], broken: bool = False):
    """Run the search against a job that fails iff a poisoned file is read (or always,
    when the warehouse is ``broken``). Returns runs, verdict, files published in order."""
    batch = [f"fil{i:02d}.xlsx" for i in range(n)]
    bad = {batch[i] for i in poisoned}
    published: list[str] = []
    steps = isolation.search(batch, "Trinnet »X« fejlede.")
    trial, runs = next(steps), 0
    while True:
        runs += 1
        passed = not broken and not bad & set(trial.take)
        if passed:  # the intake reads in inbox order
            published += sorted(trial.take)
        try:
            trial = steps.send((passed, "" if passed else "Trinnet »Y« fejlede."))
        except StopIteration as end:
            return runs, end.value, published, batch


def test_search_rejects_exactly_the_poisoned_files_within_the_bound():
    # one poisoned file: ⌈log₂ n⌉ + 1 runs after the failed one (n = 1: the one run that
    # rejects it; n = 2: trial "first file, reject the second", then the other way);
    # k ≥ 2: round one ≤ ⌈log₂ n⌉ + 1, W alone 1, halving ≤ 2k·⌈log₂ n⌉ + 1 (two tested
    # halves per poisoned group, ≤ k poisoned groups per level), recording 1
    for n in range(1, 13):
        for k in range(1, 4):
            for poisoned in itertools.combinations(range(n), k):
                runs, verdict, published, batch = fake(n, set(poisoned))
                assert verdict.stop is None
                assert sorted(verdict.rejected) == [batch[i] for i in poisoned]
                assert published == [f for i, f in enumerate(batch) if i not in poisoned]
                bound = log2(n) + 1 if k == 1 else (2 * k + 1) * log2(n) + 4
                assert runs <= bound, (n, poisoned, runs)
        assert fake(n, {0})[0] == log2(n) + 1  # the first file poisoned: the worst case


def test_a_warehouse_that_fails_alone_stops_the_search_without_publishing():
    for n in range(1, 13):
        runs, verdict, published, _ = fake(n, set(), broken=True)
        assert verdict.stop.startswith("Kørslen kunne ikke gennemføres, heller ikke uden")
        assert "Trinnet »Y« fejlede." in verdict.stop
        assert published == [] and verdict.rejected == {}
        assert runs <= log2(n) + 2  # round one, then the warehouse alone


def poison(monkeypatch, where: str) -> None:
    """Test hook: a SQL step (core.forbrug) fails, or the blocking schema check of
    mart.indsats_status fails, when a file with ansvarssted 6666 has been read."""
    original = sql_assets.sql_asset
    when = f"EXISTS (SELECT 1 FROM raw.forbrug WHERE ansvarssted = '{POISON_PLACE}')"
    extra = {
        "sql": ("core", "forbrug", f"SELECT error('gift') FROM raw.forbrug WHERE {when};"),
        "check": (
            "mart",
            "indsats_status",
            f"UPDATE mart.indsats_status SET omraade = 'ukendt område' WHERE {when};",
        ),
    }[where]

    def hooked(schema, table, sql, *rest):
        if (schema, table) == extra[:2]:
            sql = f"{sql.rstrip().rstrip(';')};\n{extra[2]}"
        return original(schema, table, sql, *rest)

    monkeypatch.setattr(sql_assets, "sql_asset", hooked)


def spending_file(folder: Path, name: str, function: str, month: int, amount: int, place: str):
    return builders.spending(
        folder / name, builders.monthly(function, 2025, amount, [month], place=place)
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Home:
    """The small municipality, published: the warehouse as it was."""
    home = Home(tmp_path_factory.mktemp("isolering") / "hjem").create()
    settle(fixtures.inbox(home.indbakke))
    run(home)
    return home


def copy_home(home: Home, root: Path) -> Home:
    shutil.copytree(home.root, root)
    return Home(root)


def deliver(home: Home, files: list[tuple], poisoned: int | None) -> list[str]:
    """Spending files in the inbox, in this order (mtimes a second apart); the poisoned
    one (index) on ansvarssted 6666."""
    names = []
    for i, (function, month, amount) in enumerate(files):
        place = POISON_PLACE if i == poisoned else f"{7500 + i}"
        path = spending_file(home.indbakke, f"fil{i}.xlsx", function, month, amount, place)
        past = time.time() - 100 + i
        os.utime(path, (past, past))
        names.append(path.name)
    return names


GOOD = st.tuples(
    st.sampled_from(["5.38.50", "5.38.38", "5.57.73"]),
    st.integers(7, 9),  # months after the small municipality's: overlaps between files
    st.integers(1, 400).map(lambda t: t * 1000),
)


@pytest.mark.slow
@settings(
    max_examples=4,  # each example runs the job up to 5 times, and once for the reference
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    files=st.lists(GOOD, min_size=3, max_size=7),
    where=st.sampled_from(["sql", "check"]),
    data=st.data(),
)
def test_a_poisoned_file_is_rejected_alone_and_the_rest_published(loaded, files, where, data):
    # 2–6 good files and one poisoned among them (any position); the reference is the
    # same warehouse given the good files alone, in the same order
    poisoned = data.draw(st.integers(0, len(files) - 1))
    with pytest.MonkeyPatch.context() as monkeypatch, tempfile.TemporaryDirectory() as tmp:
        poison(monkeypatch, where)  # undone after each example
        home = copy_home(loaded, Path(tmp) / "hjem")
        names = deliver(home, files, poisoned)
        runs = isolation.run(
            home, INBOX_ONLY_CONFIG, lambda config, tags: execute(home, config, tags=tags)
        )
        reference = copy_home(loaded, Path(tmp) / "reference")
        good = [f for i, f in enumerate(files) if i != poisoned]
        deliver(reference, good, None)
        run(reference, run_config=INBOX_ONLY_CONFIG)

        assert runs.verdict is not None and runs.verdict.stop is None
        assert list(runs.verdict.rejected) == [names[poisoned]]
        n = len(files)
        assert len(runs.results) - 1 <= log2(n) + 1  # extra runs, counted
        step = "Beregner forbrug" if where == "sql" else "Tjekker skemaet for"
        reason = query(
            home,
            "SELECT status, begrundelse FROM mart.leverancer WHERE filnavn = ?",
            [names[poisoned]],
        )
        assert reason[0][0] == "afvist" and f"Trinnet »{step}" in reason[0][1]
        fejl = (home.afvist / f"{names[poisoned]}.fejl.txt").read_text(encoding="utf-8")
        assert f"Trinnet »{step}" in fejl
        assert list(home.indbakke.iterdir()) == []
        ours = {t: v for t, v in mart_checksums(home).items() if t not in BY_DELIVERY}
        theirs = {t: v for t, v in mart_checksums(reference).items() if t not in BY_DELIVERY}
        assert ours == theirs


@pytest.mark.slow
def test_the_command_reports_the_rejected_file_and_publishes_the_rest(
    loaded, monkeypatch, tmp_path, capsys
):
    # three files, the middle one poisoned. Trial 1: A = fil0, fil1 (rejecting the single
    # B = fil2) fails; trial 2: A = fil0 with the waiting fil2, rejecting fil1, passes:
    # 2 extra runs (the bound ⌈log₂ 3⌉ + 1 = 3)
    poison(monkeypatch, "sql")
    home = copy_home(loaded, tmp_path / "hjem")
    deliver(home, [("5.38.50", 7, 1000), ("5.38.50", 8, 2000), ("5.38.38", 7, 3000)], 1)
    assert main(["run", "--home", str(home.root)]) == 0
    out = capsys.readouterr().out
    assert "1 fil var årsagen og er afvist (fundet med 2 ekstra kørsler)" in out
    assert "3 filer i denne kørsel: 2 accepteret, 1 afvist." in out
    assert "AFVIST: fil1.xlsx" in out
    rows = query(home, "SELECT filnavn, status FROM mart.leverancer WHERE filnavn LIKE 'fil%'")
    assert sorted(rows) == [
        ("fil0.xlsx", "accepteret"),
        ("fil1.xlsx", "afvist"),
        ("fil2.xlsx", "accepteret"),
    ]
    receipts = [p.read_text(encoding="utf-8") for p in home.kvitteringer.glob("*fil1.xlsx.txt")]
    assert len(receipts) == 1 and "Beregner forbrug" in receipts[0]
    assert (home.afvist / "fil1.xlsx").exists()


@pytest.mark.slow
def test_a_failure_without_new_files_stops_the_run_in_danish(loaded, monkeypatch, tmp_path, capsys):
    # every run fails whatever it reads: the search tries the warehouse as it was (one
    # file: the one trial rejecting it is that), which fails too
    original = sql_assets.sql_asset

    def broken(schema, table, sql, *rest):
        if (schema, table) == ("core", "forbrug"):
            sql = f"{sql.rstrip().rstrip(';')};\nSELECT error('altid');"
        return original(schema, table, sql, *rest)

    monkeypatch.setattr(sql_assets, "sql_asset", broken)
    home = copy_home(loaded, tmp_path / "hjem")
    before = home.warehouse.stat().st_mtime_ns
    deliver(home, [("5.38.50", 7, 1000)], None)
    assert main(["run", "--home", str(home.root)]) == 1
    err = capsys.readouterr().err
    assert "Kørslen kunne ikke gennemføres, heller ikke uden de nye filer" in err
    assert "Trinnet »Beregner forbrug« stoppede med en fejl." in err
    assert [p.name for p in home.indbakke.iterdir()] == ["fil0.xlsx"]
    assert home.warehouse.stat().st_mtime_ns == before
    assert list(home.afvist.iterdir()) == []


@pytest.mark.slow
def test_a_run_the_daemon_launched_gets_the_same_search(loaded, monkeypatch, tmp_path):
    # the inbox sensor's run fails on the poisoned fil1; the sensor `isolering` asks for
    # the job forebyg_isolering, which rejects fil1 and publishes fil0 (trial 1: fil0,
    # rejecting fil1, passes: 1 trial); the failed run itself raises no alert
    import dagster as dg

    from pipelines.graph import build_definitions

    poison(monkeypatch, "check")
    home = copy_home(loaded, tmp_path / "hjem")
    names = deliver(home, [("5.38.50", 7, 1000), ("5.38.38", 8, 2000)], 1)
    instance = dg.DagsterInstance.ephemeral()
    daemon = {"dagster/sensor_name": "indbakke_sensor"}
    failed = execute(home, INBOX_ONLY_CONFIG, instance=instance, tags=daemon)
    assert not failed.success
    defs = build_definitions(home)
    sensors = {s.name: s for s in defs.sensors}
    context = dg.build_run_status_sensor_context(
        sensor_name="isolering",
        dagster_event=failed.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=failed.dagster_run,
    ).for_run_failure()
    request = sensors["isolering"](context)
    assert isinstance(request, dg.RunRequest)
    assert request.run_key == f"isolering-{failed.run_id}"
    assert "Trinnet »Tjekker skemaet for" in str(request.run_config)
    assert isinstance(sensors["alarm_ved_fejl"](context), dg.SkipReason)

    search = defs.resolve_job_def("forebyg_isolering")
    assert search.execute_in_process(run_config=request.run_config, instance=instance).success
    rows = query(home, "SELECT filnavn, status FROM mart.leverancer WHERE filnavn LIKE 'fil%'")
    assert sorted(rows) == [(names[0], "accepteret"), (names[1], "afvist")]
    trials = instance.get_runs(filters=dg.RunsFilter(tags={isolation.TAG: isolation.TRIAL}))
    assert len(trials) == 1 and trials[0].is_success


@pytest.mark.slow
def test_a_kontoplan_with_an_unknown_omraade_is_rejected_alone(tmp_path, capsys):
    # the case that stopped every run: a kontoplan mapping 5.38.50 to an område that does
    # not exist passes intake and fails the blocking schema check of mart.benchmark (the
    # comparison needs Danmarks Statistik's tables, here the sample's). Two files:
    # trial 1 = the kontoplan (first in the inbox), rejecting ny.xlsx, fails; trial 2 =
    # ny.xlsx, rejecting the kontoplan, passes: 2 extra runs (⌈log₂ 2⌉ + 1)
    home = Home(tmp_path / "hjem").create()
    paths = fixtures.inbox(home.indbakke)
    for path in fixtures.SAMPLE_DST_API:
        paths.append(Path(shutil.copy2(path, home.indbakke / path.name)))
    settle(paths)
    run(home)
    plan = builders.workbook(
        home.indbakke / "kontoplan.xlsx",
        ["Funktion", "Område", "Regime"],
        [["5.38.50", "ukendt område", "service"]],
    )
    new = builders.spending(home.indbakke / "ny.xlsx", builders.monthly("5.38.38", 2025, 1000, [7]))
    os.utime(new, (plan.stat().st_mtime + 1, plan.stat().st_mtime + 1))
    assert main(["run", "--home", str(home.root)]) == 0
    out = capsys.readouterr().out
    assert "1 fil var årsagen og er afvist (fundet med 2 ekstra kørsler)" in out
    fejl = (home.afvist / "kontoplan.xlsx.fejl.txt").read_text(encoding="utf-8")
    assert "Trinnet »Tjekker skemaet for sammenligningen« fejlede: mart.benchmark:" in fejl
    assert "'ukendt område'" in fejl
    assert query(home, "SELECT status FROM mart.leverancer WHERE filnavn = 'ny.xlsx'") == [
        ("accepteret",)
    ]
    # 1.000 kr. on bostøtte in July 2025, the only spending of that month
    assert query(home, "SELECT sum(beloeb) FROM core.forbrug WHERE aar = 2025 AND maaned = 7") == [
        (1000,)
    ]
