-- Befolkningen i hver målgruppe (en aldersgruppe, fx 18-64 eller 65+) pr. år: de
-- indsatsers målgrupper, kataloget angiver (tom: 0-17 for børn og unge, ellers 18-64),
-- talt af den senest modtagne befolkningsfil for året på dens første opgørelsestidspunkt
-- (som core.befolkning). Enkeltaldre og aldersgrupper, der ligger helt i målgruppen,
-- lægges sammen; går en leveret aldersgruppe over målgruppens grænse (fx 0-17 mod en
-- målgruppe 15-24), er tallet tomt, aldrig et gæt. Baseline- og aktivitetsbesparelser
-- regnes pr. indbygger i målgruppen (core.gruppe_resultat). Se docs/beregninger.md,
-- "Demografi".
-- Navn: målgruppernes befolkning
CREATE OR REPLACE TABLE core.maalgruppe_befolkning AS
WITH maalgrupper AS (
    SELECT DISTINCT coalesce(maalgruppe, CASE WHEN omraade = 'børn og unge' THEN '0-17'
                                              ELSE '18-64' END) AS maalgruppe
    FROM core.indsatser
),
graenser AS (
    SELECT maalgruppe, core.alder_fra(maalgruppe) AS fra, core.alder_til(maalgruppe) AS til
    FROM maalgrupper
),
gaeldende AS (
    SELECT *, coalesce(maaned, 3 * kvartal - 2, 0) AS tidspunkt
    FROM raw.befolkning
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY aar)
),
raekker AS (
    SELECT aar, antal,
           coalesce(alder, core.alder_fra(aldersgruppe)) AS fra,
           coalesce(alder, core.alder_til(aldersgruppe)) AS til
    FROM gaeldende
    QUALIFY tidspunkt = min(tidspunkt) OVER (PARTITION BY aar)
)
SELECT g.maalgruppe, r.aar,
       CASE WHEN NOT bool_or(r.fra <= g.til AND r.til >= g.fra
                             AND NOT (r.fra >= g.fra AND r.til <= g.til))
            THEN sum(r.antal) FILTER (WHERE r.fra >= g.fra AND r.til <= g.til) END AS antal
FROM graenser g CROSS JOIN raekker r
GROUP BY ALL;
