"""One file into the run's working copy, or that file's rejection, and nothing else.

Everything that can go wrong with one file, foreseen or not, ends here as that file's
rejection with a Danish reason; the technical detail goes to the log. Only faults of the
machine (``runtime.resources.environment_fault``) escape, and they stop the run.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from assets.danish import kr, neutral_lines
from assets.intake.loading.load import control_sum_oere, insert_rows
from assets.intake.parsing.extract import Extract
from assets.intake.problems import Problem
from assets.intake.reading.cpr import mask
from schemas.kinds import tables

UNFORESEEN = (
    "uventet fejl under indlæsning. Intet fra filen er indlæst, og filen er gemt i afvist/. "
    "Den tekniske forklaring står i driftens log; aflever filen igen, og kontakt driften, "
    "hvis den afvises på samme måde igen."
)
CPR_NAME = (
    "filens navn (eller en mappe i stien) ligner et CPR-nummer. Personnumre må ikke "
    "afleveres; filen er gemt under et neutralt navn. Omdøb den, og aflever den igen."
)


@dataclass
class Outcome:
    status: str  # accepteret | afvist | dublet
    kind: str | None = None
    rows: int = 0
    reason: str | None = None
    detail: str | None = None  # technical, for the log only


def technical(exc: BaseException) -> str:
    """The traceback of an unforeseen error, with anything CPR-like masked."""
    return neutral_lines(mask("".join(traceback.format_exception(exc))))


def rejected(name: str, sentence: str, detail: str | None = None) -> Outcome:
    return Outcome("afvist", reason=Problem(name, sentence=sentence).text(), detail=detail)


def load(con: duckdb.DuckDBPyConnection, nr: int, name: str, extract: Extract) -> Outcome:
    """Insert an accepted file's tables and reconcile them to the øre, in one transaction.

    A file whose loaded rows do not match its own counts and totals is rolled back and
    rejected alone."""
    con.begin()
    try:
        for table, frame in extract.tables.items():
            insert_rows(con, table, frame, nr)
            oere = control_sum_oere(frame, _amount(table))
            con.execute(
                "INSERT INTO raw.kontrolsummer VALUES (?, ?, ?, ?)",
                [nr, table, len(frame), None if oere is None else Decimal(oere) / 100],
            )
        off = reconciliation(con, "k.leverance_nr = ?", [nr])
        if off:
            con.rollback()
            lines = [f"{t}: {text}" for _, t, text in off]
            return Outcome(
                "afvist",
                extract.kind.kind,
                extract.rows(),
                "\n".join(
                    Problem(name, sentence=f"stemmer ikke efter indlæsning – {line}.").text()
                    for line in lines
                ),
            )
    except BaseException:
        con.rollback()
        raise
    con.commit()
    return Outcome("accepteret", extract.kind.kind, extract.rows())


def _amount(table: str) -> str | None:
    return next(t.amount for t in tables() if t.name == table)


def reconciliation(con: duckdb.DuckDBPyConnection, where: str, params: list) -> list:
    """(delivery, table, Danish text) for each loaded table whose rows or total differ from
    the file's own; ``where`` filters ``raw.kontrolsummer k``."""
    union = " UNION ALL ".join(
        f"SELECT leverance_nr, '{t.name}' AS tabel, count(*) AS raekker, "
        f"{f'coalesce(sum({t.amount}), 0)' if t.amount else 'NULL'}"
        f" AS beloeb FROM raw.{t.name} GROUP BY leverance_nr"
        for t in tables()
    )
    off = con.execute(
        f"""
        SELECT k.leverance_nr, k.tabel, k.raekker, coalesce(w.raekker, 0),
               k.beloeb, coalesce(w.beloeb, CASE WHEN k.beloeb IS NOT NULL THEN 0 END)
        FROM raw.kontrolsummer k
        LEFT JOIN ({union}) w USING (leverance_nr, tabel)
        WHERE {where}
          AND (k.raekker <> coalesce(w.raekker, 0)
               OR k.beloeb IS DISTINCT FROM
                  coalesce(w.beloeb, CASE WHEN k.beloeb IS NOT NULL THEN 0 END))
        """,
        params,
    ).fetchall()
    return [
        (nr, t, f"filen har {r} rækker og {kr(b)} kr., lageret {wr} rækker og {kr(wb)} kr.")
        for nr, t, r, wr, b, wb in off
    ]


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
