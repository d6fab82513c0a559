"""The steering group's headline figures as plain text, for the command line."""

from __future__ import annotations

from decimal import Decimal

import duckdb

from assets.reports.content import OVERVIEW_SQL

HEADERS = (
    "Budget i alt",
    "Budget t.d.",
    "Realiseret",
    "Investering",
    "Forbrugt inv.",
    "Nettoeffekt",
)
AMOUNTS = (
    "budget_i_alt",
    "budget_til_dato",
    "realiseret_til_dato",
    "investering",
    "forbrugt_investering",
    "nettoeffekt",
)


def mio(amount: Decimal | None) -> str:
    """Kroner → Danish mio. kr. with one decimal: 12345678 → '12,3'."""
    if amount is None or amount != amount:
        return "–"
    text = f"{Decimal(amount) / 1_000_000:,.1f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def level_text(level: str) -> str:
    return "løbende priser" if level == "løbende priser" else f"{level}-priser"


def summary_text(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute(OVERVIEW_SQL).df()
    if rows.empty:
        return "Ingen indsatser i lageret endnu (mangler indsatskataloget?)."
    level = con.execute("SELECT prisniveau FROM core.prisniveau").fetchone()[0]
    lines = [
        f"Besparelser pr. spor og budgetaftale, mio. kr. i {level_text(level)}",
        "(budget i alt: aftalens fire år; de øvrige kolonner: de opgjorte år, t.d. = til dato)",
        f"{'Spor':<5}{'Aftale':<11}"
        + "".join(f"{h:>14}" for h in HEADERS)
        + "  Status        Opgjorte år",
    ]
    for row in rows.itertuples():
        lines.append(
            f"{row.spor:<5}{row.budgetaftale:<11}"
            + "".join(f"{mio(getattr(row, a)):>14}" for a in AMOUNTS)
            + f"  {row.status:<13} {row.opgjorte_aar or '–'}"
        )
    return "\n".join(lines)
