"""The step that judges each file the run accepted from the inbox against the warehouse in
force (``store.record``). It runs after intake and before any core table is rebuilt, so
"in force" is the warehouse as it was before the run plus the files delivered before this
one; a rebuild judges nothing (``store``)."""

import dagster as dg

from assets.plausibility import store
from runtime.resources import Warehouse


@dg.asset(
    key="plausibilitet",
    group_name="intake",
    kinds={"python", "duckdb"},
    deps=[dg.AssetKey("indbakke")],
    description=(
        "Sammenligner hver fil, kørslen har godkendt fra indbakken, med lageret, som det var: "
        "før/efter pr. område og måned og advarsler til kvitteringen, kørslens opsummering "
        "og rapportens \"Opmærksomhed\". En advarsel afviser aldrig en fil."
    ),
)
def plausibilitet(
    context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]
) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        store.ensure_table(con)
        files = store.new_deliveries(con, context.run.run_id)
        for nr, name, kind in files:
            store.record(con, nr, name, kind)
        lines = store.run_lines(con, context.run.run_id)
    warnings = sum(line.startswith("Advarsel") for _, line in lines)
    return dg.MaterializeResult(metadata={"filer": len(files), "advarsler": warnings})
