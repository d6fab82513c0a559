"""``forebyg opfoelgning luk|liste``: close a follow-up and list the closed ones.

Closing follows the discipline of a run: it takes the run lock, works on a copy of the
warehouse, rebuilds the follow-up tables, validates them against their pandera models and
publishes with the same atomic rename. The frozen rows are archived in
``arkiv/opfoelgninger/`` before publishing (``assets.followups.store``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandera.pandas as pa

from assets.danish import count
from assets.followups import store
from runtime.resources import Home, Stop, Warehouse
from schemas.frames import as_model_types
from schemas.marts import MART_MODELS

SQL = Path(__file__).resolve().parents[1] / "assets" / "marts" / "sql"
# the mart tables that read the follow-ups, in the order their SQL depends on each other
TABLES = ("opfoelgninger", "besparelser_opfoelgning", "opfoelgning_aendringer")


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Stop(
            f"'{text}' er ikke en dato; skriv opfølgningens dato som ÅÅÅÅ-MM-DD, fx 2026-09-30."
        ) from None


def _rebuild_tables(con) -> None:
    for table in TABLES:
        con.execute((SQL / f"{table}.sql").read_text(encoding="utf-8"))
        model = MART_MODELS[table]
        frame = con.execute(f"SELECT * FROM mart.{table}").df()
        try:
            model.validate(as_model_types(frame, model), lazy=True)
        except pa.errors.SchemaErrors as err:
            raise Stop(
                f"Opfølgningen blev ikke lukket: mart.{table} overholder ikke sit skema "
                f"({len(err.failure_cases)} fejl). Lageret er uændret; kontakt driften."
            ) from err


def close(home: Home, day: dt.date) -> str:
    """Freeze the published ``mart.besparelser`` as follow-up ``day``; a Danish receipt."""
    if not home.warehouse.exists():
        raise Stop(f"Intet lager i {home.root}; kør 'forebyg run' først.")
    warehouse = Warehouse(home)
    warehouse.setup_for_execution()
    try:
        with warehouse.connect() as con:
            store.restore(con, home.arkiv)
            days = [d for d, _ in store.closed(con)]
            if day in days:
                raise Stop(
                    f"Opfølgningen {day} er allerede lukket; en lukket opfølgning ændres "
                    "aldrig. Vælg en ny dato."
                )
            if days and day < days[-1]:
                raise Stop(
                    f"Opfølgningen {day} ligger før den seneste lukkede ({days[-1]}); "
                    "opfølgninger lukkes i datoorden."
                )
            rows = store.freeze(con, day, dt.datetime.now().replace(microsecond=0))
            if rows == 0:
                raise Stop("Lageret har ingen besparelser at fastfryse; kør 'forebyg run' først.")
            _rebuild_tables(con)
            archived = store.export(con, day, home.arkiv)
        try:
            warehouse.publish()
        except BaseException:
            archived.unlink(missing_ok=True)
            raise
    finally:
        warehouse.teardown_after_execution()
    frozen = count(rows, "indsatsrække", "indsatsrækker")
    return f"Opfølgningen {day} er lukket: {frozen} fastfrosset."


def list_lines(home: Home) -> list[str]:
    """One line per closed follow-up, oldest first."""
    from runtime.resources import read_published

    if not home.warehouse.exists():
        return [f"Intet lager i {home.root} endnu; kør 'forebyg run'."]
    with read_published(home) as con:
        exists = con.execute(
            "SELECT count(*) FROM duckdb_tables() "
            "WHERE schema_name = 'mart' AND table_name = 'opfoelgninger'"
        ).fetchone()[0]
        rows = (
            con.execute(
                "SELECT opfoelgning, lukket, raekker FROM mart.opfoelgninger ORDER BY 1"
            ).fetchall()
            if exists
            else []
        )
    if not rows:
        return [
            "Ingen lukkede opfølgninger endnu. Luk en med 'forebyg opfoelgning luk ÅÅÅÅ-MM-DD'."
        ]
    lines = [f"{count(len(rows), 'lukket opfølgning', 'lukkede opfølgninger')}:"]
    lines += [
        f"  {day}  lukket {at:%Y-%m-%d %H:%M}  {count(n, 'indsatsrække', 'indsatsrækker')}"
        for day, at, n in rows
    ]
    return lines
