-- Kommunernes regnskaber (REGK31) og budgetter (BUDK32) fra Danmarks Statistik pr. tabel,
-- kommune, funktion, dranst og år. Erstatning pr. (tabel, kommune, år): den senest
-- modtagne fil med tal for netop den kommune og det år gælder, så filer for forskellige
-- kommuner og år lægges sammen. Koder og tekster læses ens ('860' = '860 Hjørring' =
-- 'Hjørring'); 'Løbende priser (1.000 kr.)' ganges med 1000, 'Kr. pr. indbygger' beholdes
-- som kroner pr. indbygger. Kun kommuner tælles (ikke hele landet eller regioner), kun
-- hele funktioner (5.38.50, ikke 5.38 eller 5), og arten 'I alt' bruges, når filen har
-- den, ellers summen af arterne: en total lægges aldrig til sine dele. Mangler en del
-- ('..'), er beløbet tomt, aldrig en delsum.
-- Navn: kommunernes regnskaber (DST)
CREATE OR REPLACE TABLE core.dst_regnskab AS
WITH omraader AS (
    SELECT geografi, core.dst_kommunenr(geografi) AS kommunenr
    FROM (SELECT DISTINCT geografi FROM raw.dst_regnskab)
),
gaeldende AS (
    SELECT r.*, o.kommunenr, coalesce(r.tabel, 'REGK31') AS dst_tabel
    FROM raw.dst_regnskab r JOIN omraader o USING (geografi)
    WHERE o.kommunenr IS NOT NULL
    QUALIFY leverance_nr = max(leverance_nr)
        OVER (PARTITION BY coalesce(r.tabel, 'REGK31'), o.kommunenr, r.aar)
),
raekker AS (
    SELECT g.dst_tabel AS tabel, g.kommunenr, k.kommune, g.aar,
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
    FROM gaeldende g JOIN core.kommuner k USING (kommunenr)
),
valgt AS (
    SELECT * FROM raekker
    WHERE funktion <> '' AND dranst IS NOT NULL AND enhed IS NOT NULL
    QUALIFY art_i_alt = max(art_i_alt)
        OVER (PARTITION BY tabel, kommunenr, aar, funktion, dranst, enhed)
)
SELECT tabel, kommunenr, any_value(kommune) AS kommune, aar, funktion, dranst, enhed,
       CASE WHEN count(*) = count(vaerdi) THEN core.kr(sum(vaerdi)) END AS beloeb,
       max(leverance_nr) AS leverance_nr
FROM valgt
GROUP BY tabel, kommunenr, aar, funktion, dranst, enhed;
