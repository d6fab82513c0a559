"""What the command line draws: width, colours and the progress line.

Nothing here imports Dagster, so the progress line is on screen within the first second,
before the slow imports start.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
import threading
import time
from typing import TextIO

from runtime import settings

MAX_WIDTH = 80
MIN_WIDTH = 40  # a narrower (or nonsensical) $COLUMNS is drawn at this width
COLOURS = {"grøn": "32", "gul": "33", "rød": "31", "AFVIST": "31", "OK": "32"}


def width() -> int:
    """The terminal's width ($COLUMNS when set), between 40 and 80: COLUMNS=1, 0, -3 or
    'bred' never breaks the summary or the progress line."""
    try:
        columns = shutil.get_terminal_size((MAX_WIDTH, 24)).columns
    except (OSError, ValueError):
        columns = MAX_WIDTH
    return max(MIN_WIDTH, min(columns, MAX_WIDTH))


def wrap(text: str, indent: str = "", max_lines: int | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=width(),
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
        max_lines=max_lines,
        placeholder=" …",
    ) or [indent]


def fit(line: str) -> str:
    """A line as is when it fits; else wrapped, the continuation indented under it."""
    if len(line) <= width():
        return line
    indent = " " * (len(line) - len(line.lstrip()) + 2)
    return textwrap.fill(
        line, width(), subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def shorten(text: str, room: int) -> str:
    """``text`` in ``room`` columns: cut after a whole word, with an ellipsis."""
    if len(text) <= room:
        return text
    cut = text[: room - 1].rsplit(" ", 1)[0] if " " in text[: room - 1] else text[: room - 1]
    return cut.rstrip(" ,;:") + "…"


def colour_on(stream: TextIO) -> bool:
    """Colours on a terminal that shows them; never when piped, with NO_COLOR or TERM=dumb."""
    return (
        hasattr(stream, "isatty")
        and stream.isatty()
        and "NO_COLOR" not in os.environ
        and os.environ.get("TERM") != "dumb"
    )


def paint(word: str, stream: TextIO, key: str | None = None) -> str:
    code = COLOURS.get(key or word)
    return f"\033[{code}m{word}\033[0m" if code and colour_on(stream) else word


class Progress:
    """One line on stderr: a bar, the step in Danish and the seconds so far, redrawn by a
    ticker thread so it moves even while a step (or an import) takes long."""

    def __init__(self, stream: TextIO):
        self.stream, self.started = stream, time.monotonic()
        self.done, self.steps, self.name = 0, 0, "Starter forebyg: indlæser programmet"
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True)

    def start(self) -> Progress:
        self.draw()
        self._thread.start()
        return self

    def step(self, name: str, steps: int) -> None:
        with self._lock:
            self.done, self.steps, self.name = self.done + 1, steps, name
        self.draw()

    def line(self) -> str:
        seconds = f"{time.monotonic() - self.started:.0f} s"
        if self.steps:
            filled = int(20 * min(self.done / self.steps, 1))
            count = f"{self.done}/{self.steps}"
        else:
            filled, count = 0, ""
        head = f"[{'█' * filled}{'·' * (20 - filled)}] {count:>5} "
        room = max(width() - len(head) - len(seconds) - 2, 10)
        return f"{head}{shorten(self.name, room):<{room}} {seconds}"

    def say(self, name: str) -> None:
        """What is going on before the first step (the slow imports), in Danish."""
        with self._lock:
            self.name = name
        self.draw()

    def draw(self) -> None:
        with self._lock:
            self.stream.write("\r" + self.line())
            self.stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self.draw()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        with self._lock:
            self.stream.write("\r\033[K")  # the line gives way to the summary
            self.stream.flush()


_current: Progress | None = None


def start_progress() -> Progress | None:
    """A progress line on a terminal, unless FOREBYG_LOG asks for Dagster's own log."""
    global _current
    if sys.stderr.isatty() and not settings.LOG.is_set():
        _current = Progress(sys.stderr).start()
    return _current


def current() -> Progress | None:
    return _current


def loading(name: str) -> None:
    """Say on the progress line (if any) what is loading before the steps start."""
    if _current is not None:
        _current.say(name)


def say(text: str) -> None:
    """Print a line to stdout without tearing the progress line."""
    if _current is not None:
        _current.stream.write("\r\033[K")
    print(text, flush=True)
    if _current is not None:
        _current.draw()


def stop_progress() -> None:
    global _current
    if _current is not None:
        _current.stop()
        _current = None
