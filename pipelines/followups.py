"""``forebyg opfoelgning luk|fortryd|liste``: close a follow-up, reopen the latest one, and
list the closed ones.

A follow-up is closed as of a month end within the spending delivered: no earlier than
the first month, no later than the last complete one, never in the future (a date
closed too late would refuse every real date after it). Closing and reopening follow the
discipline of a run: each takes the run lock, works on a copy of the warehouse, rebuilds
the follow-up tables, validates them against their pandera models and publishes with the
same atomic rename. The frozen rows are archived in
``arkiv/opfoelgninger/`` before publishing (``assets.followups.store``).
"""

from __future__ import annotations

import datetime as dt
import logging

import pandera.pandas as pa

from assets.danish import count, date
from assets.followups import store
from runtime import settings
from runtime.resources import Home, Stop, Warehouse
from schemas.frames import as_model_types
from schemas.marts import mart_schemas

LOG = logging.getLogger("forebyg")

# the mart tables that read the follow-ups, in the order their SQL depends on each other
TABLES = ("opfoelgninger", "besparelser_opfoelgning", "opfoelgning_aendringer")


def parse_day(text: str) -> dt.date:
    """A follow-up's date as Danish text writes it (30-09-2026), or as ISO (2026-09-30)."""
    for form in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise Stop(
        f"'{text}' er ikke en dato; skriv opfølgningens dato som DD-MM-ÅÅÅÅ, fx 30-09-2026 "
        "(eller ÅÅÅÅ-MM-DD)."
    )


def check_day(con, day: dt.date, today: dt.date) -> str | None:
    """Refuse a date outside the data delivered (a Danish ``Stop``); a note when the
    frozen figures reach past the date."""
    months = store.spending_months(con)
    if months is None:
        raise Stop("Lageret har ingen forbrugsdata; kør 'forebyg run' med forbrug først.")
    first, complete = months
    last = min(complete, store.month_end(today.replace(day=1) - dt.timedelta(days=1)))
    allowed = (
        f"Tilladt er en månedsafslutning fra {date(first)} til {date(last)}: forbruget "
        f"begynder i {first:%m-%Y}, og den seneste måned, alle områder har forbrug til, "
        f"er {complete:%m-%Y}."
        if first <= last
        else f"Ingen dato er tilladt endnu: den første måned med forbrug ({first:%m-%Y}) "
        "er ikke slut."
    )
    if not first <= day <= last:
        where = "efter" if day > last else "før"
        raise Stop(f"{date(day)} ligger {where} de leverede data. {allowed}")
    if day != store.month_end(day):
        raise Stop(f"{date(day)} er ikke den sidste dag i en måned. {allowed}")
    if day < complete:
        return (
            f"Bemærk: tallene er lagerets, som de står nu, med forbrug til og med {complete:%m-%Y}."
        )
    return None


def _rebuild_tables(con) -> None:
    for table in TABLES:
        con.execute((settings.MART_SQL / f"{table}.sql").read_text(encoding="utf-8"))
        model = mart_schemas()[table]
        frame = con.execute(f"SELECT * FROM mart.{table}").df()
        try:
            model.validate(as_model_types(frame, model), lazy=True)
        except pa.errors.SchemaErrors as err:
            raise Stop(
                f"Opfølgningen blev ikke lukket: mart.{table} overholder ikke sit skema "
                f"({len(err.failure_cases)} fejl). Lageret er uændret; kontakt driften."
            ) from err


def _restore(con, home: Home) -> None:
    """The archived follow-ups; one whose file cannot be read is left out and logged."""
    for line in store.restore(con, home.arkiv):
        LOG.warning("%s", line)


def close(home: Home, day: dt.date) -> str:
    """Freeze the published ``mart.besparelser`` as follow-up ``day``; a Danish receipt."""
    if not home.warehouse.exists():
        raise Stop(f"Intet lager i {home.root}; kør 'forebyg run' først.")
    warehouse = Warehouse(home)
    warehouse.setup_for_execution()
    try:
        with warehouse.connect() as con:
            _restore(con, home)
            days = [d for d, _ in store.closed(con)]
            if day in days:
                raise Stop(
                    f"Opfølgningen {date(day)} er allerede lukket; en lukket opfølgning ændres "
                    "aldrig. Vælg en ny dato."
                )
            if days and day < days[-1]:
                raise Stop(
                    f"Opfølgningen {date(day)} ligger før den seneste lukkede ({date(days[-1])}); "
                    "opfølgninger lukkes i datoorden."
                )
            note = check_day(con, day, dt.date.today())
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
    closed = f"Opfølgningen {date(day)} er lukket: {frozen} fastfrosset."
    return closed + (f"\n{note}" if note else "")


def reopen(home: Home, day: dt.date) -> str:
    """Reopen the latest follow-up ``day``: its file is set aside in the archive (kept), a
    receipt is written, and its rows leave the warehouse; a Danish receipt line."""
    if not home.warehouse.exists():
        raise Stop(f"Intet lager i {home.root}; kør 'forebyg run' først.")
    warehouse = Warehouse(home)
    warehouse.setup_for_execution()
    at = dt.datetime.now().replace(microsecond=0)
    try:
        with warehouse.connect() as con:
            _restore(con, home)
            days = [d for d, _ in store.closed(con)]
            if not days:
                raise Stop("Der er ingen lukkede opfølgninger at fortryde.")
            if day != days[-1]:
                raise Stop(
                    f"Kun den seneste lukkede opfølgning ({date(days[-1])}) kan fortrydes, ikke "
                    f"{date(day)}. Fortryd dem én ad gangen, den seneste først."
                )
            rows = con.execute(
                "SELECT count(*) FROM raw.besparelser_opfoelgning WHERE opfoelgning = ?", [day]
            ).fetchone()[0]
            store.drop(con, day)
            _rebuild_tables(con)
        moved = store.set_aside(home.arkiv, day, at)
        try:
            warehouse.publish()
        except BaseException:
            moved.replace(store.folder(home.arkiv) / f"{day.isoformat()}.parquet")
            raise
    finally:
        warehouse.teardown_after_execution()
    frozen = count(rows, "indsatsrække", "indsatsrækker")
    text = (
        "Kvittering for fortrudt opfølgning\n\n"
        f"Opfølgning:  {date(day)}\n"
        f"Fortrudt:    {at:%d-%m-%Y %H:%M:%S}\n"
        f"Rækker:      {frozen}\n"
        f"Gemt som:    arkiv/{store.FOLDER}/{store.UNDONE}/{moved.name}\n\n"
        "Opfølgningen er åbnet igen: den står ikke længere i lageret eller rapporterne, og "
        "datoen kan lukkes igen. Den fastfrosne fil er gemt i arkivet og slettes ikke.\n"
    )
    home.kvitteringer.mkdir(mode=0o770, parents=True, exist_ok=True)
    receipt = home.kvitteringer / f"{at:%Y-%m-%d_%H%M%S}_opfoelgning_{day}_fortrudt.txt"
    receipt.write_text(text, encoding="utf-8")
    return f"Opfølgningen {date(day)} er fortrudt: {frozen} gemt i arkivet ({moved.name})."


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
            "Ingen lukkede opfølgninger endnu. Luk en med 'forebyg opfoelgning luk DD-MM-ÅÅÅÅ'."
        ]
    lines = [f"{count(len(rows), 'lukket opfølgning', 'lukkede opfølgninger')}:"]
    lines += [
        f"  {date(day)}  lukket {at:%d-%m-%Y %H:%M}  {count(n, 'indsatsrække', 'indsatsrækker')}"
        for day, at, n in rows
    ]
    return lines
