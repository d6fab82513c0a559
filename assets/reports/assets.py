"""The reports of the published warehouse: rapporter/styregruppe.xlsx and .html."""

import dagster as dg

from assets.reports.content import read_content
from assets.reports.html import write_html
from assets.reports.workbook import write_workbook
from runtime.resources import Warehouse, read_published


@dg.asset(
    key="rapporter",
    group_name="report",
    kinds={"excel", "html"},
    deps=["publicering"],
    description=(
        "Styregrupperapporten som Excel og HTML i rapporter/, bygget af det publicerede lager."
    ),
)
def rapporter(warehouse: dg.ResourceParam[Warehouse]) -> dg.MaterializeResult:
    home = warehouse.paths
    home.rapporter.mkdir(parents=True, exist_ok=True)
    with read_published(home) as con:
        content = read_content(con)
    xlsx = write_workbook(content, home.rapporter / "styregruppe.xlsx")
    page = write_html(content, home.rapporter / "styregruppe.html")
    return dg.MaterializeResult(
        metadata={
            "excel": dg.MetadataValue.path(str(xlsx)),
            "html": dg.MetadataValue.path(str(page)),
        }
    )
