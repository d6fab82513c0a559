"""One file, one verdict, through to the last step.

Intake judges each file alone, but a file can pass intake and still make a later step
fail (a core or mart SQL step, a blocking check). When a run with new files fails that
way, the files responsible are found by running the real job again on parts of the batch
(the intake's ``filer``: the other files stay in the inbox untouched) and rejected with
the failing step's Danish message (the intake's ``afvis``); every other file is published.

The search (docs/valg.md, "Isolation til sidste trin"), for n new files, W the published
warehouse (it grows with every trial that passes):

* Round one bisects the suspects S (at first the whole batch; W + S fails). A trial runs
  W with the first half A of S: if it passes, A is published and S becomes the second
  half B; if it fails, S becomes A and B waits with the later files P. When B is a single
  file, the trial also takes P and rejects B (A passing means B is what breaks). A last
  single suspect is rejected in the trial that publishes P. With one poisoned file: at
  most ⌈log₂ n⌉ + 1 runs after the failed one. Files are published in inbox order, so the
  replacement rule (newest file wins) sees them as it would without the poisoned file.
* If that last trial fails, P holds another poisoned file (or W itself fails). W alone is
  run once, unless a trial passed already; if it fails, that is a fault of the machine or
  the program and the search stops. Otherwise the rest is settled by halving that only
  ever adds files to a warehouse that passed.

A failure that is a ``Stop`` (disk full, no access, a damaged warehouse) is no file's
fault and is never searched: the caller stops as before.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from pipelines.faults import machine_fault

TAG = "forebyg/isolering"
JOB = "forebyg_isolering"  # the daemon's search (pipelines/isolation_runs.py)
NO_FILE_TO_BLAME = {"opfoelgningsarkiv", "publicering", "rapporter"}  # no file's data fails them
TRIAL = "forsøg"  # a run whose failure the search answers: alerted only if it is a Stop
BASELINE = "grundlag"  # no new file read: its failure is the machine's or the program's
STOP_TEXT = (
    "Kørslen kunne ikke gennemføres, heller ikke uden de nye filer: lageret, som det var, "
    "består ikke kørslens trin. Det er en fejl i maskinen eller programmet, ikke i "
    "filerne; de venter i indbakken. Kontakt driften."
)


def rejection(failure: str) -> str:
    """The rejected file's Danish reason (``Problem`` puts "Fil '<navn>': " before it)."""
    failure = failure.strip()
    failure += "" if failure.endswith(".") else "."
    return (
        "filen kunne indlæses, men et senere trin i kørslen fejlede, når filen kom med, og "
        f"kørslen går igennem uden den. {failure} De andre filer er indlæst. Ret filen, og "
        "aflever den igen."
    )


@dataclass(frozen=True)
class Trial:
    take: list[str]  # inbox files read in this run (the rest stay in the inbox)
    reject: dict[str, str]  # inbox files rejected unread, with their reasons

    @property
    def tag(self) -> str:
        return TRIAL if self.take else BASELINE


@dataclass
class Verdict:
    rejected: dict[str, str] = field(default_factory=dict)  # published rejections
    stop: str | None = None  # Danish: the warehouse as it was failed
    passed: bool = False  # some trial passed


Search = Generator[Trial, tuple[bool, str], Verdict]


def search(batch: list[str], failure: str) -> Search:
    """Yields the trials to run; is sent ``(passed, failing step's text)`` for each;
    returns the verdict. Pure: the caller runs the job (``run``; tests with a fake)."""
    verdict = Verdict()
    blamed: dict[str, str] = {}  # rejections not yet published

    def trial(take: list[str], reject: dict[str, str]):
        reject = dict(reject)
        passed, text = yield Trial(list(take), reject)
        if passed:
            verdict.passed = True
            verdict.rejected.update(reject)
            for name in reject:
                blamed.pop(name, None)
        return passed, text

    def settle(files: list[str], known: str | None):
        """Add ``files`` to a warehouse that passed; ``known``: W + files fails, so
        said. True when they all went in."""
        if known is None:
            passed, known = yield from trial(files, blamed)
            if passed:
                return True
        if len(files) == 1:
            blamed[files[0]] = rejection(known)
            return False
        half = (len(files) + 1) // 2
        clean = yield from settle(files[:half], None)
        yield from settle(files[half:], known if clean else None)
        return False

    suspects, pending = list(batch), []  # W + suspects fails; pending: later files
    while len(suspects) > 1:
        half = (len(suspects) + 1) // 2
        a, b = suspects[:half], suspects[half:]
        if len(b) == 1:  # A passing means B breaks: reject it, publish A and the rest
            passed, text = yield from trial([*a, *pending], {b[0]: rejection(failure)})
            if passed:
                return verdict
        else:  # only a first part is ever published: files keep their inbox order
            passed, text = yield from trial(a, {})
        if passed:
            suspects = b
        else:
            suspects, pending, failure = a, [*b, *pending], text
    passed, text = yield from trial(pending, {suspects[0]: rejection(failure)})
    if passed:
        return verdict
    if pending and not verdict.passed:  # is the warehouse as it was sound?
        passed, alone = yield from trial([], {})
        if not passed:
            text, pending = alone, []
    if not pending:
        verdict.stop = f"{STOP_TEXT}\n{text}"
        return verdict
    # W + pending fails: another poisoned file. The last suspect is tried afresh first
    # (it comes first in the inbox), then the pending files.
    yield from settle(suspects, None)
    yield from settle(pending, text)
    if blamed:
        passed, text = yield from trial([], blamed)
        if not passed:
            verdict.stop = f"{STOP_TEXT}\n{text}"
    return verdict


def config_for(base: dict | None, trial: Trial) -> dict:
    """The run config of a trial: the caller's, with the intake told which files to take."""
    config = copy.deepcopy(base or {})
    intake = config.setdefault("ops", {}).setdefault("indbakke", {}).setdefault("config", {})
    intake.update(filer=trial.take, afvis=trial.reject, genberegn_uden_nye_filer=True)
    return config


def _causes(error):
    while error is not None:
        yield error
        error = error.cause or error.context


def _stop_of(events):
    """The first ``Stop`` among failed steps' causes, or None."""
    for event in events:
        if event.event_type_value == "STEP_FAILURE":
            for cause in _causes(event.event_specific_data.error):
                if cause.cls_name == "Stop":
                    return cause
    return None


def stopped(result) -> bool:
    """Whether a failed run stopped on a ``Stop``: a fault of the machine, no file's."""
    return _stop_of(result.all_events) is not None


def searchable(events) -> bool:
    """A failure a file can be to blame for: a step failed (a run failed without one was
    killed, lost its database or timed out), no ``Stop`` and no fault of the machine (a
    full disk) among the causes, and before publishing (once the warehouse is swapped in,
    a failure is the machine's, and nothing can be taken back)."""
    steps = [e for e in events if e.event_type_value == "STEP_FAILURE"]
    failed = {e.step_key for e in steps}
    text = "\n".join(
        f"{c.cls_name}: {c.message}" for e in steps for c in _causes(e.event_specific_data.error)
    )
    return (
        bool(failed)
        and _stop_of(events) is None
        and not machine_fault(text)
        and not failed & NO_FILE_TO_BLAME
    )


def stop_text(result) -> str:
    """A stopped run's Danish message."""
    stop = _stop_of(result.all_events)
    return stop.message.split(": ", 1)[-1].strip() if stop else failure_text(result.all_events)


def failure_text(events) -> str:
    """What failed, in Danish, from a run's events: each failed blocking check (the step's
    name from the progress line, and the check's description), else each failed step."""
    from pipelines.progress import step_name

    lines = []
    for event in events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.event_specific_data
        if not evaluation.passed and evaluation.severity.value == "ERROR":
            key = "__".join(evaluation.asset_key.path) + f"_{evaluation.check_name}"
            lines.append(f"Trinnet »{step_name(key)}« fejlede: {evaluation.description}")
    if not lines:
        lines = [
            f"Trinnet »{step_name(event.step_key)}« stoppede med en fejl."
            for event in events
            if event.event_type_value == "STEP_FAILURE"
        ]
    return " ".join(dict.fromkeys(lines)) or "Kørslen fejlede."


def launched_by_daemon(run) -> bool:
    """A run of the inbox sensor or the nightly schedule (not one of a search)."""
    return TAG not in run.tags and (
        run.tags.get("dagster/sensor_name") == "indbakke_sensor"
        or run.tags.get("dagster/schedule_name") == "natlig_koersel"
    )


def handles(run, failures, home) -> bool:
    """Whether the daemon's search (pipelines/isolation_runs.py) answers this failed run:
    a run of the inbox sensor or the nightly schedule, failed where a file can be to
    blame, with files in the inbox. ``alarm_ved_fejl`` then leaves it to the search."""
    from assets.files.inbox import candidates

    return (
        run.job_name == "forebyg"
        and launched_by_daemon(run)
        and searchable(failures)
        and bool(candidates(home.indbakke))
    )


@dataclass
class Isolated:
    """Every run of one command, the first being the ordinary one."""

    results: list
    verdict: Verdict | None = None  # None: no search (it passed, or stopped on a Stop)

    @property
    def last(self):
        return self.results[-1]

    @property
    def published(self) -> list[str]:
        return [r.run_id for r in self.results if r.success]


def run(home, config: dict | None, execute: Callable[[dict | None, dict], object]) -> Isolated:
    """The ordinary run; if it fails after intake on new files, the search. ``execute``
    runs the real job with a run config and run tags and returns its result."""
    from assets.files.inbox import candidates

    batch = [f.name for f in candidates(home.indbakke)]
    first = execute(config, {TAG: TRIAL if batch else BASELINE})
    if first.success or not searchable(first.all_events) or not batch:
        return Isolated([first])
    return resume(home, config, failure_text(first.all_events), execute, [first])


def resume(home, config: dict | None, failure: str, execute, results: list) -> Isolated:
    """The search after a run with the inbox's files failed with ``failure``."""
    from assets.files.inbox import candidates
    from runtime import terminal

    terminal.say("Et trin efter indlæsningen fejlede; forebyg finder de filer, der er årsagen.")
    steps = search([f.name for f in candidates(home.indbakke)], failure)
    trial = next(steps)
    while True:
        result = execute(config_for(config, trial), {TAG: trial.tag})
        results.append(result)
        if not result.success and stopped(result):
            return Isolated(results)
        outcome = "" if result.success else failure_text(result.all_events)
        try:
            trial = steps.send((result.success, outcome))
        except StopIteration as end:
            return Isolated(results, end.value)


def story(runs: Isolated, first: int = 1) -> str:
    """One Danish line for the summary: what the search did, and what it cost (the runs
    after the ``first`` ordinary one, which the daemon's search does not hold)."""
    from assets.danish import count

    rejected = len(runs.verdict.rejected)
    extra = count(len(runs.results) - first, "ekstra kørsel", "ekstra kørsler")
    return (
        f"Et trin efter indlæsningen fejlede med de nye filer. {count(rejected, 'fil', 'filer')} "
        f"var årsagen og er afvist (fundet med {extra}); de andre filer er indlæst."
    )
