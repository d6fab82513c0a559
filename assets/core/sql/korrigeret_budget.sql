-- Det korrigerede budget pr. område og år. Bruges af budgetopfølgningen og årsoversigten.
-- Navn: korrigeret budget
CREATE OR REPLACE TABLE core.korrigeret_budget AS
SELECT omraade, aar, sum(beloeb) AS beloeb
FROM core.budget
WHERE budgettype = 'korrigeret' AND omraade IS NOT NULL
GROUP BY ALL;
