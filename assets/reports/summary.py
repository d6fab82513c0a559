"""The steering group's headline figures as plain text for the command line, ≤ 80 columns."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

import duckdb

from assets.danish import count, mio, percent
from assets.plausibility import UNCHANGED
from assets.plausibility.store import run_lines
from assets.reports.content import TOTALS_SQL, UNIT, price_warnings, read_headlines
from runtime.terminal import paint, wrap

HEADER = f"{'Spor':<8}{'Budget i alt':>14}{'Budget t.d.':>13}{'Realiseret':>12}{'Andel':>8}  Status"


def summary_lines(con: duckdb.DuckDBPyConnection, stream: TextIO) -> list[str]:
    content = read_headlines(con)
    if content.overview.empty:
        return ["Ingen indsatser i lageret endnu (mangler indsatskataloget?)."]
    lines = wrap(f"Besparelser i {UNIT}, {content.level_text}; t.d. = til dato, i de opgjorte år.")
    lines += [line for name in content.track_names.values() for line in wrap(name)]
    lines += wrap(content.relation.split(":")[0] + ".")  # overlap: never add them up
    for agreement, rows in content.overview.groupby("budgetaftale", sort=True):
        lines += ["", *wrap(next(h for h in content.headlines if agreement in h)), HEADER]
        for r in rows.itertuples():
            name = r.spornavn.split(":")[0]
            lines.append(
                f"{name:<8}{mio(r.budget_i_alt):>14}{mio(r.budget_til_dato):>13}"
                f"{mio(r.realiseret_til_dato):>12}{percent(r.maalopfyldelse):>8}  "
                + paint(r.status, stream)
            )
        years = rows["opgjorte_aar"].dropna()
        if not years.empty:
            lines += wrap(f"Opgjorte år: {years.iloc[0]}", "  ")
    return lines


def _first_problem(name: str, problem: str) -> str:
    """The problem without the file name it starts with (the line above names the file)."""
    return problem.removeprefix(f"Fil '{name}', ").removeprefix(f"Fil '{name}': ")


def files_lines(
    con: duckdb.DuckDBPyConnection,
    run_id: str | list[str] | None,
    rejected_folder: Path,
    stream: TextIO,
    before: dict[str, tuple] | None = None,
) -> list[str]:
    """The files of one run (or of the runs of one command: a failed run's search for the
    file to blame publishes in steps): first whether the headline figures moved since
    ``before`` and which months changed, then how many files per status, and each rejected
    file with its first problem."""
    runs = [run_id] if isinstance(run_id, str) else list(run_id or [])
    rows = con.execute(
        "SELECT m.status, m.filnavn, m.begrundelse FROM mart.leverancer m "
        "JOIN raw.leverancer l USING (leverance_nr) WHERE list_contains(?, l.koersel) "
        "ORDER BY m.leverance_nr",
        [runs],
    ).fetchall()
    counts: dict[str, int] = {}
    for status, _, _ in rows:
        counts[status] = counts.get(status, 0) + 1
    parts = []
    if counts.get("accepteret"):
        parts.append(f"{counts['accepteret']} accepteret")
    if counts.get("afvist"):
        parts.append(paint(f"{counts['afvist']} afvist", stream, "AFVIST"))
    if counts.get("dublet"):
        parts.append(count(counts["dublet"], "dublet", "dubletter"))
    if counts.get("erstattet"):
        parts.append(f"{counts['erstattet']} allerede erstattet af nyere filer")
    head = f"{count(len(rows), 'fil', 'filer')} i denne kørsel" if rows else "Ingen nye filer"
    notes = [note for run in runs for note in run_lines(con, run)]
    lines = moved_lines(before, headline_figures(con)) if rows else []
    lines += changed_months(notes)
    lines += [head + (": " + ", ".join(parts) if parts else "") + "."]
    rejected = [(name, reason or "") for status, name, reason in rows if status == "afvist"]
    for name, reason in rejected:
        problems = reason.splitlines() or [""]
        lines += [
            f"{paint('AFVIST', stream)}: {name}",
            *wrap(_first_problem(name, problems[0]), "  ", 2),
        ]
        if len(problems) > 1:
            lines.append(f"  (+{len(problems) - 1} fejl mere)")
    if rejected:
        lines += wrap(f"Alle fejl står i {rejected_folder}/<fil>.fejl.txt og i kvitteringen.")
    prices = [("", line) for line in price_warnings(con)]  # a year without a price index
    return lines + plausibility_lines(notes + prices)


MONTH = re.compile(r"^Erstatter funktion .* (\d{4}-\d{2}): ")
SAME = re.compile(rf"^{UNCHANGED}([\d.]+) ")


def changed_months(notes: list[tuple[str, str]]) -> list[str]:
    """The run's first lines: which months changed and how many were replaced unchanged."""
    months: dict[str, int] = {}
    same = 0
    for _, line in notes:
        if m := MONTH.match(line):
            months[m[1]] = months.get(m[1], 0) + 1
        elif m := SAME.match(line):
            same += int(m[1].replace(".", ""))
    lines = []
    if months:
        listed = ", ".join(
            f"{month} ({count(n, 'funktion', 'funktioner')})" for month, n in sorted(months.items())
        )
        lines += wrap(f"Ændrede måneder: {listed}.", "", 4)
    if same:
        lines += wrap(
            f"Uændrede: {count(same, 'måned', 'måneder')} (pr. funktion) blev erstattet "
            "med samme beløb."
        )
    return lines


def plausibility_lines(notes: list[tuple[str, str]], shown: int = 10) -> list[str]:
    """The run's changed months with before and after (the first ``shown``), then every
    warning; each warning's first line starts with 'Advarsel'."""
    replaced = [f"{name}: {line}" for name, line in notes if MONTH.match(line)]
    lines = [line for text in replaced[:shown] for line in wrap(text)]
    if len(replaced) > shown:
        lines.append(f"(+{len(replaced) - shown} ændrede måneder mere; se kvitteringerne)")
    for text in _grouped([text for _, text in notes if text.startswith("Advarsel")]):
        first, *rest = wrap(text, "  ")  # continuation lines indented, the first not
        lines += [first.lstrip(), *rest]
    return lines


ROW_WARNING = re.compile(
    r"^Advarsel: (.+?), ark '[^']*', række \d+(?: og ([\d.]+) rækker? mere)?, "
    r"kolonne (.+?): (værdien '.*)$"
)


def _grouped(warnings: list[str]) -> list[str]:
    """Warnings in order, the same row warning in several files (a function outside the
    kontoplan in every year's spending file) as one, naming the files and counting rows."""
    groups: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for text in warnings:
        m = ROW_WARNING.match(text)
        key = (m[3], m[4]) if m else ("", text)  # "": not a row warning, shown once
        rows = 1 + int((m[2] or "0").replace(".", "")) if m else 0
        groups.setdefault(key, []).append((text, m[1] if m else "", rows))
    lines = []
    for (column, tail), found in groups.items():
        if len(found) == 1 or not column:
            lines.append(found[0][0])
            continue
        files = ", ".join(name for _, name, _ in found)
        rows = sum(n for _, _, n in found)
        lines.append(
            f"Advarsel: {count(len(found), 'fil', 'filer')} ({files}), "
            f"{count(rows, 'række', 'rækker')} i alt, kolonne {column}: {tail} "
            "Rækkerne står i hver fils kvittering."
        )
    return lines


def headline_figures(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """Per agreement: realised and budgeted to date, as the overview's I alt row has them."""
    try:
        return {
            agreement: (realised, budgeted)
            for agreement, realised, budgeted in con.execute(
                f"SELECT budgetaftale, realiseret_til_dato, budget_til_dato FROM ({TOTALS_SQL})"
            ).fetchall()
        }
    except duckdb.Error:  # a warehouse from before the marts
        return {}


def _move(label: str, before, after) -> str:
    text = f"{label}: {mio(before)} → {mio(after)} {UNIT}"
    if before is not None and after is not None and mio(before) == mio(after):
        text += " (ændret under 0,05 mio. kr.)"
    return text


def moved_lines(before: dict[str, tuple] | None, after: dict[str, tuple]) -> list[str]:
    """Whether the headline figures (per budget agreement) moved in this command, from →
    to; nothing when there was no warehouse before (everything is new)."""
    if not before:
        return []
    lines = []
    for agreement in sorted(before.keys() | after.keys()):
        (r0, b0), (r1, b1) = before.get(agreement, (None, None)), after.get(agreement, (None, None))
        if r0 != r1:
            lines += wrap(_move(f"Realiseret i alt {agreement}", r0, r1))
        if b0 != b1:
            lines += wrap(_move(f"Budget til dato {agreement}", b0, b1))
    return lines or ["Hovedtallene er uændrede (realiseret og budgetteret til dato)."]
