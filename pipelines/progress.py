"""Progress on the command line: each step Dagster starts, in Danish, on the progress line."""

from __future__ import annotations

import logging
import re
from functools import cache

import dagster as dg

from runtime import settings, terminal

STEP = re.compile(r'Started execution of step "([^"]+)"')

# the checks written in Python; a SQL check names its step in its file (``-- Trin:``)
CHECKS = {
    "skema": "Tjekker skemaet for {}",
    "aktualitet": "Tjekker aktualiteten af {}",
    "afviste": "Tæller afviste filer i {}",
}
ASSETS = {
    "indbakke": "Læser filerne i indbakken",
    "opfoelgningsarkiv": "Henter de lukkede opfølgninger",
    "plausibilitet": "Sammenligner de nye filer med lageret",
    "publicering": "Publicerer lageret",
    "rapporter": "Skriver rapporterne",
}
STAGES = {"makro": "Forbereder", "core": "Beregner", "mart": "Opgør"}


@cache
def table_names() -> dict[str, str]:
    """table (or macro file) → its Danish name, from each SQL file's ``-- Navn:`` line and
    the kinds' labels (schemas/kinds/), so a new table or kind is named where it is made."""
    from assets.core.kinds import generated
    from assets.sql_assets import sql_folders, titles

    return titles(sql_folders(settings.ASSETS), generated())


@cache
def check_steps() -> dict[str, str]:
    """check → its step verb: the Python checks' and each SQL check file's ``-- Trin:``."""
    from assets.marts.sql_checks import read_checks

    return CHECKS | {c.name: c.step for c in read_checks()}


def step_name(key: str) -> str:
    """Dagster's step key in Danish: 'mart__spor_status_skema' → 'Tjekker skemaet for
    status pr. spor'. A table these names do not know (a new kind's) reads as its name."""
    stage, _, rest = key.rpartition("__")
    for check, verb in check_steps().items():
        table = rest.removesuffix(f"_{check}")
        if table != rest:
            return verb.format(table_names().get(table, table.replace("_", " ")))
    if stage in STAGES:
        return f"{STAGES[stage]} {table_names().get(rest, rest.replace('_', ' '))}"
    return ASSETS.get(key, key)


class _Steps(logging.Handler):
    def __init__(self, steps: int):
        super().__init__()
        self.steps = max(steps, 1)

    def emit(self, record: logging.LogRecord) -> None:
        m = STEP.search(record.getMessage())
        bar = terminal.current()
        if m and bar is not None:
            bar.step(step_name(m[1]), self.steps)


@dg.logger(
    {"trin": dg.Field(int, description="Antal trin i kørslen")},
    description="Fremdrift på kommandolinjen: en linje, der tegnes om for hvert trin.",
)
def fremdrift(init_context: dg.InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("forebyg.fremdrift")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.handlers = [_Steps(init_context.logger_config["trin"])]
    return log
