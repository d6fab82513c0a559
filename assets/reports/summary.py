"""The steering group's headline figures: savings per track and agreement, to date."""

from __future__ import annotations

from decimal import Decimal

import duckdb

SUMMARY_SQL = """
SELECT spor, budgetaftale,
       sum(budgetteret_besparelse) AS budgetteret_i_alt,
       sum(budgetteret_besparelse) FILTER (WHERE realiseret_besparelse IS NOT NULL)
           AS budgetteret_til_dato,
       sum(realiseret_besparelse) AS realiseret_til_dato,
       sum(budgetteret_investering) AS investeret_budget,
       sum(forbrugt_investering) AS investeret_forbrug,
       any_value(prisniveau) AS prisniveau
FROM mart.besparelser b
JOIN mart.investeringer i USING (spor, indsats_id, indsats, omraade, budgetaftale, aar, prisniveau)
GROUP BY spor, budgetaftale
ORDER BY spor, budgetaftale
"""


def mio(amount: Decimal | None) -> str:
    """Kroner → Danish mio. kr. with one decimal: 12345678 → '12,3'."""
    if amount is None:
        return "–"
    return (
        f"{Decimal(amount) / 1_000_000:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    )


def summary_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(SUMMARY_SQL).fetchall()


def summary_text(con: duckdb.DuckDBPyConnection) -> str:
    rows = summary_rows(con)
    if not rows:
        return "Ingen indsatser i lageret endnu (mangler indsatskataloget?)."
    level = rows[0][-1]
    level_text = "løbende priser" if level == "løbende priser" else f"{level}-priser"
    head = (
        f"{'Spor':<5}{'Budgetaftale':<14}{'Budget i alt':>14}{'Budget t.d.':>13}"
        f"{'Realiseret t.d.':>17}{'Investering':>13}{'Forbrugt inv.':>15}"
    )
    lines = [
        f"Besparelser pr. spor og budgetaftale (mio. kr., {level_text}; t.d. = til dato)",
        head,
    ]
    for spor, aftale, total, to_date, realised, inv, inv_spent, _ in rows:
        lines.append(
            f"{spor:<5}{aftale:<14}{mio(total):>14}{mio(to_date):>13}{mio(realised):>17}"
            f"{mio(inv):>13}{mio(inv_spent):>15}"
        )
    return "\n".join(lines)
