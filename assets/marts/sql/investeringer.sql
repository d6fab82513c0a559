-- Budgetterede investeringer pr. indsats, budgetaftale og år mod det forbrug, der er
-- bogført på indsatsens eget ansvarssted (nettoforbrug, alle funktioner), i ét prisniveau.
-- For et år, der ikke er afsluttet, er forbruget år til dato.
CREATE OR REPLACE TABLE mart.investeringer AS
WITH niveau AS (SELECT aar AS pl, prisniveau FROM core.prisniveau),
forbrugt AS (
    SELECT i.indsats_id, f.aar, sum(f.beloeb) AS beloeb, max(f.maaned) AS opgjort_til
    FROM core.indsatser i
    JOIN core.forbrug f ON f.ansvarssted = i.ansvarssted
    WHERE f.dranst IS NULL OR f.dranst IN (1, 2)
    GROUP BY ALL
),
budgetteret AS (
    SELECT o.indsats_id, o.budgetaftale, o.aar,
           sum(o.beloeb * core.prisfaktor(i.regime, o.prisniveau, coalesce(n.pl, o.prisniveau)))
               FILTER (WHERE o.type = 'investering') AS beloeb
    FROM core.indsats_oekonomi o
    JOIN core.indsatser i USING (indsats_id)
    CROSS JOIN niveau n
    GROUP BY ALL
)
SELECT i.spor, i.indsats_id, i.indsats, i.omraade, b.budgetaftale, b.aar,
       core.kr(coalesce(b.beloeb, 0)) AS budgetteret_investering,
       core.kr(f.beloeb * core.prisfaktor(i.regime, b.aar, n.pl)) AS forbrugt_investering,
       CASE WHEN f.opgjort_til = 12 THEN 'regnskab'
            WHEN f.opgjort_til IS NOT NULL THEN 'år til dato' END AS opgjort_som,
       n.prisniveau
FROM budgetteret b
JOIN core.indsatser i USING (indsats_id)
CROSS JOIN niveau n
LEFT JOIN forbrugt f ON f.indsats_id = b.indsats_id AND f.aar = b.aar
ORDER BY i.spor, i.indsats_id, b.budgetaftale, b.aar;
