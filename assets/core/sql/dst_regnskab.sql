-- Kommunernes regnskaber og budgetter fra Danmarks Statistik (REGK31/BUDK32) pr. kommune,
-- funktion, dranst og år, fra den senest modtagne fil for hvert år. Koder og tekster
-- læses ens ('860' = '860 Hjørring' = 'Hjørring'); 'Løbende priser (1.000 kr.)' ganges
-- med 1000, 'Kr. pr. indbygger' beholdes som kroner pr. indbygger. Kun kommuner tælles
-- (ikke hele landet eller regioner), kun hele funktioner (5.38.50, ikke 5.38 eller 5), og
-- arten 'I alt' bruges, når filen har den, ellers summen af arterne: en total lægges
-- aldrig til sine dele.
-- Navn: kommunernes regnskaber (DST)
CREATE OR REPLACE TABLE core.dst_regnskab AS
WITH gaeldende AS (
    SELECT * FROM raw.dst_regnskab
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY aar)
),
kommuner AS (
    SELECT o.geografi, k.kommunenr, k.kommune
    FROM (SELECT DISTINCT geografi FROM gaeldende) o
    JOIN core.kommuner k ON k.kommunenr = core.dst_kommunenr(o.geografi)
),
raekker AS (
    SELECT k.kommunenr, k.kommune, g.aar,
           regexp_replace(regexp_extract(trim(g.funktion), '^(\d\.?\d{2}\.?\d{2})\b', 1),
                          '^(\d)\.?(\d{2})\.?(\d{2})$', '\1.\2.\3') AS funktion,
           TRY_CAST(regexp_extract(trim(g.dranst), '^(\d)\b', 1) AS INTEGER) AS dranst,
           core.dst_total(g.art) AS art_i_alt,
           CASE WHEN regexp_matches(lower(g.prisenhed), 'pr\.?\s*indbygger|^indl\b')
                THEN 'kr. pr. indbygger'
                WHEN regexp_matches(lower(g.prisenhed), '1[.\s]?000\s*kr|^lobm\b') THEN 'kr.'
           END AS enhed,
           g.indhold * CASE WHEN regexp_matches(lower(g.prisenhed), '1[.\s]?000\s*kr|^lobm\b')
                            THEN 1000 ELSE 1 END AS vaerdi,
           g.leverance_nr
    FROM gaeldende g JOIN kommuner k USING (geografi)
),
valgt AS (
    SELECT * FROM raekker
    WHERE funktion <> '' AND dranst IS NOT NULL AND enhed IS NOT NULL
    QUALIFY art_i_alt = max(art_i_alt) OVER (PARTITION BY kommunenr, aar, funktion, dranst, enhed)
)
SELECT kommunenr, any_value(kommune) AS kommune, aar, funktion, dranst, enhed,
       core.kr(sum(vaerdi)) AS beloeb, max(leverance_nr) AS leverance_nr
FROM valgt
GROUP BY kommunenr, aar, funktion, dranst, enhed;
