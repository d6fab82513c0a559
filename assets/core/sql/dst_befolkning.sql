-- Befolkningen i alle kommuner i Danmarks Statistiks FOLK1A pr. kommune, år og
-- aldersgruppe (0-17, 18-64, 65+), fra den senest modtagne fil for hvert år og årets
-- første opgørelsestidspunkt (2024K1 = 1. januar), som i core.befolkning. Kun enkeltaldre
-- lægges sammen (aldrig 'Alder i alt'); 'Køn i alt' bruges, når filen har det, ellers
-- summen af mænd og kvinder; hele landet og regioner er ikke kommuner.
-- Navn: kommunernes befolkning (DST)
CREATE OR REPLACE TABLE core.dst_befolkning AS
WITH gaeldende AS (
    SELECT *, coalesce(maaned, 3 * kvartal - 2, 0) AS tidspunkt
    FROM raw.dst_befolkning
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY aar)
),
foerste AS (
    SELECT * FROM gaeldende
    QUALIFY tidspunkt = min(tidspunkt) OVER (PARTITION BY aar)
),
kommuner AS (
    SELECT o.geografi, k.kommunenr, k.kommune
    FROM (SELECT DISTINCT geografi FROM foerste) o
    JOIN core.kommuner k ON k.kommunenr = core.dst_kommunenr(o.geografi)
),
raekker AS (
    SELECT k.kommunenr, k.kommune, f.aar,
           TRY_CAST(regexp_extract(trim(f.alder),  -- '18', '18 år' or code and text '18 18 år'
                    '^(?:\d{1,3} )?(\d{1,3})( år)?( og derover)?$', 1) AS INTEGER) AS alder,
           core.dst_total(f.koen) AS koen_i_alt,
           f.antal, f.leverance_nr
    FROM foerste f JOIN kommuner k USING (geografi)
),
valgt AS (
    SELECT * FROM raekker
    WHERE alder IS NOT NULL
    QUALIFY koen_i_alt = max(koen_i_alt) OVER (PARTITION BY kommunenr, aar)
)
SELECT kommunenr, any_value(kommune) AS kommune, aar,
       CASE WHEN alder <= 17 THEN '0-17' WHEN alder <= 64 THEN '18-64' ELSE '65+' END
           AS aldersgruppe,
       sum(antal) AS antal, max(leverance_nr) AS leverance_nr
FROM valgt
GROUP BY ALL;
