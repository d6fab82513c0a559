-- Gældende forbrugsrækker efter erstatningsreglen: for hvert (funktion, år, måned) gælder
-- rækkerne fra den senest modtagne fil, der dækker det. Nøglen er funktionen, ikke
-- området: en fil med én forkert linje på en anden funktion erstatter kun den funktions
-- måned, aldrig et helt områdes. Funktioner uden for kontoplanen beholdes med område NULL.
-- Posteringstekst, art og gruppering står kun i raw.forbrug (samme leverance_nr, kilde_ark
-- og kilde_raekke): ingen mart læser dem.
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
gaeldende AS (
    -- the newest delivery per function and month, from the few hundred (function, year,
    -- month, delivery) combinations: the rows themselves are read once, below
    SELECT funktion, aar, maaned, max(leverance_nr) AS leverance_nr
    FROM (SELECT DISTINCT funktion, aar, maaned, leverance_nr FROM raw.forbrug)
    GROUP BY ALL
)
-- the columns the marts, checks and reports read: a column left out is not written, and
-- writing text columns is most of this table's cost over millions of rows
SELECT r.* EXCLUDE (art, gruppering, tekst), k.omraade, k.regime
FROM raw.forbrug r
JOIN kobling k
  ON k.funktion = r.funktion AND k.aar = r.aar
 AND k.gruppering IS NOT DISTINCT FROM r.gruppering
JOIN gaeldende g
  ON g.funktion = r.funktion AND g.aar = r.aar AND g.maaned = r.maaned
 AND g.leverance_nr = r.leverance_nr;
