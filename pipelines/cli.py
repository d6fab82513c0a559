"""forebyg: the command line. Every command that changes the warehouse runs the Dagster job."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path

from pipelines import terminal

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
DEMO_MARKER = ".demo"


def _home(args: argparse.Namespace):
    from pipelines.resources import DEFAULT_HOME, Home

    return Home(Path(args.home or os.environ.get("FOREBYG_HOME", DEFAULT_HOME)))


def execute(home, run_config: dict | None = None, selection: list | None = None, instance=None):
    """Run the job of the Dagster definitions for ``home``, in this process.

    The commands record their runs in the home's Dagster instance (``<home>/.dagster``),
    where the UI reads them; without ``instance`` the run is recorded nowhere.
    Dagster's own console log is silenced (finance staff read the summary instead); set
    FOREBYG_LOG=DEBUG to see every step.
    """
    import dagster as dg

    from pipelines.definitions import build_definitions

    level = os.environ.get("FOREBYG_LOG", "CRITICAL")
    loggers: dict = {"console": {"config": {"log_level": level}}}
    defs = build_definitions(str(home.root))
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
    result = job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(),
        run_config=run_config,
        asset_selection=selection,
        raise_on_error=False,
    )
    terminal.stop_progress()  # the progress line gives way to the summary
    return result


def _failure_text(result) -> str:
    lines = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            lines.append(
                f"Trin {event.step_key} fejlede: {event.event_specific_data.error.message}"
            )
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            lines.append(
                f"Tjek {evaluation.check_name} på {evaluation.asset_key.to_user_string()} "
                f"fejlede: {evaluation.description}"
            )
    return "\n".join(lines) or "Kørslen fejlede."


def _recorded(home, run_config: dict | None = None, selection: list | None = None):
    """A command's run, recorded in the data home's Dagster instance."""
    from pipelines.instance import instance

    with instance(home.root) as recorder:
        return execute(home, run_config, selection, instance=recorder)


def _print_run(home, result) -> int:
    from assets.reports.summary import files_lines, summary_lines
    from pipelines.resources import read_published

    if not result.success:
        published = any(
            e.event_type_value == "STEP_SUCCESS" and e.step_key == "publicering"
            for e in result.all_events
        )
        print(
            "Lageret er opdateret, men rapporterne kunne ikke skrives."
            if published
            else "Kørslen kunne ikke gennemføres; lageret er uændret.",
            file=sys.stderr,
        )
        print(_failure_text(result), file=sys.stderr)
        return 1
    if not home.warehouse.exists():
        print("Ingen filer i indbakken og intet lager endnu.")
        return 0
    with read_published(home) as con:
        print("\n".join(files_lines(con, result.run_id, home.afvist, sys.stdout)))
        print()
        print("\n".join(summary_lines(con, sys.stdout)))
    print("\nRapporter:")
    for name in ("styregruppe.xlsx", "styregruppe.html"):
        print(f"  {home.rapporter / name}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.jobs import INBOX_ONLY_CONFIG

    home = _home(args).create()
    return _print_run(home, _recorded(home, INBOX_ONLY_CONFIG))


def cmd_demo(args: argparse.Namespace) -> int:
    home = _home(args)
    if home.root.exists() and any(home.root.iterdir()):
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
    for path in sorted(SAMPLE_DATA.glob("*.xlsx")):
        shutil.copy2(path, home.indbakke / path.name)
    terminal.say(f"Demo: opdigtede eksempeldata lagt i {home.indbakke}")
    return _print_run(home, _recorded(home))


def cmd_rebuild(args: argparse.Namespace) -> int:
    from pipelines.jobs import REBUILD_CONFIG

    home = _home(args).create()
    return _print_run(home, _recorded(home, REBUILD_CONFIG))


def cmd_report(args: argparse.Namespace) -> int:
    import dagster as dg

    home = _home(args)
    if not home.warehouse.exists():
        print(f"Intet lager i {home.root}; kør 'forebyg run' først.", file=sys.stderr)
        return 1
    result = _recorded(home, selection=[dg.AssetKey("rapporter")])
    if not result.success:
        print(_failure_text(result), file=sys.stderr)
        return 1
    print(f"Rapporter skrevet i {home.rapporter}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from assets.intake.extract import parse_file
    from assets.reports.danish import count

    rejected = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"{name}: filen findes ikke.")
            rejected += 1
            continue
        extract = parse_file(path)
        if extract.accepted:
            rows = count(extract.rows(), "række", "rækker")
            print(f"{name}: {terminal.paint('OK', sys.stdout)} – {extract.kind.label}, {rows}.")
        else:
            rejected += 1
            print(f"{name}: {terminal.paint('AFVIST', sys.stdout)} – {len(extract.problems)} fejl:")
            for problem in extract.problems:
                print(f"  - {problem.text()}")
    return 1 if rejected else 0


def cmd_template(args: argparse.Namespace) -> int:
    from assets.intake.templates import write_templates
    from pipelines.resources import read_published

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

    from assets.reports.status import status_lines
    from pipelines.resources import read_published

    home = _home(args)
    if not home.warehouse.exists():
        print(f"Intet lager i {home.root} endnu; kør 'forebyg run'.")
        return 0
    rejected = len(list(home.afvist.glob("*.fejl.txt"))) if home.afvist.exists() else 0
    with read_published(home) as con:
        print(
            "\n".join(terminal.fit(line) for line in status_lines(con, rejected, dt.date.today()))
        )
    return 0


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
            p.add_argument(
                "--home", help="datahjemmet (standard: $FOREBYG_HOME eller ./forebyg-data)"
            )
        p.set_defaults(func=func)
        return p

    add("run", cmd_run, "Indlæs nye filer fra indbakke/, byg lageret og rapporterne.")
    add("demo", cmd_demo, "Nyt demo-hjem med de opdigtede eksempeldata i indbakken, og kør.")
    add("rebuild", cmd_rebuild, "Genopbyg hele lageret alene ud fra arkiv/.")
    add("report", cmd_report, "Byg rapporterne igen ud fra lageret.")
    add("status", cmd_status, "Vis hvad lageret indeholder, og hvad der mangler.")
    check = add("check", cmd_check, "Kontrollér filer uden at indlæse dem.", home=False)
    check.add_argument("files", nargs="+", metavar="FIL")
    template = add(
        "template",
        cmd_template,
        "Skriv tomme skabeloner for alle udtrækstyper; rullelisterne tager lagerets "
        "budgetaftaler, indikatorer og funktioner med.",
    )
    template.add_argument("folder", metavar="MAPPE")
    args = parser.parse_args(argv)
    if args.command in ("run", "demo", "rebuild", "report"):
        terminal.start_progress()  # before the slow imports: on screen within a second
    try:
        return args.func(args)
    finally:
        terminal.stop_progress()


if __name__ == "__main__":
    sys.exit(main())
