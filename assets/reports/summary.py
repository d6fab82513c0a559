"""The steering group's headline figures as plain text for the command line, ≤ 80 columns."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import duckdb

from assets.danish import count, mio, percent
from assets.plausibility.store import run_lines
from assets.reports.content import UNIT, price_warnings, read_content
from runtime.terminal import paint, wrap

HEADER = f"{'Spor':<8}{'Budget i alt':>14}{'Budget t.d.':>13}{'Realiseret':>12}{'Andel':>8}  Status"


def summary_lines(con: duckdb.DuckDBPyConnection, stream: TextIO) -> list[str]:
    content = read_content(con)
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
) -> list[str]:
    """The files of one run (or of the runs of one command: a failed run's search for the
    file to blame publishes in steps): how many per status, and each rejected file with
    its first problem."""
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
        parts.append(f"{counts['erstattet']} allerede erstattet")
    head = f"{count(len(rows), 'fil', 'filer')} i denne kørsel" if rows else "Ingen nye filer"
    lines = [head + (": " + ", ".join(parts) if parts else "") + "."]
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
    notes = [note for run in runs for note in run_lines(con, run)]
    return lines + plausibility_lines(notes + prices)


def plausibility_lines(notes: list[tuple[str, str]], shown: int = 10) -> list[str]:
    """The run's replaced months with before and after (the first ``shown``), then every
    warning; each warning's first line starts with 'Advarsel'."""
    replaced = [f"{name}: {line}" for name, line in notes if not line.startswith("Advarsel")]
    lines = [line for text in replaced[:shown] for line in wrap(text)]
    if len(replaced) > shown:
        lines.append(f"(+{len(replaced) - shown} erstattede måneder mere; se kvitteringerne)")
    for _, text in notes:
        if text.startswith("Advarsel"):  # continuation lines indented, the first not
            first, *rest = wrap(text, "  ")
            lines += [first.lstrip(), *rest]
    return lines
