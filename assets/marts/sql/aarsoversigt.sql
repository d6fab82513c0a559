-- Årsoversigt pr. område og år: nettoforbrug i løbende og faste priser (for et år, der
-- ikke er afsluttet: forventet regnskab), ændring fra året før i faste priser (år t − 1;
-- tom, når det år ikke har data), og forbrug pr. indbygger (0-17-årige for børn og unge,
-- 18-64-årige for voksenområderne), når befolkningstal er leveret. Et år, der ikke er
-- slut, tæller med de budgetansvarliges eget forventet regnskab, hvor det findes
-- (core.forventet_regnskab, som i budgetopfølgningen).
-- Navn: årsoversigt
CREATE OR REPLACE TABLE mart.aarsoversigt AS
WITH niveau AS (SELECT aar AS pl, prisniveau FROM core.prisniveau),
beregnet AS (
    SELECT omraade, any_value(regime) AS regime, aar, sum(forventet_regnskab) AS loebende,
           bool_or(opgjort_som = 'forventet') AS forventet
    FROM core.forbrug_aar
    GROUP BY omraade, aar
),
aar AS (
    SELECT a.omraade, a.regime, a.aar,
           CASE WHEN a.forventet THEN coalesce(h.forventet_regnskab, a.loebende)
                ELSE a.loebende END AS loebende,
           a.forventet
    FROM beregnet a
    LEFT JOIN core.forventet_regnskab h
      ON h.omraade = a.omraade AND h.aar = a.aar AND h.indsats_id IS NULL
),
faste AS (
    SELECT a.*, core.kr(a.loebende * core.prisfaktor(a.regime, a.aar, n.pl)) AS faste,
           CASE WHEN a.omraade = 'børn og unge' THEN '0-17' ELSE '18-64' END AS aldersgruppe,
           n.prisniveau
    FROM aar a CROSS JOIN niveau n
)
SELECT f.omraade, f.aar,
       f.loebende AS nettoforbrug_loebende_priser,
       f.faste AS nettoforbrug_faste_priser,
       f.faste - foer.faste AS aendring_kr,
       round(100 * (f.faste - foer.faste) / nullif(foer.faste, 0), 2) AS aendring_pct,
       f.aldersgruppe,
       b.antal AS indbyggere,
       core.kr(f.faste / nullif(b.antal, 0)) AS forbrug_pr_indbygger,
       CASE WHEN f.forventet THEN 'forventet' ELSE 'regnskab' END AS opgjort_som,
       f.prisniveau
FROM faste f
LEFT JOIN faste foer ON foer.omraade = f.omraade AND foer.aar = f.aar - 1
LEFT JOIN core.befolkning b ON b.aar = f.aar AND b.aldersgruppe = f.aldersgruppe
ORDER BY f.omraade, f.aar;
