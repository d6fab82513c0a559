"""The steering group's headline figures per track and agreement, summed over the years."""

from __future__ import annotations

from decimal import Decimal

import duckdb

SUMMARY_SQL = """
SELECT spor, budgetaftale,
       sum(budgetteret_besparelse) AS budgetteret,
       sum(budgetteret_besparelse) FILTER (WHERE indsatser_opgjort > 0) AS budgetteret_til_dato,
       sum(realiseret_besparelse) AS realiseret,
       sum(budgetteret_investering) FILTER (WHERE indsatser_opgjort > 0) AS investering,
       sum(forbrugt_investering) AS forbrugt_investering,
       sum(nettoeffekt_realiseret) AS nettoeffekt,
       string_agg(DISTINCT CAST(aar AS VARCHAR), ', ' ORDER BY CAST(aar AS VARCHAR))
           FILTER (WHERE indsatser_opgjort > 0) AS opgjorte_aar,
       any_value(prisniveau) AS prisniveau
FROM mart.spor_status
GROUP BY spor, budgetaftale
ORDER BY spor, budgetaftale
"""
HEADERS = (
    "Budget i alt",
    "Budget t.d.",
    "Realiseret",
    "Investering",
    "Forbrugt inv.",
    "Nettoeffekt",
)


def mio(amount: Decimal | None) -> str:
    """Kroner → Danish mio. kr. with one decimal: 12345678 → '12,3'."""
    if amount is None:
        return "–"
    text = f"{Decimal(amount) / 1_000_000:,.1f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def level_text(level: str) -> str:
    return "løbende priser" if level == "løbende priser" else f"{level}-priser"


def summary_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(SUMMARY_SQL).fetchall()


def summary_text(con: duckdb.DuckDBPyConnection) -> str:
    rows = summary_rows(con)
    if not rows:
        return "Ingen indsatser i lageret endnu (mangler indsatskataloget?)."
    lines = [
        f"Besparelser pr. spor og budgetaftale, mio. kr. i {level_text(rows[0][-1])}",
        "(budget i alt: aftalens fire år; de øvrige kolonner: de opgjorte år, t.d. = til dato)",
        f"{'Spor':<5}{'Aftale':<11}" + "".join(f"{h:>14}" for h in HEADERS) + "  Opgjorte år",
    ]
    for spor, aftale, *amounts, years, _ in rows:
        lines.append(
            f"{spor:<5}{aftale:<11}"
            + "".join(f"{mio(a):>14}" for a in amounts)
            + f"  {years or '–'}"
        )
    return "\n".join(lines)
