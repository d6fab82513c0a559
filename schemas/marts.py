"""pandera models for the mart tables: the columns and values the steering group relies on.

Amounts are DECIMAL in DuckDB; they are validated here as floats (``as_model_types``).
The Danish ``description`` of each field is also the data dictionary's text.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.extracts import OMRAADER

AFTALE = r"^\d{4}-\d{4}$"
PRISNIVEAU = r"^(\d{4}|løbende priser)$"
KATALOG_PRISNIVEAU = r"^\d{4}(/\d{4})*$"
STATUS = ["grøn", "gul", "rød", "ikke opgjort"]


def _kr(description: str, nullable: bool = True):
    return pa.Field(nullable=nullable, description=description)


class _Indsats(pa.DataFrameModel):
    spor: Series[pd.Int64Dtype] = pa.Field(isin=[1, 2, 3], description="Spor 1, 2 eller 3")
    indsats_id: Series[str] = pa.Field(description="Indsatsens ID fra kataloget")
    indsats: Series[str] = pa.Field(description="Indsatsens navn")


class Besparelser(_Indsats):
    omraade: Series[str] = pa.Field(isin=OMRAADER, description="Område")
    metode: Series[str] = pa.Field(
        isin=["budget", "baseline", "aktivitet"], description="Opgørelsesmetode"
    )
    budgetaftale: Series[str] = pa.Field(str_matches=AFTALE, description="Budgetaftale")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    budgetteret_besparelse: Series[float] = _kr("Planlagt besparelse i aftalen (kr.)", False)
    realiseret_besparelse: Series[float] = _kr("Realiseret besparelse (kr.); tom = ikke opgjort")
    afvigelse: Series[float] = _kr("Realiseret − budgetteret (kr.)")
    maalopfyldelse: Series[float] = _kr("Realiseret / budgetteret")
    status: Series[str] = pa.Field(isin=STATUS, description="grøn (≥ 95 %), gul (≥ 75 %), rød")
    opgjort_som: Series[str] = pa.Field(
        isin=["regnskab", "forventet"], nullable=True, description="regnskab eller forventet"
    )
    maalt_med: Series[str] = pa.Field(
        isin=["budget", "baseline", "aktivitet"],
        nullable=True,
        description="Metoden, indsatsens gruppe er målt med (budget før baseline før aktivitet)",
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau (år)")
    katalogets_prisniveau: Series[str] = pa.Field(
        str_matches=KATALOG_PRISNIVEAU,
        nullable=True,
        description=(
            "Uden prisindeks: prisniveauet, de budgetterede beløb står i (katalogets); "
            "tom, når alt er prisreguleret"
        ),
    )
    forventet_af: Series[str] = pa.Field(
        isin=["budgetansvarlig", "beregnet"],
        nullable=True,
        description=(
            "Et år, der ikke er slut: bygger på budgetansvarliges eget forventet regnskab "
            "for indsatsen eller det beregnede; tom for et afsluttet år"
        ),
    )
    demografireguleret: Series[float] = _kr(
        "Baseline og aktivitet: målt pr. indbygger i målgruppen × årets befolkning (kr.); "
        "tom uden befolkningstal og for budgetmetoden"
    )
    ikke_demografireguleret: Series[float] = _kr(
        "Den realiserede besparelse uden demografiregulering (kr.)"
    )
    fordelt_efter: Series[str] = pa.Field(
        isin=[
            "alene",
            "egen måling",
            "egen måling og planlagt andel",
            "planlagt andel",
            "ligelig andel",
        ],
        nullable=True,
        description=(
            "Hvordan gruppens resultat er fordelt: alene (gruppen er indsatsen), egen måling "
            "(egen indikator × enhedspris), planlagt eller ligelig andel af resten"
        ),
    )
    status_for: Series[str] = pa.Field(
        isin=["indsatsen", "gruppen"],
        nullable=True,
        description=(
            "gruppen: en andel af gruppens resultat, så målopfyldelse og status er gruppens; "
            "indsatsen: dens egen"
        ),
    )

    class Config:
        strict = True
        # the row's key: mart.sporbarhed relies on it
        unique = ("indsats_id", "budgetaftale", "aar")
        description = (
            "Én række pr. indsats, budgetaftale og år: budgetteret og realiseret "
            "besparelse i ét prisniveau."
        )


class Investeringer(_Indsats):
    omraade: Series[str] = pa.Field(isin=OMRAADER, description="Område")
    budgetaftale: Series[str] = pa.Field(str_matches=AFTALE, description="Budgetaftale")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    budgetteret_investering: Series[float] = _kr("Planlagt investering (kr.)", False)
    forbrugt_investering: Series[float] = _kr("Forbrug på indsatsens ansvarssted (kr.)")
    forventet_investering: Series[float] = _kr(
        "Forbruget på ansvarsstedet fremskrevet til helår (år til dato × 12 / måneder)"
    )
    opgjort_som: Series[str] = pa.Field(
        isin=["regnskab", "år til dato"], nullable=True, description="regnskab eller år til dato"
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau (år)")
    katalogets_prisniveau: Series[str] = pa.Field(
        str_matches=KATALOG_PRISNIVEAU,
        nullable=True,
        description=(
            "Uden prisindeks: prisniveauet, den budgetterede investering står i (katalogets); "
            "tom, når alt er prisreguleret"
        ),
    )

    class Config:
        strict = True
        # the row's key: mart.sporbarhed relies on it
        unique = ("indsats_id", "budgetaftale", "aar")
        description = (
            "Én række pr. indsats, budgetaftale og år: budgetteret investering og "
            "forbruget på indsatsens ansvarssted."
        )


class SporStatus(pa.DataFrameModel):
    spor: Series[pd.Int64Dtype] = pa.Field(isin=[1, 2, 3], description="Spor")
    spornavn: Series[str] = pa.Field(nullable=True, description="Sporets navn fra kataloget")
    sporansvarlig: Series[str] = pa.Field(
        nullable=True, description="Sporets ansvarlige fra kataloget"
    )
    budgetaftale: Series[str] = pa.Field(str_matches=AFTALE, description="Budgetaftale")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    budgetteret_investering: Series[float] = _kr("Planlagte investeringer (kr.)")
    forbrugt_investering: Series[float] = _kr("Forbrug på indsatsernes ansvarssteder (kr.)")
    forventet_investering: Series[float] = _kr("Forbruget på ansvarsstederne, helår (kr.)")
    budgetteret_besparelse: Series[float] = _kr("Planlagte besparelser (kr.)")
    budgetteret_besparelse_opgjort: Series[float] = _kr(
        "Planlagte besparelser for indsatser med et realiseret resultat (kr.)"
    )
    realiseret_besparelse: Series[float] = _kr("Realiserede besparelser (kr.)")
    nettoeffekt_budgetteret: Series[float] = _kr("Planlagt besparelse − investering (kr.)")
    nettoeffekt_realiseret: Series[float] = _kr(
        "Realiseret besparelse − forventet investering (helår mod helår)"
    )
    indsatser_opgjort: Series[int] = pa.Field(ge=0, description="Indsatser med opgjort resultat")
    indsatser: Series[int] = pa.Field(ge=0, description="Indsatser i sporet")
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau (år)")

    class Config:
        strict = True
        description = (
            "Én række pr. spor, budgetaftale og år: investeringer, besparelser og nettoeffekt."
        )


class Budgetopfoelgning(pa.DataFrameModel):
    omraade: Series[str] = pa.Field(description="Område")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    oprindeligt_budget: Series[float] = _kr("Vedtaget budget i den gældende aftale (kr.)")
    korrigeret_budget: Series[float] = _kr("Korrigeret budget (kr.)")
    forbrug_aar_til_dato: Series[float] = _kr("Nettoforbrug år til dato (kr.)")
    forventet_regnskab: Series[float] = _kr("Forventet regnskab (kr.)")
    afvigelse: Series[float] = _kr("Forventet regnskab − korrigeret budget (merforbrug +)")
    opgjort_til: Series[pd.Timestamp] = pa.Field(nullable=True, description="Sidste dag med data")
    opgjort_som: Series[str] = pa.Field(
        isin=["regnskab", "forventet"], nullable=True, description="regnskab eller forventet"
    )
    forventet_af: Series[str] = pa.Field(
        isin=["budgetansvarlig", "beregnet"],
        nullable=True,
        description=(
            "Et år, der ikke er slut: budgetansvarligs eget forventet regnskab eller det "
            "beregnede; tom for et afsluttet år"
        ),
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau")

    class Config:
        strict = True
        # the row's key: mart.sporbarhed relies on it
        unique = ("omraade", "aar")
        description = (
            "Én række pr. område og år i løbende priser: budgetter, forbrug, "
            "forventet regnskab og afvigelse."
        )


class Budgetbro(pa.DataFrameModel):
    omraade: Series[str] = pa.Field(description="Område")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    budgetaftale: Series[str] = pa.Field(
        str_matches=AFTALE,
        nullable=True,
        description="Den gældende budgetaftale (det vedtagne budgets)",
    )
    vedtaget_budget: Series[float] = _kr("Vedtaget budget i den gældende aftale (kr.)")
    teknisk: Series[float] = _kr(
        "Tekniske korrektioner (kr.; flytter budgetmetodens reference)", False
    )
    demografi: Series[float] = _kr(
        "Demografiregulering (kr.; flytter budgetmetodens reference)", False
    )
    tillaegsbevilling: Series[float] = _kr(
        "Tillægsbevillinger (kr.; bliver aldrig en besparelse)", False
    )
    overfoersel: Series[float] = _kr(
        "Overførsler fra tidligere år (kr.; bliver aldrig en besparelse)", False
    )
    korrigeret_budget: Series[float] = _kr("Korrigeret budget (kr.)")
    uforklaret: Series[float] = _kr(
        "Korrigeret − vedtaget − korrektionerne (kr.); andet end 0 er en advarsel; "
        "tom uden begge budgetter"
    )
    reference: Series[float] = _kr("Budgetmetodens reference: vedtaget + teknisk + demografi (kr.)")
    antal_korrektioner: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="Antal korrektionsrækker"
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau")

    class Config:
        strict = True
        unique = ("omraade", "aar")
        description = (
            "Én række pr. område og år i løbende priser: fra vedtaget til korrigeret budget "
            "fordelt på korrektionernes type, og den rest, ingen korrektion forklarer."
        )


class Budgetaftaler(_Indsats):
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    budgetaftale: Series[str] = pa.Field(
        str_matches=AFTALE, description="Budgetaftale, der dækker året"
    )
    besparelse: Series[float] = _kr("Planlagt besparelse i aftalen for året (kr.)", False)
    forrige_budgetaftale: Series[str] = pa.Field(
        str_matches=AFTALE,
        nullable=True,
        description="Den forrige aftale, der også dækker året; tom, når ingen gør",
    )
    aendring: Series[float] = _kr(
        "Besparelsen − den forrige aftales besparelse for året (kr.); tom uden forrige aftale"
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau (år)")

    class Config:
        strict = True
        unique = ("indsats_id", "aar", "budgetaftale")
        description = (
            "Én række pr. indsats, år og budgetaftale, der dækker året: aftalernes planlagte "
            "besparelser og ændringen mod den forrige aftale."
        )


class Aarsoversigt(pa.DataFrameModel):
    omraade: Series[str] = pa.Field(description="Område")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    vedtaget_budget: Series[float] = _kr(
        "Vedtaget budget, faste priser (kr.): fra den nyeste budgetaftale, der begynder i "
        "eller før året (kommende år og overslagsår fra det seneste vedtagne budget)"
    )
    vedtaget_i: Series[str] = pa.Field(
        str_matches=AFTALE, nullable=True, description="Budgetaftalen, det vedtagne budget er fra"
    )
    korrigeret_budget: Series[float] = _kr("Korrigeret budget, faste priser (kr.)")
    nettoforbrug_loebende_priser: Series[float] = _kr(
        "Nettoforbrug i løbende priser (kr.): regnskab eller forventet regnskab; tom for år "
        "med budget alene"
    )
    nettoforbrug_faste_priser: Series[float] = _kr("Nettoforbrug i faste priser (kr.)")
    aendring_kr: Series[float] = _kr("Ændring i nettoforbrug fra året før, faste priser (kr.)")
    aendring_pct: Series[float] = _kr("Ændring i nettoforbrug fra året før (%)")
    aendring_vedtaget_budget: Series[float] = _kr(
        "Ændring i vedtaget budget fra året før, faste priser (kr.)"
    )
    aktivitet: Series[float] = _kr(
        "Aktivitet i helårspersoner eller pladser (årets gennemsnit af aktivitetsudtræk med "
        "enheden helårspersoner eller pladser)"
    )
    aendring_aktivitet: Series[float] = _kr("Ændring i aktivitet fra året før")
    enhedsomkostning: Series[float] = _kr(
        "Enhedsomkostning: nettoforbrug i faste priser ÷ aktivitet (kr. pr. helårsperson/plads)"
    )
    aendring_enhedsomkostning: Series[float] = _kr("Ændring i enhedsomkostning fra året før (kr.)")
    aldersgruppe: Series[str] = pa.Field(isin=["0-17", "18-64"], description="Aldersgruppe")
    indbyggere: Series[float] = _kr("Indbyggere i aldersgruppen")
    forbrug_pr_indbygger: Series[float] = _kr("Forbrug pr. indbygger, faste priser (kr.)")
    opgjort_som: Series[str] = pa.Field(
        isin=["regnskab", "forventet", "budget"],
        description="regnskab, forventet (året er ikke slut) eller budget (år uden forbrug)",
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau")

    class Config:
        strict = True
        # the row's key: mart.sporbarhed relies on it
        unique = ("omraade", "aar")
        description = (
            "Én række pr. område og år til budgetprocessen: vedtaget og korrigeret budget, "
            "regnskab eller forventet regnskab, kommende år og overslagsår, aktivitet og "
            "enhedsomkostning, i ét prisniveau med ændringen fra året før."
        )


class Maal(_Indsats):
    indikator: Series[str] = pa.Field(description="Indikator")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    maal: Series[float] = pa.Field(description="Mål")
    retning: Series[str] = pa.Field(isin=["lavere", "højere"], description="lavere eller højere")
    resultat: Series[float] = pa.Field(nullable=True, description="Årets gennemsnit")
    opfyldt: Series[pd.BooleanDtype] = pa.Field(nullable=True, description="Mål opfyldt")
    opgjort_som: Series[str] = pa.Field(
        isin=["regnskab", "forventet"], nullable=True, description="regnskab eller forventet"
    )
    indsatsstatus: Series[str] = pa.Field(nullable=True, description="Indsatsens status")

    class Config:
        strict = True
        # the row's key: mart.sporbarhed relies on it
        unique = ("indsats_id", "indikator", "aar")
        description = "Én række pr. indsats, indikator og år: mål, resultat og om målet er nået."


class Leverancer(pa.DataFrameModel):
    leverance_nr: Series[pd.Int64Dtype] = pa.Field(unique=True, description="Løbenummer")
    filnavn: Series[str] = pa.Field(description="Filens navn i indbakken")
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$", description="Indholdets sha256")
    art: Series[str] = pa.Field(nullable=True, description="Udtrækstype")
    modtaget: Series[pd.Timestamp] = pa.Field(description="Modtaget")
    status: Series[str] = pa.Field(
        isin=["accepteret", "afvist", "erstattet", "dublet"], description="Status"
    )
    raekker: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Rækker")
    perioder: Series[str] = pa.Field(nullable=True, description="Perioder i filen")
    begrundelse: Series[str] = pa.Field(nullable=True, description="Begrundelse")

    class Config:
        strict = True
        description = "Én række pr. afleveret fil: status, rækker, perioder og begrundelse."


class Sporbarhed(pa.DataFrameModel):
    tabel: Series[str] = pa.Field(
        isin=[
            "besparelser", "investeringer", "spor_status", "indsats_status",
            "forventet_realisering", "budgetaftaler", "budgetopfoelgning", "aarsoversigt",
            "maal", "benchmark",
        ],
        description="Mart-tabellen",
    )  # fmt: skip
    noegle: Series[str] = pa.Field(description="Rækkens nøgle, felter adskilt af |")
    kolonne: Series[str] = pa.Field(description="Kolonnen i mart-tabellen, rækkerne indgår i")
    indgang: Series[str] = pa.Field(
        isin=[
            "katalog", "planlagt", "forbrug", "forbrug_basisaar", "korrigeret_budget",
            "vedtaget_budget", "forventet", "aktivitet", "aktivitet_basisaar", "befolkning",
            "prisindeks", "maal", "statuskommentar", "dst_regnskab", "dst_befolkning",
            "budgetkorrektion",
        ],
        description="Hvilken slags tal rækkerne er",
    )  # fmt: skip
    leverance_nr: Series[pd.Int64Dtype] = pa.Field(description="Leverancens løbenummer")
    filnavn: Series[str] = pa.Field(description="Kildefilens navn")
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$", description="Kildefilens sha256")
    modtaget: Series[pd.Timestamp] = pa.Field(description="Hvornår filen blev modtaget")
    kilde_ark: Series[str] = pa.Field(description="Ark i kildefilen")
    antal_raekker: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Antal kilderækker")
    bidrag: Series[float] = _kr(
        "Rækkernes beløb (kr.) eller antal tilsammen; tomt for prisindeks, katalog og kommentar"
    )
    raekker: Series[object] = pa.Field(description="Excel-rækkenumrene")

    class Config:
        strict = True
        unique = ("tabel", "noegle", "kolonne", "indgang", "leverance_nr", "kilde_ark")
        description = (
            "Én række pr. mart-række, kolonne, indgang, kildefil og ark: de Excel-rækker, "
            "tallet bygger på, og hvad de bidrog med."
        )


class Opfoelgninger(pa.DataFrameModel):
    opfoelgning: Series[pd.Timestamp] = pa.Field(unique=True, description="Opfølgningens dato")
    lukket: Series[pd.Timestamp] = pa.Field(description="Hvornår opfølgningen blev lukket")
    forrige_opfoelgning: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Den forrige lukkede opfølgning; tom for den første"
    )
    raekker: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Fastfrosne indsatsrækker")

    class Config:
        strict = True
        description = "Én række pr. lukket opfølgning (forebyg opfoelgning luk)."


class BesparelserOpfoelgning(Besparelser):
    opfoelgning: Series[pd.Timestamp] = pa.Field(description="Opfølgningens dato")

    class Config:
        strict = True
        unique = ("opfoelgning", "indsats_id", "budgetaftale", "aar")
        description = (
            "mart.besparelser, som den så ud, da hver opfølgning blev lukket; ændres aldrig."
        )


class OpfoelgningAendringer(pa.DataFrameModel):
    tilstand: Series[str] = pa.Field(
        isin=["lukket", "aktuel"], description="lukket opfølgning eller aktuelle tal"
    )
    opfoelgning: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Opfølgningens dato; tom for de aktuelle tal"
    )
    forrige_opfoelgning: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Opfølgningen, ændringen er målt imod"
    )
    niveau: Series[str] = pa.Field(isin=["indsats", "spor", "i alt"], description="Niveau")
    spor: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="Spor (tom for i alt)")
    indsats_id: Series[str] = pa.Field(nullable=True, description="Indsatsens ID")
    indsats: Series[str] = pa.Field(nullable=True, description="Indsatsens navn")
    budgetaftale: Series[str] = pa.Field(str_matches=AFTALE, description="Budgetaftale")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    budgetteret_besparelse: Series[float] = _kr("Planlagt besparelse (kr.)")
    realiseret_besparelse: Series[float] = _kr("Realiseret besparelse (kr.); tom = ikke opgjort")
    forrige_realiseret: Series[float] = _kr("Realiseret besparelse i den forrige opfølgning")
    aendring_realiseret: Series[float] = _kr(
        "Ændring i realiseret besparelse siden forrige opfølgning (kr.)"
    )
    aendring_budgetteret: Series[float] = _kr(
        "Ændring i budgetteret besparelse siden forrige opfølgning (kr.)"
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau (år)")

    class Config:
        strict = True
        unique = ("opfoelgning", "niveau", "spor", "indsats_id", "budgetaftale", "aar")
        description = (
            "Opfølgningerne over tid og de aktuelle tal pr. indsats, spor og i alt, "
            "budgetaftale og år, med ændringen siden forrige opfølgning."
        )


class Opmaerksomhed(pa.DataFrameModel):
    leverance_nr: Series[pd.Int64Dtype] = pa.Field(description="Leverancens løbenummer")
    filnavn: Series[str] = pa.Field(description="Filens navn i indbakken")
    modtaget: Series[pd.Timestamp] = pa.Field(description="Modtaget")
    advarsel: Series[str] = pa.Field(str_startswith="Advarsel", description="Advarslen")

    class Config:
        strict = True
        description = (
            "Én række pr. advarsel fra plausibilitetstjekket af en afleveret fil; advarsler "
            "afviser aldrig en fil."
        )


class ForventetRealisering(_Indsats):
    budgetaftale: Series[str] = pa.Field(str_matches=AFTALE, description="Budgetaftale")
    budgetteret_i_alt: Series[float] = _kr("Planlagt besparelse i hele aftalen (kr.)", False)
    realiseret_til_dato: Series[float] = _kr("Realiseret i de opgjorte år (kr.)")
    senest_opgjort: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, description="Seneste opgjorte år (evt. forventet regnskab)"
    )
    resterende_aar: Series[pd.Int64Dtype] = pa.Field(
        nullable=True, description="Aftalens år efter det seneste opgjorte"
    )
    planlagt_resterende: Series[float] = _kr(
        "Planlagte besparelser i aftalens år efter det seneste opgjorte (kr.)"
    )
    forventet_i_alt: Series[float] = _kr(
        "Forventet realiseret i alt til aftalens sidste år: realiseret til dato + de "
        "resterende års planlagte besparelser (kr.); aldrig ét års resultat fremskrevet"
    )
    forventet_afvigelse: Series[float] = _kr("Forventet i alt − budgetteret i alt (kr.)")
    forventet_af: Series[str] = pa.Field(
        isin=["budgetansvarlig", "beregnet"],
        nullable=True,
        description=(
            "Det seneste opgjorte år bygger på budgetansvarliges eget forventet regnskab "
            "for indsatsen eller det beregnede; tom når det seneste opgjorte år er afsluttet"
        ),
    )
    grundlag: Series[str] = pa.Field(
        isin=[
            "realiseret",
            "realiseret og planlagt",
            "budgetansvarlig",
            "budgetansvarlig og planlagt",
        ],
        nullable=True,
        description=(
            "Hvad det forventede bygger på: realiseret til dato (budgetansvarlig: det seneste "
            "år er budgetansvarliges forventede regnskab) og de resterende års planlagte "
            "besparelser; tom, når intet år er opgjort"
        ),
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau (år)")

    class Config:
        strict = True
        unique = ("indsats_id", "budgetaftale")
        description = (
            "Én række pr. indsats og budgetaftale: hvad indsatsen ventes at levere i alt "
            "til aftalens sidste år."
        )


class Benchmark(pa.DataFrameModel):
    kommunenr: Series[pd.Int64Dtype] = pa.Field(
        in_range={"min_value": 101, "max_value": 999},
        description="Kommunenummer fra Danmarks Statistik (fx 860)",
    )
    kommune: Series[str] = pa.Field(description="Kommune")
    omraade: Series[str] = pa.Field(isin=OMRAADER, description="Område")
    aar: Series[pd.Int64Dtype] = pa.Field(description="År")
    nettodrift: Series[float] = _kr("Nettodriftsudgifter, dranst 1 + 2, løbende priser (kr.)")
    aldersgruppe: Series[str] = pa.Field(isin=["0-17", "18-64"], description="Aldersgruppe")
    indbyggere: Series[float] = _kr("Indbyggere i aldersgruppen (1. januar)")
    kr_pr_indbygger: Series[float] = _kr("Nettodrift pr. indbygger i aldersgruppen (kr.)")
    rang: Series[pd.Int64Dtype] = pa.Field(
        ge=1,
        nullable=True,
        description="Rang blandt alle kommuner i filen (1 = lavest pr. indbygger)",
    )
    antal_kommuner: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="Antal kommuner med et tal pr. indbygger i området og året"
    )
    egen_kommune: Series[bool] = pa.Field(description="Kommunen selv")
    i_gruppen: Series[bool] = pa.Field(description="Kommunen selv eller i sammenligningsgruppen")
    rang_i_gruppen: Series[pd.Int64Dtype] = pa.Field(
        ge=1, nullable=True, description="Rang i sammenligningsgruppen med kommunen selv"
    )
    antal_i_gruppen: Series[pd.Int64Dtype] = pa.Field(
        ge=0, description="Antal kommuner i gruppen (med kommunen selv) med et tal"
    )
    gruppens_median: Series[float] = _kr("Gruppens median pr. indbygger, uden kommunen selv (kr.)")
    gruppens_nedre_kvartil: Series[float] = _kr("Gruppens nedre kvartil pr. indbygger (kr.)")
    gruppens_oevre_kvartil: Series[float] = _kr("Gruppens øvre kvartil pr. indbygger (kr.)")
    over_median_kr_pr_indbygger: Series[float] = _kr("Over gruppens median pr. indbygger (kr.)")
    over_median_kr: Series[float] = _kr(
        "Over gruppens median i alt (kr.): så meget mindre, hvis kommunen brugte som medianen"
    )
    over_nedre_kvartil_kr_pr_indbygger: Series[float] = _kr(
        "Over gruppens nedre kvartil pr. indbygger (kr.)"
    )
    over_nedre_kvartil_kr: Series[float] = _kr("Over gruppens nedre kvartil i alt (kr.)")
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau")

    class Config:
        strict = True
        unique = ("kommunenr", "omraade", "aar")
        description = (
            "Én række pr. kommune, område og år fra Danmarks Statistik: nettodrift, kroner pr. "
            "indbygger, rang og afstand til sammenligningsgruppen."
        )


class IndsatsStatus(_Indsats):
    spornavn: Series[str] = pa.Field(nullable=True, description="Sporets navn fra kataloget")
    sporansvarlig: Series[str] = pa.Field(nullable=True, description="Sporets ansvarlige")
    omraade: Series[str] = pa.Field(isin=OMRAADER, description="Område")
    udvalg: Series[str] = pa.Field(nullable=True, description="Det politiske udvalg")
    ansvarlig: Series[str] = pa.Field(nullable=True, description="Indsatslederen (ansvarlig)")
    budgetaftale: Series[str] = pa.Field(str_matches=AFTALE, description="Budgetaftale")
    budgetteret_i_alt: Series[float] = _kr("Planlagt besparelse i hele aftalen (kr.)")
    budgetteret_til_dato: Series[float] = _kr("Planlagt besparelse i de opgjorte år (kr.)")
    realiseret_til_dato: Series[float] = _kr("Realiseret besparelse i de opgjorte år (kr.)")
    maalopfyldelse: Series[float] = _kr("Realiseret / budgetteret til dato")
    status: Series[str] = pa.Field(isin=STATUS, description="grøn (≥ 95 %), gul (≥ 75 %), rød")
    kommentar: Series[str] = pa.Field(
        nullable=True, description="Indsatslederens seneste statuskommentar"
    )
    kommentar_pr: Series[pd.Timestamp] = pa.Field(
        nullable=True, description="Opfølgningen, kommentaren er givet til (sidste dag i måneden)"
    )
    begrundelse_mangler: Series[bool] = pa.Field(
        description="Rød uden en kommentar fra indsatslederen"
    )
    prisniveau: Series[str] = pa.Field(str_matches=PRISNIVEAU, description="Prisniveau (år)")

    class Config:
        strict = True
        unique = ("indsats_id", "budgetaftale")
        description = (
            "Én række pr. indsats og budgetaftale: spor, udvalg og ansvarlig, status til dato "
            "og indsatslederens kommentar; en rød indsats skal have en begrundelse."
        )


MART_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "besparelser": Besparelser,
    "investeringer": Investeringer,
    "spor_status": SporStatus,
    "indsats_status": IndsatsStatus,
    "budgetopfoelgning": Budgetopfoelgning,
    "budgetaftaler": Budgetaftaler,
    "aarsoversigt": Aarsoversigt,
    "maal": Maal,
    "leverancer": Leverancer,
    "sporbarhed": Sporbarhed,
    "opfoelgninger": Opfoelgninger,
    "besparelser_opfoelgning": BesparelserOpfoelgning,
    "opfoelgning_aendringer": OpfoelgningAendringer,
    "opmaerksomhed": Opmaerksomhed,
    "forventet_realisering": ForventetRealisering,
    "budgetbro": Budgetbro,
    "benchmark": Benchmark,
}
