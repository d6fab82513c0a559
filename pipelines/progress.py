"""Progress on the command line: each step Dagster starts, in Danish, on the progress line."""

from __future__ import annotations

import logging
import re

import dagster as dg

from runtime import terminal

STEP = re.compile(r'Started execution of step "([^"]+)"')

TABLES = {
    "aktivitet": "aktivitet",
    "aktivitet_aar": "aktivitet pr. år",
    "befolkning": "befolkning",
    "kommuner": "kommuner",
    "dst_regnskab": "kommunernes regnskaber (DST)",
    "dst_befolkning": "kommunernes befolkning (DST)",
    "sammenligningsgruppe": "sammenligningsgruppen",
    "benchmark": "sammenligningen",
    "budget": "budget",
    "forbrug": "forbrug",
    "forbrug_aar": "forbrug pr. år",
    "indsatser": "indsatser",
    "indsats_funktioner": "indsatsernes funktioner",
    "indsats_grupper": "indsatsgrupper",
    "indsats_maal": "indsatsernes mål",
    "indsats_oekonomi": "indsatsernes økonomi",
    "kontoplan": "kontoplan",
    "prisindeks": "prisindeks",
    "prisniveau": "prisniveau",
    "aarsoversigt": "årsoversigt",
    "besparelser": "besparelser",
    "budgetaftaler": "budgetaftaler",
    "budgetopfoelgning": "budgetopfølgning",
    "investeringer": "investeringer",
    "leverancer": "leverancer",
    "maal": "mål",
    "spor_status": "status pr. spor",
    "sporbarhed": "sporbarhed",
    "gruppe_resultat": "indsatsgruppernes resultat",
    "planlagt_i_kraft": "planlagte besparelser i kraft",
    "opfoelgninger": "opfølgninger",
    "besparelser_opfoelgning": "besparelser pr. opfølgning",
    "opfoelgning_aendringer": "ændringer siden opfølgningerne",
    "opmaerksomhed": "advarsler",
    "forventet_regnskab": "budgetansvarliges forventet regnskab",
    "forventet_realisering": "forventet realisering",
    "indsats_status": "status og kommentar pr. indsats",
    "statuskommentar": "indsatsledernes statuskommentarer",
    "i_brug": "filernes rækker i brug",
    "leveranceperioder": "filernes perioder",
    "indbakke": "de indlæste filer",
}
CHECKS = {
    "skema": "Tjekker skemaet for {}",
    "afstemning": "Afstemmer {}",
    "aktualitet": "Tjekker aktualiteten af {}",
    "tildeling": "Tjekker tildelingen i {}",
    "korrigeret_budget": "Tjekker korrigeret budget i {}",
    "daekning": "Tjekker dækningen i {}",
    "rang": "Tjekker rangene i {}",
    "ingen_totaler": "Tjekker for totaler i {}",
}
ASSETS = {
    "indbakke": "Læser filerne i indbakken",
    "publicering": "Publicerer lageret",
    "rapporter": "Skriver rapporterne",
}
STAGES = {"core": "Beregner", "mart": "Opgør"}


def step_name(key: str) -> str:
    """Dagster's step key in Danish: 'mart__spor_status_skema' → 'Tjekker skemaet for
    status pr. spor'. A table these names do not know (a new kind's) reads as its name."""
    stage, _, rest = key.rpartition("__")
    for check, verb in CHECKS.items():
        table = rest.removesuffix(f"_{check}")
        if table != rest:
            return verb.format(TABLES.get(table, table))
    if stage in STAGES:
        return f"{STAGES[stage]} {TABLES.get(rest, rest.replace('_', ' '))}"
    return ASSETS.get(key, key)


class _Steps(logging.Handler):
    def __init__(self, steps: int):
        super().__init__()
        self.steps = max(steps, 1)

    def emit(self, record: logging.LogRecord) -> None:
        m = STEP.search(record.getMessage())
        bar = terminal.current()
        if m and bar is not None:
            bar.step(step_name(m[1]), self.steps)


@dg.logger(
    {"trin": dg.Field(int, description="Antal trin i kørslen")},
    description="Fremdrift på kommandolinjen: en linje, der tegnes om for hvert trin.",
)
def fremdrift(init_context: dg.InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("forebyg.fremdrift")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.handlers = [_Steps(init_context.logger_config["trin"])]
    return log
