-- Danmarks Statistiks regnskabs- og budgetrækker (REGK31, BUDK32), som de bruges: én række
-- pr. række i den gældende fil for (tabel, kommune, år), med kommunenummer, funktion,
-- dranst, enhed og værdi i kroner læst ud af koder og tekster, og filens ark og række.
-- Erstatning pr. (tabel, kommune, år): den senest modtagne fil med tal for netop den
-- kommune og det år gælder, så filer for forskellige kommuner og år lægges sammen. Koder og
-- tekster læses ens ('860' = '860 Hjørring' = 'Hjørring'); 'Løbende priser (1.000 kr.)'
-- ganges med 1000, 'Kr. pr. indbygger' beholdes som kroner pr. indbygger. Kun kommuner
-- (ikke hele landet eller regioner), kun hele funktioner (5.38.50, ikke 5.38 eller 5), og
-- arten 'I alt', når filen har den, ellers alle arterne: en total lægges aldrig til sine
-- dele. core.dst_regnskab lægger rækkerne sammen; mart.sporbarhed peger på dem.
-- Navn: kommunernes regnskabsrækker (DST)
CREATE OR REPLACE TABLE core.dst_regnskab_raekker AS
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
           g.leverance_nr, g.kilde_ark, g.kilde_raekke
    FROM gaeldende g JOIN core.kommuner k USING (kommunenr)
),
valgt AS (
    SELECT * FROM raekker
    WHERE funktion <> '' AND dranst IS NOT NULL AND enhed IS NOT NULL
    QUALIFY art_i_alt = max(art_i_alt)
        OVER (PARTITION BY tabel, kommunenr, aar, funktion, dranst, enhed)
)
SELECT tabel, kommunenr, kommune, aar, funktion, dranst, enhed, vaerdi, leverance_nr,
       kilde_ark, kilde_raekke
FROM valgt;
