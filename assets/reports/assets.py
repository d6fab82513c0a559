"""The reports of the published warehouse: rapporter/styregruppe.xlsx and .html, or with
a committee or an owner in the run's config, that one's report beside them."""

import datetime as dt
import logging
import os
import traceback
from pathlib import Path

import dagster as dg

from assets.reports.content import read_content
from assets.reports.html import write_html
from assets.reports.scope import resolve, scoped
from assets.reports.workbook import write_workbook
from runtime.resources import CAUSES, Stop, Warehouse, read_published

LOG = logging.getLogger("forebyg")


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
        "(eller, med udvalg eller ansvarlig, rapporten for ét udvalg eller én indsatsleder). "
        "De to filer skrives under midlertidige navne og omdøbes sammen; kan de ikke "
        "skrives, bevares de forrige, og kørslen giver en advarsel og en alarm."
    ),
)
def rapporter(
    context: dg.AssetExecutionContext, config: RapportConfig, warehouse: dg.ResourceParam[Warehouse]
) -> dg.MaterializeResult:
    home = warehouse.paths
    home.rapporter.mkdir(parents=True, exist_ok=True)
    column, name = ("udvalg", config.udvalg) if config.udvalg else ("ansvarlig", config.ansvarlig)
    with read_published(home) as con:
        scope = resolve(con, column, name) if name else None
    if name and scope is None:
        raise dg.Failure(f"Kataloget har ingen indsatser med {column} '{name}'.")
    stem = "styregruppe" if scope is None else scope.file_stem
    try:
        if scope is None:
            with read_published(home) as con:
                content = read_content(con)
        else:
            with scoped(home.warehouse, scope, home.rapporter) as con:
                content = read_content(con, scope.title, scope.subject)
        xlsx, page = write_pair(content, home.rapporter, stem)
    except Stop:  # a damaged warehouse: 'forebyg rebuild', as for every reader
        raise
    except Exception as exc:  # the marts are published: a report never takes that back
        warning = report_warning(home, stem, exc)
        context.log.warning(warning)  # alarm_ved_rapportfejl sends it to operations
        return dg.MaterializeResult(metadata={"advarsel": warning})
    return dg.MaterializeResult(
        metadata={
            "excel": dg.MetadataValue.path(str(xlsx)),
            "html": dg.MetadataValue.path(str(page)),
        }
    )


APPENDIX_SUFFIX = "_bilag"


def write_pair(content, folder: Path, stem: str) -> tuple[Path, Path]:
    """The report and its appendix (``<stem>_bilag``), each as workbook and page, under
    temporary names first, then renamed: the four files are always from the same run. If
    any cannot be written, none is replaced. Returns the report's workbook and page."""
    stems = [stem, stem + APPENDIX_SUFFIX]
    pending = [folder / f".{s}.ny.{ext}" for s in stems for ext in ("xlsx", "html")]
    final = [folder / f"{s}.{ext}" for s in stems for ext in ("xlsx", "html")]
    try:
        for n, appendix in enumerate((False, True)):
            write_workbook(content, pending[2 * n], appendix)
            write_html(content, pending[2 * n + 1], appendix)
    except BaseException:
        for path in pending:
            path.unlink(missing_ok=True)
        raise
    for new, old in zip(pending, final, strict=True):
        os.replace(new, old)
    return final[0], final[1]


def report_warning(home, stem: str, exc: BaseException) -> str:
    """The Danish Advarsel; the technical detail goes to the operations log."""
    from assets.intake.reading.cpr import mask

    LOG.error("Rapporterne %s kunne ikke skrives:\n%s", stem,
              mask("".join(traceback.format_exception(exc))))  # fmt: skip
    old = home.rapporter / f"{stem}.xlsx"
    if old.exists():
        when = dt.datetime.fromtimestamp(old.stat().st_mtime)
        kept = f"de forrige rapporter (fra {when:%d-%m-%Y kl. %H:%M}) er bevaret uændret"
    else:
        kept = "der er ingen rapporter endnu"
    if isinstance(exc, OSError) and exc.errno in CAUSES:  # the machine's fault: named
        what, fix = CAUSES[exc.errno]
        return (
            f"Advarsel: rapporterne ({stem}.xlsx og .html) kunne ikke skrives, fordi {what} "
            f"({exc.filename or home.rapporter}); {kept}. Lageret er opdateret. {fix}, og "
            "kør 'forebyg report' igen."
        )
    return (
        f"Advarsel: rapporterne ({stem}.xlsx og .html) kunne ikke skrives; {kept}. Lageret er "
        "opdateret. Den tekniske forklaring står i forebyg.log; kør 'forebyg report' igen, "
        "og kontakt driften, hvis det sker igen."
    )


def warnings_of(result) -> list[str]:
    """The Advarsel lines the reports step of a run left (none when both were written)."""
    return [
        m.metadata["advarsel"].value
        for m in result.asset_materializations_for_node("rapporter")
        if "advarsel" in m.metadata
    ]
