"""pandera models for the clean form of every extract table.

The reader turns cells into these columns; the models decide what is allowed. Each
field's ``description`` is the Danish "what was expected" of a rejection message, and
each row rule's ``error`` names the column it is about (see ``ROW_RULE_FIELDS``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas import kinds

OMRAADER = ["botilbud", "bostøtte", "førtidspension", "forsørgelse", "børn og unge"]
FUNKTION = r"^\d\.\d{2}\.\d{2}$"
AFTALE = r"^\d{4}-\d{4}$"

YEAR = {"min_value": 2000, "max_value": 2100}
# only the first two move the budget method's reference (docs/beregninger.md)
ALDERSGRUPPE = r"^\d{1,3}(-\d{1,3}|\+)$"
KORREKTIONSTYPER = ["teknisk", "demografi", "tillægsbevilling", "overførsel"]

# Text columns are pandas' string dtype: pandera then checks the dtype once instead of
# asking every cell whether it is a str (seconds on a million-row ledger).
Text = pd.StringDtype


def _four_years(agreement: pd.Series) -> pd.Series:
    """An agreement covers four consecutive years: 2024-2027, not 2024-2030."""
    first = pd.to_numeric(agreement.str[:4], errors="coerce")
    last = pd.to_numeric(agreement.str[5:], errors="coerce")
    return agreement.isna() | first.isna() | last.isna() | (last == first + 3)


def _year(description: str = "et årstal som 2024", nullable: bool = False):
    return pa.Field(in_range=YEAR, nullable=nullable, description=description)


class Source(pa.DataFrameModel):
    """Where each row came from: sheet and Excel row number."""

    kilde_ark: Series[Text]
    kilde_raekke: Series[int] = pa.Field(ge=1)


class Forbrug(Source):
    funktion: Series[Text] = pa.Field(
        str_matches=FUNKTION, description="et funktionsnummer som 5.38.50"
    )
    dranst: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 7},
        nullable=True,
        description="en dranst fra 1 til 7",
    )
    art: Series[Text] = pa.Field(nullable=True)
    gruppering: Series[Text] = pa.Field(nullable=True)
    ansvarssted: Series[Text] = pa.Field(nullable=True)
    tekst: Series[Text] = pa.Field(nullable=True)
    aar: Series[pd.Int64Dtype] = _year("en periode som 2024-03, 202403, marts 2024 eller en dato")
    maaned: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 12}, description="en måned fra 1 til 12"
    )
    beloeb: Series[float] = pa.Field(description="et beløb i kr., fx -1.234.567,50")

    class Config:
        strict = True


class Budget(Source):
    funktion: Series[Text] = pa.Field(
        str_matches=FUNKTION, description="et funktionsnummer som 5.38.50"
    )
    aar: Series[pd.Int64Dtype] = _year()
    budgettype: Series[Text] = pa.Field(
        isin=["oprindeligt", "korrigeret"], description="Oprindeligt (vedtaget) eller Korrigeret"
    )
    budgetaftale: Series[Text] = pa.Field(
        str_matches=AFTALE,
        nullable=True,
        description="en aftale på fire år i træk, fx 2024-2027",
    )
    beloeb: Series[float] = pa.Field(description="et beløb i kr., fx -1.234.567,50")

    @pa.dataframe_check(error="budgetaftale: en aftale på fire år i træk, fx 2024-2027")
    def fire_aar(cls, df: pd.DataFrame) -> Series[bool]:
        return _four_years(df["budgetaftale"])

    class Config:
        strict = True


class Indsatser(Source):
    indsats_id: Series[Text] = pa.Field(unique=True, description="et entydigt ID for indsatsen")
    indsats: Series[Text] = pa.Field(description="indsatsens navn")
    spor: Series[pd.Int64Dtype] = pa.Field(isin=[1, 2, 3], description="spor 1, 2 eller 3")
    omraade: Series[Text] = pa.Field(isin=OMRAADER, description="et område: " + ", ".join(OMRAADER))
    ansvarlig: Series[Text] = pa.Field(nullable=True)
    metode: Series[Text] = pa.Field(
        isin=["budget", "baseline", "aktivitet"], description="budget, baseline eller aktivitet"
    )
    funktioner: Series[Text] = pa.Field(
        nullable=True, description="funktioner som 5.38.50, 5.38.52"
    )
    ansvarssted: Series[Text] = pa.Field(nullable=True)
    baselineaar: Series[pd.Int64Dtype] = _year(nullable=True)
    enhedspris: Series[float] = pa.Field(ge=0, nullable=True, description="en pris i kr. (≥ 0)")
    prisniveau: Series[pd.Int64Dtype] = _year(nullable=True)
    aktivitetsindikator: Series[Text] = pa.Field(nullable=True)
    status: Series[Text] = pa.Field(
        isin=["planlagt", "i gang", "implementeret", "afsluttet"],
        nullable=True,
        description="planlagt, i gang, implementeret eller afsluttet",
    )
    udvalg: Series[Text] = pa.Field(nullable=True, description="det politiske udvalg")
    spornavn: Series[Text] = pa.Field(nullable=True, description="sporets navn")
    sporansvarlig: Series[Text] = pa.Field(nullable=True, description="sporets ansvarlige")
    maalgruppe: Series[Text] = pa.Field(
        str_matches=ALDERSGRUPPE,
        nullable=True,
        description="fx 18-64 eller 65+ (tom: 0-17 for børn og unge, ellers 18-64)",
    )

    @pa.dataframe_check(error="funktioner: skal udfyldes for metode budget og baseline")
    def funktioner_udfyldt(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["metode"].isin(["budget", "baseline"]) | df["funktioner"].notna()

    @pa.dataframe_check(error="baselineaar: skal udfyldes for metode baseline og aktivitet")
    def baselineaar_udfyldt(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df["metode"].isin(["baseline", "aktivitet"]) | df["baselineaar"].notna()

    @pa.dataframe_check(error="enhedspris: skal udfyldes for metode aktivitet")
    def enhedspris_udfyldt(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["metode"] != "aktivitet") | df["enhedspris"].notna()

    @pa.dataframe_check(error="aktivitetsindikator: skal udfyldes for metode aktivitet")
    def indikator_udfyldt(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["metode"] != "aktivitet") | df["aktivitetsindikator"].notna()

    class Config:
        strict = True


class IndsatsOekonomi(Source):
    indsats_id: Series[Text] = pa.Field(description="et ID fra arket Indsatser")
    budgetaftale: Series[Text] = pa.Field(
        str_matches=AFTALE, description="en aftale på fire år i træk, fx 2024-2027"
    )
    aar: Series[pd.Int64Dtype] = _year()
    type: Series[Text] = pa.Field(
        isin=["investering", "besparelse"], description="Investering eller Besparelse"
    )
    beloeb: Series[float] = pa.Field(description="et beløb i kr.")
    prisniveau: Series[pd.Int64Dtype] = _year(nullable=True)
    aftalen_lister: Series[Text] = pa.Field(
        isin=["alle", "nye"],
        nullable=True,
        description="alle (aftalen gentager tidligere besparelser) eller nye (kun nye)",
    )

    @pa.dataframe_check(error="budgetaftale: en aftale på fire år i træk, fx 2024-2027")
    def fire_aar(cls, df: pd.DataFrame) -> Series[bool]:
        return _four_years(df["budgetaftale"])

    @pa.dataframe_check(error="aar: skal ligge i budgetaftalens fire år")
    def aar_i_aftalen(cls, df: pd.DataFrame) -> Series[bool]:
        first = pd.to_numeric(df["budgetaftale"].str[:4], errors="coerce")
        return df["aar"].isna() | first.isna() | df["aar"].between(first, first + 3)

    class Config:
        strict = True


class IndsatsMaal(Source):
    indsats_id: Series[Text] = pa.Field(description="et ID fra arket Indsatser")
    indikator: Series[Text] = pa.Field(description="indikatorens navn")
    aar: Series[pd.Int64Dtype] = _year()
    maal: Series[float] = pa.Field(description="en målværdi (et tal)")
    retning: Series[Text] = pa.Field(isin=["lavere", "højere"], description="lavere eller højere")

    class Config:
        strict = True


class Aktivitet(Source):
    aar: Series[pd.Int64Dtype] = _year("en periode som 2024-03, 202403 eller marts 2024")
    maaned: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 12}, nullable=True, description="en måned 1-12"
    )
    kvartal: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 4}, nullable=True, description="et kvartal 1-4"
    )
    indikator: Series[Text] = pa.Field(description="indikatorens navn")
    antal: Series[float] = pa.Field(ge=0, description="et antal (≥ 0)")
    omraade: Series[Text] = pa.Field(
        isin=OMRAADER, nullable=True, description="et område: " + ", ".join(OMRAADER)
    )
    enhed: Series[Text] = pa.Field(nullable=True)

    @pa.dataframe_check(error="maaned: måned eller kvartal skal udfyldes")
    def periode_udfyldt(cls, df: pd.DataFrame) -> Series[bool]:
        return df["maaned"].notna() | df["kvartal"].notna()

    class Config:
        strict = True


class Prisindeks(Source):
    aar: Series[pd.Int64Dtype] = _year()
    type: Series[Text] = pa.Field(
        isin=["service", "overførsler"], description="service eller overførsler"
    )
    indeks: Series[float] = pa.Field(gt=0, nullable=True, description="et indeks over 0")
    pct: Series[float] = pa.Field(
        in_range={"min_value": -50, "max_value": 50}, nullable=True, description="en procent"
    )

    @pa.dataframe_check(error="indeks: indeks eller pct skal udfyldes")
    def indeks_udfyldt(cls, df: pd.DataFrame) -> Series[bool]:
        return df["indeks"].notna() | df["pct"].notna()

    class Config:
        strict = True


class Befolkning(Source):
    aar: Series[pd.Int64Dtype] = _year("et år som 2024 eller et kvartal som 2024K1")
    maaned: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 12}, nullable=True, description="en måned 1-12"
    )
    kvartal: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 4}, nullable=True, description="et kvartal 1-4"
    )
    geografi: Series[Text] = pa.Field(nullable=True, description="ét område, fx Hjørring")
    alder: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 0, "max_value": 125}, nullable=True, description="en alder i år"
    )
    aldersgruppe: Series[Text] = pa.Field(
        str_matches=ALDERSGRUPPE,
        nullable=True,
        description="en aldersgruppe som 18-64",
    )
    antal: Series[float] = pa.Field(ge=0, description="et antal personer (≥ 0)")

    @pa.dataframe_check(error="alder: alder eller aldersgruppe skal udfyldes")
    def alder_udfyldt(cls, df: pd.DataFrame) -> Series[bool]:
        return df["alder"].notna() | df["aldersgruppe"].notna()

    class Config:
        strict = True


class Kontoplan(Source):
    funktion: Series[Text] = pa.Field(
        str_matches=FUNKTION, description="et funktionsnummer som 5.38.50"
    )
    gruppering: Series[Text] = pa.Field(nullable=True)
    omraade: Series[Text] = pa.Field(description="et område, fx botilbud")
    regime: Series[Text] = pa.Field(
        isin=["service", "overførsel"], nullable=True, description="service eller overførsel"
    )

    class Config:
        strict = True


class Forventet(Source):
    aar: Series[pd.Int64Dtype] = _year("en opfølgning som 2026-09 eller 30-09-2026")
    maaned: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 12}, description="opfølgningens måned 1-12"
    )
    omraade: Series[Text] = pa.Field(isin=OMRAADER, description="et område: " + ", ".join(OMRAADER))
    indsats_id: Series[Text] = pa.Field(nullable=True, description="en indsats' ID, fx S1-01")
    beloeb: Series[float] = pa.Field(description="et beløb i kr., fx 41.250.000")

    class Config:
        strict = True


class Budgetkorrektion(Source):
    omraade: Series[Text] = pa.Field(isin=OMRAADER, description="et område: " + ", ".join(OMRAADER))
    funktion: Series[Text] = pa.Field(
        str_matches=FUNKTION, nullable=True, description="et funktionsnummer som 5.38.50"
    )
    aar: Series[pd.Int64Dtype] = _year()
    beloeb: Series[float] = pa.Field(description="et beløb i kr., + forhøjer budgettet")
    type: Series[Text] = pa.Field(
        isin=KORREKTIONSTYPER, description="teknisk, demografi, tillægsbevilling eller overførsel"
    )
    begrundelse: Series[Text] = pa.Field(nullable=True, description="korrektionens begrundelse")
    beslutning: Series[Text] = pa.Field(
        nullable=True, description="hvem der besluttede korrektionen, og hvornår"
    )

    class Config:
        strict = True


class Statuskommentar(Source):
    indsats_id: Series[Text] = pa.Field(description="en indsats' ID, fx S1-01")
    aar: Series[pd.Int64Dtype] = _year("en opfølgning som 2026-09 eller 30-09-2026")
    maaned: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 12}, description="opfølgningens måned 1-12"
    )
    kommentar: Series[Text] = pa.Field(
        str_length={"max_value": 1000}, description="en kort kommentar (højst 1.000 tegn)"
    )

    class Config:
        strict = True


DST_FIGURE = "et tal fra Danmarks Statistik, fx 1234,5 (eller .. for intet tal)"


class DstRegnskab(Source):
    """REGK31/BUDK32 as delivered: codes and labels are read in core.dst_regnskab."""

    geografi: Series[Text] = pa.Field(
        nullable=True, description="et område, fx 860 Hjørring (REGK31: OMRÅDE, BUDK32: REGI07A)"
    )
    funktion: Series[Text] = pa.Field(description="en funktion, fx 5.38.50")
    dranst: Series[Text] = pa.Field(description="en dranst, fx 1 Driftskonti")
    art: Series[Text] = pa.Field(description="en art, fx Art i alt")
    prisenhed: Series[Text] = pa.Field(description="en prisenhed, fx Løbende priser (1.000 kr.)")
    aar: Series[pd.Int64Dtype] = _year("et år som 2024")
    indhold: Series[float] = pa.Field(nullable=True, description=DST_FIGURE)
    region: Series[Text] = pa.Field(nullable=True, description="et område, fx 860 Hjørring")
    tabel: Series[Text] = pa.Field(nullable=True, description="tabellen, REGK31 eller BUDK32")

    class Config:
        strict = True


class DstBefolkning(Source):
    """FOLK1A for many municipalities; sex and age totals are told apart in core."""

    geografi: Series[Text] = pa.Field(description="et område, fx 860 Hjørring")
    koen: Series[Text] = pa.Field(description="et køn, fx Køn i alt")
    alder: Series[Text] = pa.Field(description="en alder, fx 17 år")
    aar: Series[pd.Int64Dtype] = _year("et år som 2024 eller et kvartal som 2024K1")
    maaned: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 12}, nullable=True, description="en måned 1-12"
    )
    kvartal: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 1, "max_value": 4}, nullable=True, description="et kvartal 1-4"
    )
    antal: Series[float] = pa.Field(ge=0, nullable=True, description=DST_FIGURE)

    class Config:
        strict = True


class Sammenligningsgruppe(Source):
    kommunenr: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 101, "max_value": 999},
        description="et kommunenummer fra Danmarks Statistik, fx 813",
    )
    kommune: Series[Text] = pa.Field(nullable=True)
    rolle: Series[Text] = pa.Field(
        isin=["egen", "sammenligning"], nullable=True, description="egen eller sammenligning"
    )

    @pa.dataframe_check(error="rolle: kun én kommune kan have rollen egen")
    def en_egen(cls, df: pd.DataFrame) -> Series[bool]:
        return ~((df["rolle"] == "egen") & ((df["rolle"] == "egen").sum() > 1)).fillna(False)

    class Config:
        strict = True


class _Models(Mapping):
    """Table → pandera model, as the kinds' metadata names them (schemas/kinds.py)."""

    def __getitem__(self, table: str) -> type[pa.DataFrameModel]:
        return kinds.table_model(table)

    def __iter__(self) -> Iterator[str]:
        return iter(t.name for t in kinds.tables())

    def __len__(self) -> int:
        return len(kinds.tables())


MODELS: Mapping[str, type[pa.DataFrameModel]] = _Models()


def columns(table: str) -> list[str]:
    """The clean columns of a table, in model order, without the source columns."""
    return [c for c in MODELS[table].to_schema().columns if c not in ("kilde_ark", "kilde_raekke")]
