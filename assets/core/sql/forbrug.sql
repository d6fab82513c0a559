-- Gældende forbrugsrækker efter erstatningsreglen: for hvert (område, år, måned) gælder
-- rækkerne fra den senest modtagne fil, der dækker det. Funktioner uden for kontoplanen
-- beholdes med område NULL; for dem er funktionen nøglen i stedet for området, så en fils
-- rækker uden for kontoplanen kun erstatter ældre rækker på samme funktion og måned.
-- Navn: forbrug
CREATE OR REPLACE TABLE core.forbrug AS
WITH noegler AS (
    -- the mapping is resolved once per function, grouping and year, not once per row
    SELECT DISTINCT funktion, gruppering, aar FROM raw.forbrug
),
kobling AS (
    SELECT * EXCLUDE (k), k.omraade, k.regime
    FROM (SELECT n.*, core.kontering(n.funktion, n.gruppering, n.aar) AS k FROM noegler n)
),
koblet AS (
    SELECT r.*, k.omraade, k.regime
    FROM raw.forbrug r
    JOIN kobling k
      ON k.funktion = r.funktion AND k.aar = r.aar
     AND k.gruppering IS NOT DISTINCT FROM r.gruppering
),
gaeldende AS (
    SELECT coalesce(omraade, funktion) AS noegle, aar, maaned,
           max(leverance_nr) AS leverance_nr
    FROM koblet
    GROUP BY ALL
)
SELECT k.*
FROM koblet k
JOIN gaeldende g
  ON g.noegle = coalesce(k.omraade, k.funktion) AND g.aar = k.aar AND g.maaned = k.maaned
 AND g.leverance_nr = k.leverance_nr;
