"""Publishing: the run's working copy becomes the warehouse in one atomic step, once every
blocking check has passed; then delivered files move to arkiv/ or afvist/ and each gets
its receipt."""

import datetime as dt

import dagster as dg

from assets.danish import neutral_lines
from assets.intake.archive import archive, reject
from assets.intake.deliver import read_manifest
from assets.intake.inbox import candidates, same_file
from assets.intake.names import stored
from assets.publishing.receipts import (
    deliveries,
    receipt_text,
    replaced_by_run,
    rows_in_use,
)
from runtime import settings
from runtime.resources import Warehouse, read_published, write_text

# every mart table, whether or not a check guards it: none is published half-built
MART_KEYS = [dg.AssetKey(["mart", p.stem]) for p in sorted(settings.MART_SQL.glob("*.sql"))]


@dg.asset(
    key="publicering",
    group_name="report",
    kinds={"duckdb"},
    deps=MART_KEYS,
    description=(
        "Gør kørslens lager gældende i ét atomisk skridt, når alle tjek er bestået; flytter "
        "derefter filerne fra indbakke/ til arkiv/ eller afvist/ og skriver kvitteringer."
    ),
)
def publicering(
    context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]
) -> dg.MaterializeResult:
    home = warehouse.paths
    with warehouse.connect() as con:
        source = con.execute(
            "SELECT kilde FROM raw.koersler WHERE koersel = ?", [context.run_id]
        ).fetchone()
    from_inbox = source is not None and source[0] == "indbakke"
    before = {}
    if from_inbox and home.warehouse.exists():  # a rebuild never opens the old warehouse
        with read_published(home) as old:
            before = rows_in_use(old)
    with warehouse.connect() as con:
        run = deliveries(con, context.run_id)
        replaced = replaced_by_run(con, before, run)
        receipts = {d.nr: receipt_text(con, d, replaced.get(d.nr, [])) for d in run}
    copies = read_manifest(home.files) if from_inbox else {}
    stamp = dt.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    if from_inbox:
        home.check()  # the folders are still the home's own before anything is moved
        for d in run:
            if d.nr not in copies or copies[d.nr][1] is None:
                continue  # refused by its size: moved to afvist/ below, never copied
            copy = home.files / copies[d.nr][1]
            if d.status in ("accepteret", "erstattet"):
                archive(home.arkiv, copy, d.sha256, d.name, d.received, d.nr)
            elif d.status == "afvist":
                reject(home.afvist, copy, d.name, receipts[d.nr], stamp)
    warehouse.publish()
    if from_inbox:
        home.check()
        originals = {f.inode: f.path for f in candidates(home.indbakke)}
        for d in run:
            name = f"{d.received:%Y-%m-%d_%H%M%S}_{d.nr:05d}_{stored(d.name)}.txt"
            write_text(home.kvitteringer / name, neutral_lines(receipts[d.nr]))
            if d.nr not in copies:
                continue
            inode, copy = copies[d.nr]
            original = originals.get(inode)
            # a file changed since it was copied stays in the inbox for the next run
            if original is None or not same_file(original, d.sha256):
                continue
            if copy is None:
                reject(home.afvist, original, d.name, receipts[d.nr], stamp, move=True)
            else:
                original.unlink()
    return dg.MaterializeResult(
        metadata={"filer": len(run), "lager": dg.MetadataValue.path(str(home.warehouse))}
    )
