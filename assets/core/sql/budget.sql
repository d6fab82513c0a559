-- Gældende budgetrækker: for hvert (funktion, år, budgettype, budgetaftale) gælder den
-- senest modtagne fil, der dækker det. Nøglen er funktionen, ikke området: en fil med én
-- linje på en anden funktion erstatter kun den funktions budget. Et korrigeret budget
-- hører ikke til en aftale: for det er nøglen (funktion, år), uanset om filen har en
-- budgetaftale-kolonne.
-- Navn: budget
CREATE OR REPLACE TABLE core.budget AS
WITH koblet AS (
    SELECT * EXCLUDE (k), k.omraade, k.regime
    FROM (SELECT r.*, core.kontering(r.funktion, NULL, r.aar) AS k FROM raw.budget r)
),
gaeldende AS (
    SELECT funktion, aar, budgettype,
           CASE WHEN budgettype = 'oprindeligt' THEN coalesce(budgetaftale, '') ELSE '' END
               AS aftale,
           max(leverance_nr) AS leverance_nr
    FROM koblet
    GROUP BY ALL
)
SELECT k.*
FROM koblet k
JOIN gaeldende g
  ON g.funktion = k.funktion AND g.aar = k.aar
 AND g.budgettype = k.budgettype AND g.leverance_nr = k.leverance_nr
 AND g.aftale = CASE WHEN k.budgettype = 'oprindeligt' THEN coalesce(k.budgetaftale, '') ELSE '' END;
