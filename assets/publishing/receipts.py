"""One plain-text receipt per delivered file, in Danish, for the person who delivered it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from assets.core.kinds import in_use_rows
from assets.danish import count, number
from assets.plausibility.store import delivery_lines

STATUS_TEXT = {
    "accepteret": "ACCEPTERET – filens data er indlæst.",
    "erstattet": "ACCEPTERET – men alle filens rækker er allerede erstattet af nyere filer.",
    "afvist": "AFVIST – intet fra filen er indlæst.",
    "dublet": "DUBLET – samme indhold som den fil, der gælder nu; filen ændrer intet.",
}


@dataclass(frozen=True)
class Delivery:
    nr: int
    name: str
    sha256: str
    kind: str | None
    received: dt.datetime
    status: str
    rows: int
    periods: str | None
    reason: str | None


def deliveries(con: duckdb.DuckDBPyConnection, run_id: str) -> list[Delivery]:
    rows = con.execute(
        """
        SELECT m.leverance_nr, m.filnavn, m.sha256, m.art, m.modtaget, m.status, m.raekker,
               m.perioder, m.begrundelse
        FROM mart.leverancer m JOIN raw.leverancer l USING (leverance_nr)
        WHERE l.koersel = ? ORDER BY m.leverance_nr
        """,
        [run_id],
    ).fetchall()
    return [Delivery(*r) for r in rows]


def _coverage(con: duckdb.DuckDBPyConnection, nr: int) -> tuple[list[str], list[str], int]:
    """Områder the file covers, functions outside the mapping, and their row count."""
    rows = con.execute(
        """
        SELECT omraade, funktion, count(*) FROM (
            SELECT omraade, funktion FROM core.forbrug WHERE leverance_nr = $nr
            UNION ALL SELECT omraade, funktion FROM core.budget WHERE leverance_nr = $nr
            UNION ALL SELECT omraade, NULL FROM core.aktivitet
                WHERE leverance_nr = $nr AND omraade IS NOT NULL
        ) GROUP BY ALL
        """,
        {"nr": nr},
    ).fetchall()
    areas = sorted({a for a, _, _ in rows if a})
    outside = sorted({f for a, f, _ in rows if a is None and f})
    return areas, outside, sum(n for a, f, n in rows if a is None and f)


def rows_in_use(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """Current rows per delivery; comparing before and after a run shows what it replaced."""
    try:
        return dict(con.execute(in_use_rows()).fetchall())
    except duckdb.CatalogException:  # a warehouse from before the first run
        return {}


def replaced_by_run(
    con: duckdb.DuckDBPyConnection, before: dict[int, int], run: list[Delivery]
) -> dict[int, list[str]]:
    """For each file of this run: earlier files of its kind that lost rows in this run."""
    after = rows_in_use(con)
    names = dict(
        con.execute(
            "SELECT leverance_nr, filnavn || ' (' || art || ')' FROM raw.leverancer"
        ).fetchall()
    )
    kinds = dict(con.execute("SELECT leverance_nr, art FROM raw.leverancer").fetchall())
    lost = {nr: n - after.get(nr, 0) for nr, n in before.items() if after.get(nr, 0) < n}
    out: dict[int, list[str]] = {}
    for d in run:
        out[d.nr] = [
            f"{names[nr]}: {count(n, 'række', 'rækker')}"
            for nr, n in sorted(lost.items())
            if kinds.get(nr) == d.kind
        ]
    return out


def _duplicated(con: duckdb.DuckDBPyConnection, d: Delivery) -> str | None:
    """A duplicate's status naming the earlier file it repeats and when that came."""
    found = con.execute(
        "SELECT filnavn, modtaget FROM raw.leverancer WHERE sha256 = ? AND status = "
        "'accepteret' AND leverance_nr < ? ORDER BY leverance_nr DESC LIMIT 1",
        [d.sha256, d.nr],
    ).fetchone()
    if found is None:
        return None
    name, received = found
    return (
        f"DUBLET – samme indhold som {name} (modtaget {received:%d-%m-%Y %H:%M}), der gælder "
        "nu; filen ændrer intet."
    )


def receipt_text(con: duckdb.DuckDBPyConnection, d: Delivery, replaced: list[str]) -> str:
    status = (d.status == "dublet" and _duplicated(con, d)) or STATUS_TEXT.get(d.status, d.status)
    lines = [
        "Kvittering for aflevering til forebyg",
        "",
        f"Fil:        {d.name}",
        f"Modtaget:   {d.received:%d-%m-%Y %H:%M}",
        f"Status:     {status}",
    ]
    if d.kind:
        lines.append(f"Type:       {d.kind}")
    lines.append(f"Rækker:     {number(d.rows)}")
    if d.periods:
        lines.append(f"Perioder:   {d.periods}")
    if d.status in ("accepteret", "erstattet"):
        areas, outside, outside_rows = _coverage(con, d.nr)
        if areas:
            lines.append(f"Områder:    {', '.join(areas)}")
        if outside:
            lines.append(
                f"Uden for kontoplanen: {count(outside_rows, 'række', 'rækker')} på funktion "
                f"{', '.join(outside)} "
                "(gemt i lageret, men indgår ikke i opgørelserne)."
            )
        if replaced:
            lines.append(f"Erstatter:  {'; '.join(replaced)}")
        lines += delivery_lines(con, d.nr)  # before/after per område and month, warnings
    if d.status == "afvist" and d.reason:
        lines += ["", "Fejl (ret dem og aflever filen igen i indbakke/):", *d.reason.splitlines()]
    elif d.reason and status == STATUS_TEXT.get(d.status):  # else the status says it
        lines += ["", d.reason]
    lines += ["", f"Indhold (sha256): {d.sha256}"]
    return "\n".join(lines) + "\n"
