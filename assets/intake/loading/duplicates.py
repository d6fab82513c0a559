"""Which delivery is a duplicate (DUBLET): only a file identical to the one in force now.

A file whose bytes equal an earlier accepted delivery's is a duplicate only while that
delivery is still in force for all its rows. Once a newer file of its kind has replaced
any of them, delivering the same bytes again makes them the newest again (a controller
re-delivering the correct file after a wrong one), and the file is loaded as a new
delivery. Shared by the run and ``forebyg check``, so both say the same.
"""

from __future__ import annotations

import duckdb

from schemas.kinds import kinds


def _counts(con: duckdb.DuckDBPyConnection, schema: str, table: str, nr: int) -> int | None:
    try:
        return con.execute(
            f"SELECT count(*) FROM {schema}.{table} WHERE leverance_nr = ?", [nr]
        ).fetchone()[0]
    except duckdb.CatalogException:  # no such table (yet)
        return None


def in_force(
    con: duckdb.DuckDBPyConnection, digest: str, accepted_now: dict[str, int] | None = None
) -> str | None:
    """The name of the accepted delivery with these bytes, if it is in force for all its
    rows; else None (the bytes are new, or newer files have replaced some of their rows).

    ``accepted_now`` maps a kind to the latest delivery of it accepted in the current run,
    whose replacements the core tables do not show yet."""
    try:
        found = con.execute(
            "SELECT leverance_nr, art, filnavn FROM raw.leverancer "
            "WHERE sha256 = ? AND status = 'accepteret' ORDER BY leverance_nr DESC LIMIT 1",
            [digest],
        ).fetchone()
    except duckdb.CatalogException:  # a warehouse from before the first run
        return None
    if found is None:
        return None
    nr, kind, name = found
    if (accepted_now or {}).get(kind, 0) > nr:
        return None  # a file of its kind loaded after it in this run may replace it
    later = con.execute(
        "SELECT count(*) FROM raw.leverancer "
        "WHERE art = ? AND status = 'accepteret' AND leverance_nr > ?",
        [kind, nr],
    ).fetchone()[0]
    if not later:
        return name  # nothing of its kind came after it: nothing can have replaced it
    table = next((k.in_use for k in kinds() if k.kind == kind), None)
    delivered = _counts(con, "raw", table, nr) if table else None
    kept = _counts(con, "core", table, nr) if table else None
    return name if delivered is not None and delivered == kept else None
