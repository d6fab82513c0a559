-- En krone tælles kun én gang: en funktion, hvis forbrug en gruppe måler (en gruppe med en budget-
-- eller baseline-indsats måler alle sine indsatsers funktioner), og en aktivitetsindikator (område
-- og indikator) hører til én gruppe, uanset metode; for hver gruppe og år er indsatsernes
-- realiserede besparelser tilsammen højst gruppens eget mål; alle aftalers rækker viser samme
-- realiserede besparelse for et år.
-- Tabel: besparelser
-- Godkendt: Hver krone er tildelt én gang.
-- Trin: Tjekker tildelingen i {}
WITH spending_groups AS (
    SELECT g.gruppe
    FROM core.indsats_grupper g JOIN core.indsatser i USING (indsats_id)
    GROUP BY g.gruppe
    HAVING bool_or(i.metode IN ('budget', 'baseline'))
),
spending_functions AS (
    -- a group with a budget or baseline initiative measures the spending on every function
    -- its initiatives sit on, whatever the method of the one on the function
    SELECT DISTINCT f.funktion
    FROM core.indsats_funktioner f JOIN core.indsats_grupper g USING (indsats_id)
    WHERE g.gruppe IN (SELECT gruppe FROM spending_groups)
),
per_initiative AS (
    SELECT indsats_id, aar, min(realiseret_besparelse) AS lo, max(realiseret_besparelse) AS hi
    FROM mart.besparelser
    GROUP BY ALL
),
attributed AS (
    SELECT g.gruppe, p.aar, sum(p.hi) AS tildelt, count(p.hi) AS n
    FROM per_initiative p JOIN core.indsats_grupper g USING (indsats_id)
    GROUP BY ALL
),
measure AS (
    SELECT r.gruppe, r.aar, core.kr(r.resultat * core.prisfaktor(r.regime, r.aar, n.aar)) AS maal
    FROM core.gruppe_resultat r CROSS JOIN core.prisniveau n
)
SELECT 'funktion ' || f.funktion || ' er delt mellem grupperne '
       || string_agg(DISTINCT g.gruppe, ', ' ORDER BY g.gruppe)
FROM core.indsats_funktioner f JOIN core.indsats_grupper g USING (indsats_id)
WHERE f.funktion IN (SELECT funktion FROM spending_functions)
GROUP BY f.funktion
HAVING count(DISTINCT g.gruppe) > 1
UNION ALL
SELECT 'indikator ' || i.aktivitetsindikator || ' (' || i.omraade || ') er delt mellem '
       || 'grupperne ' || string_agg(DISTINCT g.gruppe, ', ' ORDER BY g.gruppe)
FROM core.indsatser i JOIN core.indsats_grupper g USING (indsats_id)
WHERE i.metode = 'aktivitet'
GROUP BY i.aktivitetsindikator, i.omraade
HAVING count(DISTINCT g.gruppe) > 1
UNION ALL
SELECT 'indsats ' || indsats_id || ' er ikke i nogen gruppe'
FROM core.indsatser ANTI JOIN core.indsats_grupper USING (indsats_id)
UNION ALL
SELECT 'indsats ' || indsats_id || ' ' || aar || ' har forskellig realiseret besparelse i '
       || 'de to aftaler: ' || lo || ' og ' || hi || ' kr.'
FROM per_initiative WHERE lo IS DISTINCT FROM hi
UNION ALL
SELECT 'gruppe ' || a.gruppe || ' ' || a.aar || ': indsatserne er tildelt ' || a.tildelt
       || ' kr., men gruppens eget mål er ' || coalesce(CAST(m.maal AS VARCHAR), 'tomt')
FROM attributed a LEFT JOIN measure m USING (gruppe, aar)
WHERE a.n > 0 AND (m.maal IS NULL OR a.tildelt > m.maal + 0.01 * a.n)
