"""The step that brings the closed follow-ups into the run's warehouse from
``arkiv/opfoelgninger/`` (``store.restore``), after intake and before the marts that read
them: a rebuild, which starts from an empty warehouse, keeps every follow-up."""

import logging

import dagster as dg

from assets.files.archive import DAMAGED
from assets.followups import store
from runtime.resources import Warehouse

LOG = logging.getLogger("forebyg")


@dg.asset(
    key="opfoelgningsarkiv",
    group_name="intake",
    kinds={"duckdb", "parquet"},
    deps=[dg.AssetKey("indbakke")],
    description=(
        "Lægger de lukkede opfølgninger fra arkiv/opfoelgninger/ i lageret: en opfølgning, "
        "lageret mangler, hentes, og en, hvis fil er fortrudt, fjernes. En fil, der ikke kan "
        "læses, udelades og nævnes."
    ),
)
def opfoelgningsarkiv(
    context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]
) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        damaged = store.restore(con, warehouse.paths.arkiv)
        closed = len(store.closed(con))
    for line in damaged:
        context.log.warning(line)
        LOG.warning("%s", line)
    return dg.MaterializeResult(
        metadata={"opfoelgninger": closed, **({DAMAGED: "\n".join(damaged)} if damaged else {})}
    )
