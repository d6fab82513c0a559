"""Core SQL derived from the kinds' metadata (schemas/kinds.py), so that a new kind needs
no hand-kept list: its replacement rule, which files are in use, and their periods.

A table with ``replace_key`` gets the generated rule "for each key, the rows of the latest
file that has it"; a table whose rule is more than a key (forbrug maps functions to areas
first) has its own ``sql/<table>.sql`` instead. Having both is an error.
"""

from __future__ import annotations

from pathlib import Path

from schemas.kinds import TableSpec, kinds

CORE_SQL = Path(__file__).parent / "sql"


def replacement_sql(table: TableSpec, label: str) -> str:
    keys = ", ".join(table.replace_key)
    return (
        f"-- Gældende rækker af {table.name} efter erstatningsreglen: for hvert "
        f"({keys}) gælder den\n-- senest modtagne fil (genereret af replace_key i "
        f"schemas/kinds/).\n-- Navn: {label}\n"
        f"CREATE OR REPLACE TABLE core.{table.name} AS\nSELECT *\nFROM raw.{table.name}\n"
        f"QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY {keys});\n"
    )


def in_use_rows() -> str:
    """A query of (leverance_nr, raekker): each delivery's rows that are in use now."""
    union = "\n    UNION ALL ".join(
        f"SELECT leverance_nr FROM core.{k.in_use} WHERE leverance_nr IS NOT NULL" for k in kinds()
    )
    return f"SELECT leverance_nr, count(*) AS raekker FROM (\n    {union}\n) GROUP BY leverance_nr"


def _period(table: TableSpec) -> str:
    if table.period == "maaned":
        month = "coalesce(maaned, kvartal * 3)" if "kvartal" in table.fields else "maaned"
        return f"aar * 100 + {month}"
    return "aar"


def periods() -> str:
    parts = [
        f"SELECT leverance_nr, '{t.period}' AS periode, min({_period(t)}) AS fra, "
        f"max({_period(t)}) AS til FROM raw.{t.name} GROUP BY leverance_nr"
        for k in kinds()
        for t in k.tables
        if t.period
    ]
    return "\nUNION ALL ".join(parts)


def generated() -> dict[str, str]:
    """core table → SQL, for every table the kinds' metadata defines."""
    out = {}
    for k in kinds():
        for t in k.tables:
            own = (CORE_SQL / f"{t.name}.sql").exists()
            if t.replace_key and own:
                raise ValueError(f"{t.name}: both replace_key and core/sql/{t.name}.sql")
            if t.replace_key:
                out[t.name] = replacement_sql(t, k.label)
        if k.in_use not in out and not (CORE_SQL / f"{k.in_use}.sql").exists():
            raise ValueError(f"{k.kind}: no core table {k.in_use} (give replace_key or SQL)")
    out["i_brug"] = (
        "-- Rækker i brug pr. leverance: de rækker i hver udtrækstypes kernetabel, som\n"
        "-- erstatningsreglen har beholdt (afledt af schemas/kinds/).\n"
        "-- Navn: filernes rækker i brug\n"
        f"CREATE OR REPLACE TABLE core.i_brug AS\n{in_use_rows()};\n"
    )
    out["leveranceperioder"] = (
        "-- Første og sidste periode (måned eller år) i hver leverance (afledt af\n"
        "-- schemas/kinds/).\n-- Navn: filernes perioder\n"
        f"CREATE OR REPLACE TABLE core.leveranceperioder AS\n{periods()};\n"
    )
    return out
