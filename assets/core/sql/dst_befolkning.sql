-- Befolkningen i alle kommuner i Danmarks Statistiks FOLK1A pr. kommune, år og
-- aldersgruppe (0-17, 18-64, 65+). Erstatning pr. (kommune, år): den senest modtagne fil
-- med tal for netop den kommune og det år gælder, så filer for forskellige kommuner og år
-- lægges sammen; af dens tal bruges årets første opgørelsestidspunkt (2024K1 = 1. januar),
-- som i core.befolkning. Kun enkeltaldre lægges sammen (aldrig 'Alder i alt'); 'Køn i
-- alt' bruges, når filen har det, ellers summen af mænd og kvinder; hele landet og
-- regioner er ikke kommuner. Mangler en alder ('..'), er aldersgruppen tom.
-- Navn: kommunernes befolkning (DST)
CREATE OR REPLACE TABLE core.dst_befolkning AS
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
raekker AS (
    SELECT f.kommunenr, k.kommune, f.aar,
           TRY_CAST(regexp_extract(trim(f.alder),  -- '18', '18 år' or code and text '18 18 år'
                    '^(?:\d{1,3} )?(\d{1,3})( år)?( og derover)?$', 1) AS INTEGER) AS alder,
           core.dst_total(f.koen) AS koen_i_alt,
           f.antal, f.leverance_nr
    FROM foerste f JOIN core.kommuner k USING (kommunenr)
),
valgt AS (
    SELECT * FROM raekker
    WHERE alder IS NOT NULL
    QUALIFY koen_i_alt = max(koen_i_alt) OVER (PARTITION BY kommunenr, aar)
)
SELECT kommunenr, any_value(kommune) AS kommune, aar,
       CASE WHEN alder <= 17 THEN '0-17' WHEN alder <= 64 THEN '18-64' ELSE '65+' END
           AS aldersgruppe,
       CASE WHEN count(*) = count(antal) THEN sum(antal) END AS antal,
       max(leverance_nr) AS leverance_nr
FROM valgt
GROUP BY ALL;
