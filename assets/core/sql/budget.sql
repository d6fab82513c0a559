-- Gældende budgetrækker: for hvert (område, år, budgettype, budgetaftale) gælder den
-- senest modtagne fil, der dækker det.
CREATE OR REPLACE TABLE core.budget AS
WITH koblet AS (
    SELECT r.*, k.omraade, k.regime
    FROM raw.budget r
    LEFT JOIN core.kontoplan k
      ON k.funktion = r.funktion AND k.gruppering IS NULL
     AND r.aar BETWEEN coalesce(k.fra_aar, 0) AND coalesce(k.til_aar, 9999)
),
gaeldende AS (
    SELECT coalesce(omraade, '') AS noegle, aar, budgettype, coalesce(budgetaftale, '') AS aftale,
           max(leverance_nr) AS leverance_nr
    FROM koblet
    GROUP BY ALL
)
SELECT k.*
FROM koblet k
JOIN gaeldende g
  ON g.noegle = coalesce(k.omraade, '') AND g.aar = k.aar AND g.budgettype = k.budgettype
 AND g.aftale = coalesce(k.budgetaftale, '') AND g.leverance_nr = k.leverance_nr;
