"""Publishing: the run's working copy becomes the warehouse in one atomic step, once every
blocking check has passed; then delivered files move to arkiv/ or afvist/ and each gets
its receipt."""

import datetime as dt

import dagster as dg

from assets.files.lifecycle import clear_inbox, keep_copies
from assets.files.manifest import read_manifest
from assets.publishing.receipts import (
    deliveries,
    receipt_text,
    replaced_by_run,
    rows_in_use,
)
from runtime import settings
from runtime.resources import Warehouse, read_published

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
        keep_copies(home, run, copies, receipts, stamp)
    warehouse.publish()
    if from_inbox:
        clear_inbox(home, run, copies, receipts, stamp)
    return dg.MaterializeResult(
        metadata={"filer": len(run), "lager": dg.MetadataValue.path(str(home.warehouse))}
    )
