"""The reports of the published warehouse: rapporter/styregruppe.xlsx and .html, or with
a committee or an owner in the run's config, that one's report beside them."""

import dagster as dg

from assets.reports.content import read_content
from assets.reports.html import write_html
from assets.reports.scope import resolve, scoped
from assets.reports.workbook import write_workbook
from runtime.resources import Warehouse, read_published


class RapportConfig(dg.Config):
    udvalg: str = ""  # a political committee of the catalogue: its initiatives only
    ansvarlig: str = ""  # an initiative owner of the catalogue: their initiatives only


@dg.asset(
    key="rapporter",
    group_name="report",
    kinds={"excel", "html"},
    deps=["publicering"],
    description=(
        "Styregrupperapporten som Excel og HTML i rapporter/, bygget af det publicerede lager "
        "(eller, med udvalg eller ansvarlig, rapporten for ét udvalg eller én indsatsleder)."
    ),
)
def rapporter(
    config: RapportConfig, warehouse: dg.ResourceParam[Warehouse]
) -> dg.MaterializeResult:
    home = warehouse.paths
    home.rapporter.mkdir(parents=True, exist_ok=True)
    column, name = ("udvalg", config.udvalg) if config.udvalg else ("ansvarlig", config.ansvarlig)
    with read_published(home) as con:
        scope = resolve(con, column, name) if name else None
        if name and scope is None:
            raise dg.Failure(f"Kataloget har ingen indsatser med {column} '{name}'.")
        if scope is None:
            content = read_content(con)
    stem = "styregruppe"
    if scope is not None:
        with scoped(home.warehouse, scope, home.rapporter) as con:
            content = read_content(con, scope.title, scope.subject)
        stem = scope.file_stem
    xlsx = write_workbook(content, home.rapporter / f"{stem}.xlsx")
    page = write_html(content, home.rapporter / f"{stem}.html")
    return dg.MaterializeResult(
        metadata={
            "excel": dg.MetadataValue.path(str(xlsx)),
            "html": dg.MetadataValue.path(str(page)),
        }
    )
