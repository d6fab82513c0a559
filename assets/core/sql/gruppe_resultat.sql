-- Hver gruppes realiserede besparelse pr. år i årets priser, målt én gang med én metode:
-- budgetmetoden, hvis en indsats i gruppen bruger den, ellers baseline, ellers aktivitet.
-- Budget: referencen (core.budgetreference: det vedtagne budget, flyttet af tekniske
-- korrektioner og demografi) + gruppens planlagte besparelser i den gældende aftale −
-- forbrug. Baseline: forbruget i baselineåret (det tidligste blandt gruppens
-- baseline-indsatser), prisreguleret, − forbruget; begge uden forbruget på indsatsernes
-- egne ansvarssteder, som nettoeffekten trækker fra. Aktivitet: (aktivitet i baselineåret
-- − aktivitet) × enhedspris, med gruppens første indsats' baselineår, enhedspris og
-- prisniveau; aktiviteten er indikatorens i indsatsens område (område og indikator er
-- nøglen). Se docs/beregninger.md, "Fælles funktioner".
-- For et år, der ikke er slut, bruges de budgetansvarliges eget forventet regnskab for
-- indsatsernes funktioner (core.gruppe_forventet af core.forventet_regnskab) som gruppens
-- forbrug i stedet for det beregnede, når hver af gruppens indsatser, der måles på
-- forbruget (budget og baseline), har ét, og funktionerne ikke overlapper; indsatser på
-- samme funktioner har ét tal, der tælles én gang. forventet_af siger hvilket
-- (budgetansvarlig eller beregnet).
-- Navn: indsatsgruppernes resultat
CREATE OR REPLACE TABLE core.gruppe_resultat AS
WITH
medlemmer AS (
    SELECT g.gruppe, i.* FROM core.indsats_grupper g JOIN core.indsatser i USING (indsats_id)
),
forste AS (
    SELECT * FROM medlemmer
    QUALIFY row_number() OVER (PARTITION BY gruppe ORDER BY indsats_id) = 1
),
gruppe AS (
    SELECT m.gruppe,
           CASE WHEN bool_or(m.metode = 'budget') THEN 'budget'
                WHEN bool_or(m.metode = 'baseline') THEN 'baseline'
                ELSE 'aktivitet' END AS maalemetode,
           min(m.baselineaar) FILTER (WHERE m.metode = 'baseline') AS baseline_forbrug
    FROM medlemmer m
    GROUP BY m.gruppe
),
parametre AS (
    SELECT g.gruppe, g.maalemetode, f.regime,
           CASE WHEN g.maalemetode = 'aktivitet' THEN f.baselineaar ELSE g.baseline_forbrug END
               AS baselineaar,
           f.omraade, f.aktivitetsindikator, f.enhedspris, f.prisniveau,
           coalesce(f.maalgruppe, CASE WHEN f.omraade = 'børn og unge' THEN '0-17'
                                       ELSE '18-64' END) AS maalgruppe
    FROM gruppe g JOIN forste f USING (gruppe)
),
aarene AS (SELECT DISTINCT aar FROM core.indsats_oekonomi),
aktivitet AS (
    -- the indicator in the first initiative's område (core.aktivitet_raekker has placed the
    -- rows without område)
    SELECT p.gruppe, a.aar, a.gennemsnit, a.opgjort_som
    FROM parametre p
    JOIN core.aktivitet_aar a ON a.indikator = p.aktivitetsindikator AND a.omraade = p.omraade
),
funktioner AS (
    SELECT DISTINCT m.gruppe, f.funktion
    FROM medlemmer m JOIN core.indsats_funktioner f USING (indsats_id)
),
beregnet AS (
    SELECT gf.gruppe, fa.aar, sum(fa.forventet_regnskab) AS forbrug,
           sum(fa.paa_indsatssteder) AS paa_indsatssteder,
           bool_or(fa.opgjort_som = 'forventet') AS forventet
    FROM funktioner gf JOIN core.forbrug_aar fa USING (funktion)
    GROUP BY ALL
),
maalere AS (
    SELECT gruppe, count(*) AS antal
    FROM medlemmer WHERE metode IN ('budget', 'baseline')
    GROUP BY gruppe
),
budgetansvarlig AS (
    -- one forecast per set of functions, however many members it covers
    -- (core.gruppe_forventet); usable only when the sets do not overlap (else a function
    -- would count twice)
    SELECT gruppe, aar, sum(forventet_regnskab) AS forbrug, sum(indsatser) AS antal,
           sum(len(string_split(funktioner, ', ')))
               = len(list_distinct(flatten(list(string_split(funktioner, ', ')))))
               AS adskilte
    FROM core.gruppe_forventet
    GROUP BY ALL
),
forbrug AS (
    SELECT b.gruppe, b.aar, b.forventet,
           b.forventet AND h.antal = ma.antal AND h.adskilte AS budgetansvarlig,
           CASE WHEN b.forventet AND h.antal = ma.antal AND h.adskilte THEN h.forbrug
                ELSE b.forbrug END AS forbrug,
           CASE WHEN b.forventet AND h.antal = ma.antal AND h.adskilte THEN h.forbrug
                ELSE b.forbrug END - b.paa_indsatssteder AS uden_indsatssteder
    FROM beregnet b
    LEFT JOIN maalere ma USING (gruppe)
    LEFT JOIN budgetansvarlig h USING (gruppe, aar)
),
korrigeret AS (
    -- the budget method's reference (core.budgetreference): the adopted budget moved by
    -- technical and demographic corrections only, never by appropriations or carry-overs
    SELECT gf.gruppe, b.aar, sum(b.reference) AS beloeb
    FROM funktioner gf JOIN core.budgetreference b USING (funktion)
    GROUP BY ALL
),
planlagt AS (
    SELECT m.gruppe, p.aar, sum(p.besparelse) AS besparelse
    FROM medlemmer m JOIN core.planlagt_i_kraft p USING (indsats_id)
    GROUP BY ALL
),
maalt AS (
    SELECT p.gruppe, y.aar, p.maalemetode, p.regime, p.baselineaar, p.maalgruppe,
           coalesce(pl.besparelse, 0) AS planlagt_i_kraft,
           -- the measure without demography, and the same per inhabitant of the target
           -- group (its population this year / in the baseline year), times this year's
           -- population; the budget method has demography in its reference (corrections)
           CASE p.maalemetode
               WHEN 'budget' THEN k.beloeb + coalesce(pl.besparelse, 0) - nu.forbrug
               WHEN 'baseline' THEN
                   bf.uden_indsatssteder * core.prisfaktor(p.regime, p.baselineaar, y.aar)
                   - nu.uden_indsatssteder
               WHEN 'aktivitet' THEN
                   (ab.gennemsnit - an.gennemsnit) * p.enhedspris
                   * core.prisfaktor(p.regime, coalesce(p.prisniveau, y.aar), y.aar)
           END AS ikke_demografireguleret,
           CASE p.maalemetode
               WHEN 'baseline' THEN
                   bf.uden_indsatssteder * core.prisfaktor(p.regime, p.baselineaar, y.aar)
                   * bn.antal / nullif(bb.antal, 0) - nu.uden_indsatssteder
               WHEN 'aktivitet' THEN
                   (ab.gennemsnit * bn.antal / nullif(bb.antal, 0) - an.gennemsnit)
                   * p.enhedspris
                   * core.prisfaktor(p.regime, coalesce(p.prisniveau, y.aar), y.aar)
           END AS demografireguleret,
           CASE WHEN p.maalemetode = 'aktivitet' THEN an.opgjort_som
                WHEN nu.forventet THEN 'forventet'
                WHEN NOT nu.forventet THEN 'regnskab' END AS opgjort_som,
           CASE WHEN p.maalemetode = 'aktivitet' THEN
                    CASE WHEN an.opgjort_som = 'forventet' THEN 'beregnet' END
                WHEN nu.budgetansvarlig THEN 'budgetansvarlig'
                WHEN nu.forventet THEN 'beregnet' END AS forventet_af
    FROM parametre p
    CROSS JOIN aarene y
    LEFT JOIN forbrug nu ON nu.gruppe = p.gruppe AND nu.aar = y.aar
    LEFT JOIN forbrug bf ON bf.gruppe = p.gruppe AND bf.aar = p.baselineaar
    LEFT JOIN korrigeret k ON k.gruppe = p.gruppe AND k.aar = y.aar
    LEFT JOIN planlagt pl ON pl.gruppe = p.gruppe AND pl.aar = y.aar
    LEFT JOIN aktivitet ab ON ab.gruppe = p.gruppe AND ab.aar = p.baselineaar
    LEFT JOIN aktivitet an ON an.gruppe = p.gruppe AND an.aar = y.aar
    LEFT JOIN core.maalgruppe_befolkning bb
      ON bb.maalgruppe = p.maalgruppe AND bb.aar = p.baselineaar
    LEFT JOIN core.maalgruppe_befolkning bn ON bn.maalgruppe = p.maalgruppe AND bn.aar = y.aar
)
-- resultat is the demography-adjusted figure where the target group's population is
-- delivered for both years, else the unadjusted one
SELECT * EXCLUDE (maalgruppe), coalesce(demografireguleret, ikke_demografireguleret) AS resultat,
       maalgruppe
FROM maalt;
