"""A progress bar for the command line: one line on stderr, redrawn at each step."""

from __future__ import annotations

import logging
import re
import sys

import dagster as dg

STEP = re.compile(r'Started execution of step "([^"]+)"')


class _Bar(logging.Handler):
    def __init__(self, steps: int):
        super().__init__()
        self.steps, self.done = max(steps, 1), 0

    def emit(self, record: logging.LogRecord) -> None:
        m = STEP.search(record.getMessage())
        if not m:
            return
        self.done += 1
        filled = int(30 * min(self.done / self.steps, 1))
        name = m[1].replace("__", "/")
        sys.stderr.write(
            f"\r[{'█' * filled}{'·' * (30 - filled)}] {self.done}/{self.steps} {name[:40]:<40}"
        )
        sys.stderr.flush()


@dg.logger(
    {"trin": dg.Field(int, description="Antal trin i kørslen")},
    description="Fremdrift på kommandolinjen: en linje, der tegnes om for hvert trin.",
)
def fremdrift(init_context: dg.InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("forebyg.fremdrift")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.handlers = [_Bar(init_context.logger_config["trin"])]
    return log
