-- Danmarks Statistiks befolkningsrækker (FOLK1A), som de bruges: én række pr. enkeltalder
-- i den gældende fil for (kommune, år), med aldersgruppe (0-17, 18-64, 65+) og filens ark
-- og række. Erstatning pr. (kommune, år): den senest modtagne fil med tal for netop den
-- kommune og det år gælder, så filer for forskellige kommuner og år lægges sammen; af dens
-- tal bruges årets første opgørelsestidspunkt (2024K1 = 1. januar), som i core.befolkning.
-- Kun enkeltaldre (aldrig 'Alder i alt'); 'Køn i alt' bruges, når filen har det, ellers
-- mænd og kvinder; hele landet og regioner er ikke kommuner. core.dst_befolkning lægger
-- rækkerne sammen; mart.sporbarhed peger på dem.
-- Navn: kommunernes befolkningsrækker (DST)
CREATE OR REPLACE TABLE core.dst_befolkning_raekker AS
WITH omraader AS (
    SELECT geografi, core.dst_kommunenr(geografi) AS kommunenr
    FROM (SELECT DISTINCT geografi FROM raw.dst_befolkning)
),
gaeldende AS (
    SELECT r.*, o.kommunenr, coalesce(r.maaned, 3 * r.kvartal - 2, 0) AS tidspunkt
    FROM raw.dst_befolkning r JOIN omraader o USING (geografi)
    WHERE o.kommunenr IS NOT NULL
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY o.kommunenr, r.aar)
),
foerste AS (
    SELECT * FROM gaeldende
    QUALIFY tidspunkt = min(tidspunkt) OVER (PARTITION BY kommunenr, aar)
),
-- the texts are read once per distinct value (about 200 ages, 3 sexes), not per row
aldre AS (
    SELECT alder AS tekst,
           TRY_CAST(regexp_extract(trim(alder),  -- '18', '18 år' or code and text '18 18 år'
                    '^(?:\d{1,3} )?(\d{1,3})( år)?( og derover)?$', 1) AS INTEGER) AS alder
    FROM (SELECT DISTINCT alder FROM raw.dst_befolkning)
),
koen AS (
    SELECT koen AS tekst, core.dst_total(koen) AS i_alt
    FROM (SELECT DISTINCT koen FROM raw.dst_befolkning)
),
raekker AS (
    SELECT f.kommunenr, k.kommune, f.aar, a.alder, s.i_alt AS koen_i_alt,
           f.antal, f.leverance_nr, f.kilde_ark, f.kilde_raekke
    FROM foerste f
    JOIN core.kommuner k USING (kommunenr)
    LEFT JOIN aldre a ON a.tekst = f.alder
    LEFT JOIN koen s ON s.tekst = f.koen
),
valgt AS (
    SELECT * FROM raekker
    WHERE alder IS NOT NULL
    QUALIFY koen_i_alt = max(koen_i_alt) OVER (PARTITION BY kommunenr, aar)
)
SELECT kommunenr, kommune, aar,
       CASE WHEN alder <= 17 THEN '0-17' WHEN alder <= 64 THEN '18-64' ELSE '65+' END
           AS aldersgruppe,
       antal, leverance_nr, kilde_ark, kilde_raekke
FROM valgt;
