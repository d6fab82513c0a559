-- Gældende forbrugsrækker efter erstatningsreglen: for hvert (område, år, måned) gælder
-- rækkerne fra den senest modtagne fil, der dækker det. Funktioner uden for kontoplanen
-- beholdes med område NULL.
CREATE OR REPLACE TABLE core.forbrug AS
WITH koblet AS (
    SELECT r.*, k.omraade, k.regime
    FROM raw.forbrug r
    LEFT JOIN core.kontoplan k
      ON k.funktion = r.funktion
     AND (k.gruppering IS NULL OR k.gruppering = r.gruppering)
     AND r.aar BETWEEN coalesce(k.fra_aar, 0) AND coalesce(k.til_aar, 9999)
    QUALIFY row_number() OVER (
        PARTITION BY r.leverance_nr, r.kilde_ark, r.kilde_raekke
        ORDER BY k.gruppering NULLS LAST) = 1
),
gaeldende AS (
    SELECT coalesce(omraade, '') AS noegle, aar, maaned, max(leverance_nr) AS leverance_nr
    FROM koblet
    GROUP BY ALL
)
SELECT k.*
FROM koblet k
JOIN gaeldende g
  ON g.noegle = coalesce(k.omraade, '') AND g.aar = k.aar AND g.maaned = k.maaned
 AND g.leverance_nr = k.leverance_nr;
