-- Budgetterede og realiserede besparelser pr. indsats, budgetaftale og år, i ét
-- prisniveau. Indsatser med fælles funktioner eller indikator udgør en gruppe
-- (core.indsats_grupper), hvis resultat er målt én gang (core.gruppe_resultat, maalt_med
-- siger hvordan) og fordelt, så en krone kun tælles én gang: en indsats med egen
-- indikator og enhedspris får sin målte andel, resten fordeles efter de planlagte
-- besparelser i den gældende aftale (core.indsats_andel; fordelt_efter siger hvordan). En
-- indsats, der får en andel af gruppens resultat, viser gruppens målopfyldelse og status
-- (status_for = gruppen), ikke en af sine egne.
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
    -- each member's part of its group's result (core.indsats_andel: its own measure where it
    -- has one, else pro rata); a member split pro rata in a group of several shows the
    -- group's status, not one of its own (status_for = 'gruppen')
    SELECT a.indsats_id, r.aar, r.gruppe, r.maalemetode, r.regime, r.resultat, r.opgjort_som,
           r.forventet_af, r.demografireguleret, r.ikke_demografireguleret, a.andel,
           a.fordelt_efter, r.planlagt_i_kraft,
           a.fordelt_efter IN ('planlagt andel', 'ligelig andel') AS gruppens_status
    FROM core.indsats_andel a
    JOIN core.gruppe_resultat r USING (gruppe, aar)
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
           a.maalemetode, a.opgjort_som, a.forventet_af, n.prisniveau, a.fordelt_efter,
           a.gruppens_status, a.resultat AS gruppens_resultat,
           a.planlagt_i_kraft AS gruppens_planlagte,
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
       CASE WHEN gruppens_status
            THEN round(gruppens_resultat / nullif(gruppens_planlagte, 0), 4)
            ELSE round(realiseret_besparelse / nullif(budgetteret_besparelse, 0), 4)
       END AS maalopfyldelse,
       CASE WHEN gruppens_status AND realiseret_besparelse IS NOT NULL
            THEN mart.status(core.kr(gruppens_resultat), core.kr(gruppens_planlagte))
            ELSE mart.status(realiseret_besparelse, budgetteret_besparelse) END AS status,
       CASE WHEN realiseret_besparelse IS NOT NULL THEN opgjort_som END AS opgjort_som,
       maalemetode AS maalt_med,
       prisniveau, katalogets_prisniveau,
       CASE WHEN realiseret_besparelse IS NOT NULL THEN forventet_af END AS forventet_af,
       demografireguleret, ikke_demografireguleret,
       CASE WHEN realiseret_besparelse IS NOT NULL THEN fordelt_efter END AS fordelt_efter,
       CASE WHEN realiseret_besparelse IS NULL THEN NULL
            WHEN gruppens_status THEN 'gruppen' ELSE 'indsatsen' END AS status_for
FROM tal
ORDER BY spor, indsats_id, budgetaftale, aar;
