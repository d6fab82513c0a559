-- Befolkning pr. år og aldersgruppe (0-17, 18-64, 65+) fra den senest modtagne fil for
-- hvert år. Enkeltaldre lægges sammen i grupperne. Et år har ét opgørelsestidspunkt: har
-- filen kvartaler (Danmarks Statistiks FOLK1A: 2024K1 = 1. januar) eller måneder, bruges
-- årets første, aldrig en sum over året.
-- Navn: befolkning
CREATE OR REPLACE TABLE core.befolkning AS
WITH gaeldende AS (
    SELECT *, coalesce(maaned, 3 * kvartal - 2, 0) AS tidspunkt
    FROM raw.befolkning
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY aar)
),
foerste AS (
    SELECT * FROM gaeldende
    QUALIFY tidspunkt = min(tidspunkt) OVER (PARTITION BY aar)
)
SELECT aar,
       coalesce(aldersgruppe, CASE WHEN alder <= 17 THEN '0-17'
                                   WHEN alder <= 64 THEN '18-64' ELSE '65+' END) AS aldersgruppe,
       sum(antal) AS antal,
       max(leverance_nr) AS leverance_nr
FROM foerste
GROUP BY ALL;
