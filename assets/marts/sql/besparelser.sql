-- Budgetterede og realiserede besparelser pr. indsats, budgetaftale og år, i ét
-- prisniveau. Indsatser med fælles funktioner eller indikator udgør en gruppe
-- (core.indsats_grupper), hvis resultat er målt én gang (core.gruppe_resultat, maalt_med
-- siger hvordan) og fordelt i forhold til indsatsernes planlagte besparelser i den
-- gældende aftale (ligeligt, når intet er planlagt), så en krone kun tælles én gang.
-- Baseline og aktivitet måles pr. indbygger i målgruppen gange årets befolkning, når
-- befolkningen er leveret (demografireguleret; realiseret_besparelse er da den), og
-- ikke_demografireguleret er tallet uden. Målt med budgetmetoden er kun det sidste
-- udfyldt: dens demografi står i referencen (korrektioner af typen demografi).
-- Se docs/beregninger.md for formler og et regneeksempel.
-- Navn: besparelser
CREATE OR REPLACE TABLE mart.besparelser AS
WITH
niveau AS (SELECT aar AS pl, prisniveau FROM core.prisniveau),
planlagt AS (
    SELECT indsats_id, budgetaftale, aar, besparelse AS i_prisniveau,
           besparelse_katalog AS katalog
    FROM core.planlagt_i_prisniveau
),
andel AS (
    SELECT g.indsats_id, r.aar, r.gruppe, r.maalemetode, r.regime, r.resultat, r.opgjort_som,
           r.forventet_af, r.demografireguleret, r.ikke_demografireguleret,
           CASE WHEN r.planlagt_i_kraft <> 0
                THEN coalesce(k.besparelse, 0) / r.planlagt_i_kraft
                ELSE 1.0 / count(*) OVER (PARTITION BY r.gruppe, r.aar) END AS andel
    FROM core.indsats_grupper g
    JOIN core.gruppe_resultat r USING (gruppe)
    LEFT JOIN core.planlagt_i_kraft k ON k.indsats_id = g.indsats_id AND k.aar = r.aar
),
tal AS (
    SELECT i.spor, i.indsats_id, i.indsats, i.omraade, i.metode, p.budgetaftale, p.aar,
           core.kr(coalesce(p.i_prisniveau, 0)) AS budgetteret_besparelse,
           core.kr(a.andel * a.resultat * core.prisfaktor(a.regime, p.aar, n.pl))
               AS realiseret_besparelse,
           core.kr(a.andel * a.demografireguleret * core.prisfaktor(a.regime, p.aar, n.pl))
               AS demografireguleret,
           core.kr(a.andel * a.ikke_demografireguleret * core.prisfaktor(a.regime, p.aar, n.pl))
               AS ikke_demografireguleret,
           a.maalemetode, a.opgjort_som, a.forventet_af, n.prisniveau,
           -- without an index nothing is adjusted: the catalogue's own price level(s)
           CASE WHEN n.pl IS NULL THEN p.katalog END AS katalogets_prisniveau
    FROM planlagt p
    JOIN core.indsatser i USING (indsats_id)
    CROSS JOIN niveau n
    LEFT JOIN andel a ON a.indsats_id = p.indsats_id AND a.aar = p.aar
)
SELECT spor, indsats_id, indsats, omraade, metode, budgetaftale, aar,
       budgetteret_besparelse, realiseret_besparelse,
       realiseret_besparelse - budgetteret_besparelse AS afvigelse,
       round(realiseret_besparelse / nullif(budgetteret_besparelse, 0), 4) AS maalopfyldelse,
       mart.status(realiseret_besparelse, budgetteret_besparelse) AS status,
       CASE WHEN realiseret_besparelse IS NOT NULL THEN opgjort_som END AS opgjort_som,
       maalemetode AS maalt_med,
       prisniveau, katalogets_prisniveau,
       CASE WHEN realiseret_besparelse IS NOT NULL THEN forventet_af END AS forventet_af,
       demografireguleret, ikke_demografireguleret
FROM tal
ORDER BY spor, indsats_id, budgetaftale, aar;
