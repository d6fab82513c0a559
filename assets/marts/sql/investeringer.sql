-- Budgetterede investeringer pr. indsats, budgetaftale og år mod det forbrug, der er
-- bogført på indsatsens eget ansvarssted (nettoforbrug, alle funktioner), i ét prisniveau.
-- For et år, der ikke er afsluttet, er forbruget år til dato, og forventet_investering er
-- det fremskrevet til helår (år til dato × 12 / måneder med data for indsatsens område),
-- så nettoeffekten sammenligner helår med helår. Hvert område har sin egen horisont: et
-- andet områdes senere måned flytter ikke fremskrivningen. Har området intet forbrug for
-- året, er horisonten den sidste måned bogført på indsatsens ansvarssted.
-- Navn: investeringer
CREATE OR REPLACE TABLE mart.investeringer AS
WITH niveau AS (SELECT aar AS pl, prisniveau FROM core.prisniveau),
horisont AS (
    -- the months delivered for the område and year (core.forbrug_aar's horizon)
    SELECT omraade, aar, max(opgjort_til) AS opgjort_til FROM core.forbrug_aar GROUP BY ALL
),
forbrugt AS (
    SELECT i.indsats_id, f.aar, sum(f.beloeb) AS beloeb, max(f.maaned) AS sidste_maaned
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
       core.kr(f.beloeb * 12 / coalesce(h.opgjort_til, f.sidste_maaned)
               * core.prisfaktor(i.regime, b.aar, n.pl)) AS forventet_investering,
       CASE WHEN f.beloeb IS NULL THEN NULL
            WHEN coalesce(h.opgjort_til, f.sidste_maaned) = 12 THEN 'regnskab'
            ELSE 'år til dato' END AS opgjort_som,
       n.prisniveau, CASE WHEN n.pl IS NULL THEN b.katalog END AS katalogets_prisniveau
FROM budgetteret b
JOIN core.indsatser i USING (indsats_id)
CROSS JOIN niveau n
LEFT JOIN forbrugt f ON f.indsats_id = b.indsats_id AND f.aar = b.aar
LEFT JOIN horisont h ON h.omraade = i.omraade AND h.aar = b.aar
ORDER BY i.spor, i.indsats_id, b.budgetaftale, b.aar;
