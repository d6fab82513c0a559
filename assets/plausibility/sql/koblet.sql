-- The delivered spending rows with their område from the kontoplan in force (the same
-- rule as core.forbrug); amounts as whole øre, so every total is exact.
CREATE OR REPLACE TEMP VIEW koblet AS
SELECT i.kilde_ark, i.kilde_raekke, i.funktion, i.dranst, i.aar, i.maaned,
       CAST(round(i.beloeb * 100) AS BIGINT) AS oere, k.omraade
FROM indkommende i
LEFT JOIN kontoplan k
  ON k.funktion = i.funktion
 AND (k.gruppering IS NULL OR k.gruppering = i.gruppering)
 AND i.aar BETWEEN coalesce(k.fra_aar, 0) AND coalesce(k.til_aar, 9999)
QUALIFY row_number() OVER (
    PARTITION BY i.kilde_ark, i.kilde_raekke ORDER BY k.gruppering NULLS LAST) = 1;
