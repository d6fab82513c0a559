"""forebyg: the command line. Every command that changes the warehouse runs the Dagster job."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import errno
import gc
import logging
import logging.handlers
import os
import re
import shutil
import sys
import time
import traceback
from pathlib import Path

from runtime import settings, terminal

SAMPLE_DATA = settings.shipped("sample_data")
DEMO_MARKER = ".demo"
LOG_FILE = "forebyg.log"  # technical detail for operations, in the data home
LOG_BYTES, LOG_BACKUPS = 5_000_000, 5  # rotated: forebyg.log.1 … .5 at most
LOG = logging.getLogger("forebyg")


def _home(args: argparse.Namespace):
    """The data home a command acts on: ``--home`` (else FOREBYG_HOME) without a
    municipality list; with one (FOREBYG_KOMMUNER), only ``--kommune``, so a command never
    falls back on the shared instance folder of FOREBYG_HOME."""
    from runtime import kommuner
    from runtime.resources import Home, Stop

    listed = kommuner.load()
    kode = getattr(args, "kommune", None)
    if listed is None:
        if kode:
            raise Stop(f"--kommune kræver en kommuneliste; sæt {kommuner.ENV}.")
        return Home.resolve(args.home)
    if not kode:
        codes = ", ".join(f"{k.kode} ({k.navn})" for k in listed.values())
        raise Stop(
            f"Der er en kommuneliste ({kommuner.ENV}), så kommandoen skal have --kommune KODE "
            f"i stedet for --home; kommunerne er {codes}."
        )
    return kommuner.KommuneHome(kommuner.home_for(listed, kode).root, kode)


def run_tags(home) -> dict[str, str]:
    """The tags of a command's run: the home's queue key, as sensor runs carry it, and the
    process, which run monitoring checks (pipelines/launcher.py)."""
    from pipelines.jobs import KOMMUNE_TAG, SINGLE_HOME
    from pipelines.launcher import HOST_TAG, PID_TAG, host

    return {
        KOMMUNE_TAG: getattr(home, "kode", "") or SINGLE_HOME,
        PID_TAG: str(os.getpid()),
        HOST_TAG: host(),
    }


class _Neutral(logging.Formatter):
    """Log entries with control characters escaped (``danish.neutral_lines``) and every line
    after an entry's first indented: a file name, cell or traceback quoted in an entry never
    colours a terminal reading the log or starts an entry of its own."""

    def format(self, record: logging.LogRecord) -> str:
        from assets.danish import neutral_lines

        return neutral_lines(super().format(record)).replace("\n", "\n  ")


def _log_to(home) -> Path:
    """Technical detail (tracebacks, with CPR-like numbers masked) goes to a log file in
    the data home, never to the terminal."""
    path = Path(home.root) / LOG_FILE
    files = [h for h in LOG.handlers if isinstance(h, logging.FileHandler)]
    for other in [h for h in files if h.baseFilename != str(path.absolute())]:
        LOG.removeHandler(other)  # one home per command: an earlier home's log may be gone
        other.close()
    if not any(h.baseFilename == str(path.absolute()) for h in files):
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(_Neutral("%(asctime)s %(levelname)s %(message)s"))
        LOG.addHandler(handler)
        LOG.setLevel(logging.INFO)
    return path


_frozen = False


@contextlib.contextmanager
def _long_lived():
    """The first run in a process imports Dagster, pandas, pandera and the asset graph:
    some 370,000 objects that live as long as the process. Python's cycle collector is
    paused while they are made and never scans them again (``gc.freeze``), so each full
    collection during a run walks the run's own objects only (docs/hastighed.md). They
    are handed back at exit, so the interpreter's last collection frees them as before
    (extension modules that count their objects at exit would report them leaked)."""
    global _frozen
    if _frozen:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        atexit.register(gc.unfreeze)
        _frozen = True
        if was_enabled:
            gc.enable()


def execute(
    home, run_config: dict | None = None, selection: list | None = None, instance=None, tags=None
):
    """Run the job of the Dagster definitions for ``home``, in this process.

    The commands record their runs in the home's Dagster instance (``<home>/.dagster``),
    where the UI reads them; without ``instance`` the run is recorded nowhere.
    Dagster's own console log is silenced (finance staff read the summary instead); set
    FOREBYG_LOG=DEBUG to see every step.
    """
    terminal.loading("Indlæser Dagster og tabellernes definitioner")
    with _long_lived():
        from pipelines import ephemeral
        from pipelines.graph import build_definitions
        from pipelines.recording import in_location

        _log_to(home)
        level = settings.LOG.get()
        loggers: dict = {"console": {"config": {"log_level": level}}}
        kode = getattr(home, "kode", None)
        if kode:
            from runtime import kommuner

            defs = build_definitions(kommuner=kommuner.load())
        else:
            defs = build_definitions(home)
    terminal.loading("Forbereder kørslen")
    job = defs.resolve_job_def("forebyg")
    progress = terminal.current() is not None and level == "CRITICAL"
    if progress:
        subset = job.get_subset(asset_selection=set(selection)) if selection else job
        loggers["fremdrift"] = {"config": {"trin": len(subset.nodes_in_topological_order)}}
    run_config = {**(run_config or {}), "loggers": loggers}
    if level == "CRITICAL":
        # A run with nothing new skips its steps, and Dagster warns (outside the run log)
        # that the skipped blocking checks gave no result: expected, so not shown.
        logging.getLogger("dagster._core.execution.plan.active").setLevel(logging.ERROR)
    with in_location(instance or ephemeral.instance(), job.name) as recorder:
        result = job.execute_in_process(
            instance=recorder,  # on the UI's timeline, as the sensor's runs are
            run_config=run_config,
            asset_selection=selection,
            raise_on_error=False,
            partition_key=kode or None,
            tags={**run_tags(home), **(tags or {})},
        )
    terminal.stop_progress()  # the progress line gives way to the summary
    return result


def _causes(error):
    while error is not None:
        yield error
        error = error.cause or error.context


ERRNO = re.compile(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]*)')?")
TEXTS = {
    errno.ENOSPC: "No space left on device",
    errno.EROFS: "Read-only file system",
    errno.EACCES: "Permission denied",
}


def _machine_fault(error, published: bool):
    """A Stop naming the machine's fault (full disk, no access) behind a step's error, as
    ``environment_fault`` names it where a command catches it itself; else None."""
    from runtime.resources import PUBLISHED, UNCHANGED, environment_fault

    for cause in _causes(error):
        if found := ERRNO.search(cause.message):
            exc = OSError(int(found[1]), found[2], found[3])
        else:  # DuckDB words the OS's error without its number
            code = next((c for c, text in TEXTS.items() if text in cause.message), None)
            exc = OSError(code, TEXTS.get(code, ""))
        if stop := environment_fault(exc, PUBLISHED if published else UNCHANGED):
            return stop
    return None


def _exact(kode: str | None, text: str) -> str:
    """The commands a message names, with ``--kommune KODE`` for a municipality's home."""
    from runtime.resources import exact_commands

    return exact_commands(text, f"--kommune {kode}") if kode else text


def _failure_text(home, result, published: bool = False) -> str:
    """Why a run stopped, in Danish: a ``Stop``'s own message, a fault of the machine, a
    failed check's description, or a plain sentence for an unforeseen error (its detail
    goes to the log)."""
    from assets.intake.reading.cpr import mask

    lines = []
    for event in result.all_events:
        if event.event_type_value != "STEP_FAILURE":
            continue
        error = event.event_specific_data.error
        if error.cls_name == "DagsterAssetCheckFailedError":
            continue  # a failed blocking check: its own description follows
        stop = next((e for e in _causes(error) if e.cls_name == "Stop"), None)
        if stop is not None:
            lines.append(stop.message.split(": ", 1)[-1].strip())
            continue
        LOG.error("Trin %s fejlede:\n%s", event.step_key, mask(error.to_string()))
        if (fault := _machine_fault(error, published)) is not None:
            lines.append(str(fault))
            continue
        lines.append(
            f"Trinnet {event.step_key} stoppede med en uventet fejl. Den tekniske forklaring "
            f"står i {Path(home.root) / LOG_FILE}. Kør igen; sker det igen, så kontakt driften."
        )
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed and evaluation.severity.value == "ERROR":
            lines.append(
                f"Tjek {evaluation.check_name} på {evaluation.asset_key.to_user_string()} "
                f"fejlede: {evaluation.description}"
            )
    return _exact(getattr(home, "kode", ""), "\n".join(dict.fromkeys(lines)) or "Kørslen fejlede.")


def _identity(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _recorded(home, run_config: dict | None = None, selection: list | None = None, tags=None):
    """A command's run, recorded in the data home's Dagster instance."""
    from pipelines.instance import instance
    from runtime.resources import Home

    # a municipality's runs go to the list's shared instance, where the daemon's queue is
    with instance(Home.resolve().root if getattr(home, "kode", "") else home.root) as recorder:
        return execute(home, run_config, selection, instance=recorder, tags=tags)


def _figures(home) -> dict[str, tuple] | None:
    """The headline figures of the published warehouse (None: none yet), to say after a
    run whether they moved."""
    from assets.reports.summary import headline_figures
    from runtime.resources import read_published

    if not home.warehouse.exists():
        return None
    with read_published(home) as con:
        return headline_figures(con)


def _print_run(home, result, before: tuple | None, figures: dict | None = None) -> int:
    if not result.success:
        published = _identity(home.warehouse) != before
        print(
            "Lageret er opdateret, men kørslen blev ikke helt færdig (filer, kvitteringer "
            "eller rapporter)."
            if published
            else "Kørslen kunne ikke gennemføres; lageret er uændret.",
            file=sys.stderr,
        )
        print(_failure_text(home, result, published), file=sys.stderr)
        return 1
    return _print_summary(home, result.run_id, result, figures)


def _print_summary(
    home, run_id: str | list[str] | None, result=None, figures: dict | None = None
) -> int:
    """The files of run ``run_id`` (or runs; None: a run with nothing new), whether the
    headline figures moved since ``figures``, the headline figures, and a warning if the
    ``result``'s reports could not be written."""
    from assets.files.inbox import scan
    from assets.files.receipts import SKIP_REASONS
    from assets.intake.parsing.names import shown
    from assets.reports.summary import files_lines, summary_lines
    from runtime.resources import read_published

    for item in scan(home.indbakke)[1]:
        print(terminal.fit(f"Ikke læst: {shown(item.name, 0)} – {SKIP_REASONS[item.reason]}"))
    if not home.warehouse.exists():
        print("Ingen filer i indbakken og intet lager endnu.")
        return 0
    with read_published(home) as con:
        print("\n".join(files_lines(con, run_id, home.afvist, sys.stdout, figures)))
        print()
        print("\n".join(summary_lines(con, sys.stdout)))
    print("\nRapporter:")
    for name in (
        "styregruppe.xlsx",
        "styregruppe.html",
        "styregruppe_bilag.xlsx",
        "styregruppe_bilag.html",
    ):
        print(f"  {home.rapporter / name}")
    if result is not None:  # a run with nothing new never imports Dagster
        from assets.files.archive import DAMAGED
        from assets.reports.assets import warnings_of

        for warning in warnings_of(result):
            print("\n".join(terminal.wrap(warning, "  ")).lstrip())
        left_out = [
            line
            for node in ("indbakke", "opfoelgningsarkiv")  # the archive's, then follow-ups'
            for m in result.asset_materializations_for_node(node)
            if DAMAGED in m.metadata
            for line in m.metadata[DAMAGED].value.splitlines()
        ]
        if left_out:
            print("\nUdeladt af arkivet (står også i forebyg.log):")
            for line in left_out:
                print("\n".join(terminal.wrap(f"- {line}", "  ")))
    return 0


def _nothing_new(home) -> int | None:
    """A run with no file in the inbox and a warehouse already published ends here, before
    Dagster is imported: the job would skip every step after intake anyway (docs/valg.md).
    Links and other things never read still get their receipts. None: run the job."""
    from assets.files.inbox import scan

    files, skipped = scan(home.indbakke)
    if files or not home.warehouse.exists():
        return None
    if skipped:
        from assets.files.receipts import note_skipped
        from assets.intake.parsing.names import shown

        for item in skipped:
            note_skipped(home.kvitteringer, shown(item.name, 0), item.reason)
    _log_to(home)
    terminal.stop_progress()
    return _print_summary(home, None)


def _run(home, **kwargs) -> int:
    """A run of the whole job (a rebuild, or a test's). A rebuild never reads the old
    warehouse, which may be damaged (that is why one rebuilds): its headline figures are
    compared with the new ones only if it opens."""
    from runtime.resources import Stop

    try:
        figures = _figures(home)
    except Stop:
        figures = None
    before = _identity(home.warehouse)
    return _print_run(home, _recorded(home, **kwargs), before, figures)


def _run_isolated(home, run_config: dict | None = None) -> int:
    """A run of the inbox; a step after intake that fails on new files finds and rejects
    the files responsible and publishes the rest (pipelines/isolation.py)."""
    from pipelines import isolation

    terminal.loading("Læser det gældende lager")
    before, figures = _identity(home.warehouse), _figures(home)
    runs = isolation.run(home, run_config, lambda c, t: _recorded(home, run_config=c, tags=t))
    if runs.verdict is None:
        return _print_run(home, runs.last, before, figures)
    if runs.verdict.stop:
        print(runs.verdict.stop, file=sys.stderr)
        return 1
    print(isolation.story(runs))
    return _print_summary(home, runs.published, runs.last, figures)


def cmd_run(args: argparse.Namespace) -> int:
    home = _home(args).create()
    done = _nothing_new(home)
    if done is not None:
        return done
    from pipelines.jobs import INBOX_ONLY_CONFIG

    return _run_isolated(home, INBOX_ONLY_CONFIG)


def deliver_in_name_order(paths: list[Path], inbox: Path) -> None:
    """Copy ``paths`` into ``inbox`` dated an hour ago, one second apart in name order. The
    inbox is read oldest first, and the source's file times (a checkout's, or a file just
    regenerated) say nothing about the order the sample data are meant to arrive in."""
    an_hour_ago = time.time() - 3600
    for i, path in enumerate(sorted(paths, key=lambda p: p.name)):
        copy = shutil.copy(path, inbox / path.name)
        os.utime(copy, (an_hour_ago + i, an_hour_ago + i))


def cmd_demo(args: argparse.Namespace) -> int:
    home = _home(args)
    if home.root.is_dir() and any(home.root.iterdir()):  # a file: create() names it
        if not (home.root / DEMO_MARKER).exists():
            print(
                f"{home.root} findes allerede og er ikke et demo-hjem; vælg en anden --home.",
                file=sys.stderr,
            )
            return 2
        shutil.rmtree(home.root)
    home.create()
    (home.root / DEMO_MARKER).write_text(
        "Demo-data (opdigtede tal); må slettes.\n", encoding="utf-8"
    )
    deliver_in_name_order([*SAMPLE_DATA.glob("*.xlsx"), *SAMPLE_DATA.glob("*.csv")], home.indbakke)
    terminal.say(f"Demo: opdigtede eksempeldata lagt i {home.indbakke}")
    return _run_isolated(home)


def cmd_rebuild(args: argparse.Namespace) -> int:
    from pipelines.jobs import REBUILD_CONFIG
    from pipelines.recording import KIND_TAG, KINDS

    tags = {KIND_TAG: KINDS["rebuild"]}
    return _run(_home(args).create(), run_config=REBUILD_CONFIG, tags=tags)


def _error(text: str) -> None:
    """A message on stderr on its own line: the progress line gives way first."""
    terminal.stop_progress()
    print(text, file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    import dagster as dg

    home = _home(args)
    if not home.warehouse.exists():
        _error(f"Intet lager i {home.root}; kør 'forebyg run' først.")
        return 1
    from assets.danish import neutral

    wanted = {c: getattr(args, c, None) for c in ("udvalg", "ansvarlig") if getattr(args, c, None)}
    if len(wanted) > 1:
        _error("Vælg enten --udvalg eller --ansvarlig, ikke begge.")
        return 1
    config = {}
    for column, name in wanted.items():
        from assets.reports.scope import known, resolve
        from runtime.resources import read_published

        with read_published(home) as con:
            scope, names = resolve(con, column, name), known(con, column)
        if scope is None:
            listed = ", ".join(names) if names else "ingen (kataloget har ingen kolonne med dem)"
            noun = "udvalg" if column == "udvalg" else "indsatsleder (ansvarlig)"
            _error(f"Kataloget har intet {noun} '{neutral(name)}'. Det kender: {neutral(listed)}.")
            return 1
        config = {"ops": {"rapporter": {"config": {column: scope.name}}}}
    from pipelines.recording import KIND_TAG, KINDS

    tags = {KIND_TAG: KINDS[args.command]}  # a report, or a follow-up's
    result = _recorded(home, run_config=config, selection=[dg.AssetKey("rapporter")], tags=tags)
    if not result.success:
        print(_failure_text(home, result), file=sys.stderr)
        return 1
    from assets.reports.assets import warnings_of

    if warnings := warnings_of(result):
        print("\n".join(warnings), file=sys.stderr)
        return 1
    if config:
        stem = scope.file_stem
        print(f"Rapport for {scope.name} skrevet: {home.rapporter / stem}.xlsx og .html")
    else:
        print(f"Rapporter skrevet i {home.rapporter}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate files without loading them; accepted ones are compared with the home's
    warehouse: the months they would replace, before and after, and warnings."""

    from assets.danish import count
    from assets.files.inbox import sha256
    from assets.intake.loading.deliver import CPR_NAME, UNFORESEEN
    from assets.intake.loading.duplicates import in_force
    from assets.intake.parsing import names
    from assets.intake.parsing.extract import Extract, parse_file
    from assets.intake.problems import Problem, grouped
    from assets.plausibility.assess import assess
    from runtime.resources import read_published

    home = _home(args)
    rejected = 0
    with contextlib.ExitStack() as stack:
        con = stack.enter_context(read_published(home)) if home.warehouse.exists() else None
        for nr, given in enumerate(args.files, 1):
            path, name = Path(given), names.shown(given, nr)  # shown as intake would show it
            if not path.is_file():
                print(f"{name}: filen findes ikke.")
                rejected += 1
                continue
            if names.cpr_like(given):
                extract = Extract(name, problems=[Problem(name, sentence=CPR_NAME)])
            else:
                try:
                    same = in_force(con, sha256(path)) if con is not None else None
                except OSError:  # a link or unreadable: parse_file gives the Danish reason
                    same = None
                if same is not None:  # the run would call it a duplicate too
                    same = f"samme indhold som {same}, der gælder nu; ændrer intet."
                    print(terminal.fit(f"{name}: DUBLET – {same}"))
                    continue
                try:
                    extract = parse_file(path, names.shown(path.name, nr))
                except BaseException as exc:  # python-calamine's panics are BaseExceptions
                    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                        raise
                    LOG.error("check %s:\n%s", name, "".join(traceback.format_exception(exc)))
                    problem = Problem(name, sentence=UNFORESEEN)
                    extract = Extract(name, problems=[problem])
            if extract.accepted:
                rows = count(extract.rows(), "række", "rækker")
                print(f"{name}: {terminal.paint('OK', sys.stdout)} – {extract.kind.label}, {rows}.")
                for table, frame in extract.tables.items():
                    lines, warnings = assess(con, extract.file, table, frame)
                    for line in lines:
                        print("\n".join(terminal.wrap(line, "  ")))
                    for warning in warnings:  # a warning never changes the exit code
                        first, *rest = terminal.wrap(warning, "  ")
                        print("\n".join([first.lstrip(), *rest]))
            else:
                rejected += 1
                verdict = terminal.paint("AFVIST", sys.stdout)
                print(f"{name}: {verdict} – {len(extract.problems)} fejl:")  # the name as given
                for line in grouped(extract.problems):  # like the run: one line per kind
                    print("\n".join(terminal.wrap(line, "    ")).replace("    ", "  - ", 1))
    return 1 if rejected else 0


def cmd_opfoelgning(args: argparse.Namespace) -> int:
    from pipelines import followups

    home = _home(args)
    if args.handling == "liste":
        print("\n".join(followups.list_lines(home)))
        return 0
    act = followups.close if args.handling == "luk" else followups.reopen
    print(act(home, followups.parse_day(args.dato)))
    return cmd_report(args)  # the reports show the change since the latest follow-up


def cmd_template(args: argparse.Namespace) -> int:
    from assets.intake.templates import write_templates
    from runtime.resources import read_published

    home = _home(args)
    if home.warehouse.exists():  # the drop-downs list what the warehouse already holds
        with read_published(home) as con:
            paths = write_templates(Path(args.folder), con)
    else:
        paths = write_templates(Path(args.folder))
    for path in paths:
        print(path)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    import datetime as dt

    import duckdb

    from assets.reports.status import status_lines
    from runtime.resources import corrupt_warehouse, read_published

    home = _home(args)
    if not home.warehouse.exists():
        print(f"Intet lager i {home.root} endnu; kør 'forebyg run'.")
        return 0
    rejected = len(list(home.afvist.glob("*.fejl.txt"))) if home.afvist.exists() else 0
    with read_published(home) as con:
        try:
            lines = status_lines(con, rejected, dt.date.today())
        except duckdb.Error as exc:  # opens, but its tables cannot be read
            raise corrupt_warehouse(home.warehouse) from exc
    print("\n".join(terminal.fit(line) for line in lines))
    return 0


def home_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--home", help="datahjemmet (standard: $FOREBYG_HOME eller ./forebyg-data)")
    where.add_argument("--kommune", metavar="KODE", help="kommunens datahjem ifølge kommunelisten")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="forebyg",
        description="Opfølgning på forebyggelsesstrategien: indlæs udtræk, byg lageret og "
        "rapporterne til styregruppen.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_text: str, home: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if home:
            home_options(p)
        p.set_defaults(func=func)
        return p

    add("run", cmd_run, "Indlæs nye filer fra indbakke/, byg lageret og rapporterne.")
    add("demo", cmd_demo, "Nyt demo-hjem med de opdigtede eksempeldata i indbakken, og kør.")
    add("rebuild", cmd_rebuild, "Genopbyg hele lageret alene ud fra arkiv/.")
    report = add(
        "report",
        cmd_report,
        "Byg rapporterne igen ud fra lageret; med --udvalg eller --ansvarlig en rapport for "
        "ét politisk udvalg eller én indsatsleder (deres indsatser og områder).",
    )
    report.add_argument("--udvalg", metavar="NAVN", help="kun dette udvalgs indsatser")
    report.add_argument("--ansvarlig", metavar="NAVN", help="kun denne indsatsleders indsatser")
    add("status", cmd_status, "Vis hvad lageret indeholder, og hvad der mangler.")
    check = add(
        "check",
        cmd_check,
        "Kontrollér filer uden at indlæse dem, og vis hvad de ville erstatte i lageret.",
    )
    check.add_argument("files", nargs="+", metavar="FIL")
    template = add(
        "template",
        cmd_template,
        "Skriv tomme skabeloner for alle udtrækstyper; rullelisterne tager lagerets "
        "budgetaftaler, indikatorer og funktioner med.",
    )
    template.add_argument("folder", metavar="MAPPE")
    follow_up = sub.add_parser(
        "opfoelgning",
        help="Luk en opfølgning (fastfrys tallene), fortryd den seneste, eller vis de lukkede.",
        description="Luk en opfølgning (fastfrys tallene), fortryd den seneste, eller vis "
        "de lukkede.",
    )
    actions = follow_up.add_subparsers(dest="handling", required=True)
    for action, text in (
        (
            "luk",
            "Fastfrys de gældende tal som opfølgningen pr. DATO (DD-MM-ÅÅÅÅ): en "
            "månedsafslutning inden for de leverede forbrugsdata.",
        ),
        ("fortryd", "Åbn den seneste lukkede opfølgning (DATO) igen; filen gemmes i arkivet."),
        ("liste", "Vis de lukkede opfølgninger."),
    ):
        p = actions.add_parser(action, help=text, description=text)
        if action != "liste":
            p.add_argument("dato", metavar="DATO")
        home_options(p)
        p.set_defaults(func=cmd_opfoelgning)
    args = parser.parse_args(argv)
    if args.command in ("run", "demo", "rebuild", "report"):
        terminal.start_progress()  # before the slow imports: on screen within a second
    from runtime.resources import UMASK, environment_fault

    os.umask(UMASK)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:  # `forebyg run | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a command stopped by a closed pipe
    except Exception as exc:
        terminal.stop_progress()
        stop = environment_fault(exc)  # a Stop, a full disk, a read-only home: its cause
        if stop is not None:
            print(_exact(getattr(args, "kommune", None), str(stop)), file=sys.stderr)
            return 1
        try:
            log = _log_to(_home(args)) if getattr(args, "home", "-") != "-" else None
        except Exception:  # the home cannot even hold its log
            log = None
        LOG.error("forebyg %s:\n%s", args.command, "".join(traceback.format_exception(exc)))
        print(
            f"forebyg {args.command} stoppede med en uventet fejl ({type(exc).__name__})."
            + (f" Den tekniske forklaring står i {log}." if log else "")
            + " Kontakt driften, hvis det sker igen.",
            file=sys.stderr,
        )
        return 1
    finally:
        terminal.stop_progress()


if __name__ == "__main__":
    sys.exit(main())
