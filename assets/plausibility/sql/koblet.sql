-- The delivered spending rows with their område from the kontoplan in force (the same
-- rule as core.forbrug, resolved once per function, grouping and year, not once per row);
-- amounts as whole øre, so every total is exact. A table, not a view: both queries after
-- it read it, and a million rows are joined once.
CREATE OR REPLACE TEMP TABLE koblet AS
WITH noegler AS (
    SELECT DISTINCT funktion, gruppering, aar FROM indkommende
),
kobling AS (
    SELECT n.*, k.omraade
    FROM noegler n
    LEFT JOIN kontoplan k
      ON k.funktion = n.funktion
     AND (k.gruppering IS NULL OR k.gruppering = n.gruppering)
     AND n.aar BETWEEN coalesce(k.fra_aar, 0) AND coalesce(k.til_aar, 9999)
    QUALIFY row_number() OVER (
        PARTITION BY n.funktion, n.gruppering, n.aar ORDER BY k.gruppering NULLS LAST) = 1
)
SELECT i.kilde_ark, i.kilde_raekke, i.funktion, i.dranst, i.aar, i.maaned,
       CAST(round(i.beloeb * 100) AS BIGINT) AS oere, k.omraade
FROM indkommende i
LEFT JOIN kobling k
  ON k.funktion IS NOT DISTINCT FROM i.funktion AND k.aar IS NOT DISTINCT FROM i.aar
 AND k.gruppering IS NOT DISTINCT FROM i.gruppering;
