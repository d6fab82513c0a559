-- Budgetterede investeringer pr. indsats, budgetaftale og år mod det forbrug, der er
-- bogført på indsatsens eget ansvarssted (nettoforbrug, alle funktioner), i ét prisniveau.
-- For et år, der ikke er afsluttet, er forbruget år til dato, og forventet_investering er
-- det fremskrevet til helår (år til dato × 12 / måneder med data), så nettoeffekten
-- sammenligner helår med helår.
-- Navn: investeringer
CREATE OR REPLACE TABLE mart.investeringer AS
WITH niveau AS (SELECT aar AS pl, prisniveau FROM core.prisniveau),
horisont AS (
    -- the months delivered for the year, whichever ansvarssted they are booked on
    SELECT aar, max(maaned) AS opgjort_til FROM core.forbrug GROUP BY aar
),
forbrugt AS (
    SELECT i.indsats_id, f.aar, sum(f.beloeb) AS beloeb
    FROM core.indsatser i
    JOIN core.forbrug f ON f.ansvarssted = i.ansvarssted
    WHERE core.netto(f.dranst)
    GROUP BY ALL
),
budgetteret AS (
    SELECT indsats_id, budgetaftale, aar, investering AS beloeb, investering_katalog AS katalog
    FROM core.planlagt_i_prisniveau
)
SELECT i.spor, i.indsats_id, i.indsats, i.omraade, b.budgetaftale, b.aar,
       core.kr(coalesce(b.beloeb, 0)) AS budgetteret_investering,
       core.kr(f.beloeb * core.prisfaktor(i.regime, b.aar, n.pl)) AS forbrugt_investering,
       core.kr(f.beloeb * 12 / h.opgjort_til * core.prisfaktor(i.regime, b.aar, n.pl))
           AS forventet_investering,
       CASE WHEN f.beloeb IS NULL THEN NULL
            WHEN h.opgjort_til = 12 THEN 'regnskab' ELSE 'år til dato' END AS opgjort_som,
       n.prisniveau, CASE WHEN n.pl IS NULL THEN b.katalog END AS katalogets_prisniveau
FROM budgetteret b
JOIN core.indsatser i USING (indsats_id)
CROSS JOIN niveau n
LEFT JOIN forbrugt f ON f.indsats_id = b.indsats_id AND f.aar = b.aar
LEFT JOIN horisont h ON h.aar = b.aar
ORDER BY i.spor, i.indsats_id, b.budgetaftale, b.aar;
