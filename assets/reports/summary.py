"""The steering group's headline figures as plain text for the command line, ≤ 80 columns."""

from __future__ import annotations

from typing import TextIO

import duckdb

from assets.reports.content import UNIT, read_content
from assets.reports.danish import mio, percent
from pipelines.terminal import paint, wrap

HEADER = f"{'Spor':<8}{'Budget i alt':>14}{'Budget t.d.':>13}{'Realiseret':>12}{'Andel':>8}  Status"


def summary_lines(con: duckdb.DuckDBPyConnection, stream: TextIO) -> list[str]:
    content = read_content(con)
    if content.overview.empty:
        return ["Ingen indsatser i lageret endnu (mangler indsatskataloget?)."]
    lines = wrap(f"Besparelser i {UNIT}, {content.level_text}; t.d. = til dato, i de opgjorte år.")
    lines += wrap(" · ".join(content.track_names.values()))
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
