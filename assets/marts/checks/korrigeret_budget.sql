-- Hvert område og år har ét korrigeret budget: hver funktions korrigerede budget for året kommer
-- fra én fil (den nyeste, der dækker funktionen og året, uanset budgetaftale-kolonnen), og
-- budgetopfølgningen viser netop summen af områdets funktioner, til øren.
-- Tabel: budgetopfoelgning
-- Godkendt: Ét korrigeret budget pr. område og år.
-- Trin: Tjekker korrigeret budget i {}
WITH korrigeret AS (
    SELECT leverance_nr, funktion, aar, beloeb, omraade
    FROM (SELECT r.*, core.kontering(r.funktion, NULL, r.aar).omraade AS omraade
          FROM raw.budget r WHERE r.budgettype = 'korrigeret')
    WHERE omraade IS NOT NULL
),
latest AS (
    SELECT funktion, aar, max(leverance_nr) AS leverance_nr FROM korrigeret GROUP BY ALL
),
expected AS (
    SELECT omraade, aar, sum(beloeb) AS beloeb
    FROM korrigeret JOIN latest USING (funktion, aar, leverance_nr)
    GROUP BY ALL
),
in_core AS (
    SELECT funktion, aar, count(DISTINCT leverance_nr) AS filer
    FROM core.budget
    WHERE budgettype = 'korrigeret' AND omraade IS NOT NULL
    GROUP BY ALL
),
in_mart AS (
    SELECT omraade, aar, korrigeret_budget FROM mart.budgetopfoelgning
    WHERE korrigeret_budget IS NOT NULL
)
SELECT 'funktion ' || funktion || ' ' || aar || ': det korrigerede budget kommer fra '
       || filer || ' filer'
FROM in_core WHERE filer > 1
UNION ALL
SELECT omraade || ' ' || aar || ': korrigeret budget ' || coalesce(CAST(m.korrigeret_budget
       AS VARCHAR), 'tomt') || ' kr. i budgetopfoelgning, men '
       || coalesce(CAST(e.beloeb AS VARCHAR), 'intet')
       || ' kr. i de nyeste filer for områdets funktioner'
FROM expected e FULL JOIN in_mart m USING (omraade, aar)
WHERE e.beloeb IS DISTINCT FROM m.korrigeret_budget
