-- Budgetterede og realiserede besparelser pr. indsats, budgetaftale og år, i ét
-- prisniveau. Realiseret efter indsatsens metode (budget, baseline eller aktivitet); en
-- krone deles inden for en gruppe (core.indsats_grupper) i forhold til indsatsernes
-- planlagte besparelser i den gældende aftale, så den kun tælles én gang.
-- Se docs/beregninger.md for formler og et regneeksempel.
-- Status of a realised against a budgeted saving: grøn ≥ 95 %, gul ≥ 75 %, else rød;
-- 'ikke opgjort' without data. Also used for the reports' totals per track.
CREATE OR REPLACE MACRO mart.status(realiseret, budgetteret) AS
    CASE WHEN realiseret IS NULL THEN 'ikke opgjort'
         WHEN budgetteret <= 0 THEN CASE WHEN realiseret >= 0 THEN 'grøn' ELSE 'rød' END
         WHEN realiseret / budgetteret >= 0.95 THEN 'grøn'
         WHEN realiseret / budgetteret >= 0.75 THEN 'gul'
         ELSE 'rød' END;

CREATE OR REPLACE TABLE mart.besparelser AS
WITH
niveau AS (SELECT aar AS pl, prisniveau FROM core.prisniveau),
aftaler AS (
    SELECT DISTINCT budgetaftale,
           CAST(left(budgetaftale, 4) AS INTEGER) AS fra,
           CAST(right(budgetaftale, 4) AS INTEGER) AS til
    FROM core.indsats_oekonomi
),
aarene AS (SELECT DISTINCT aar FROM core.indsats_oekonomi),
gaeldende_aftale AS (
    -- the agreement in force for year t: the newest that starts no later than t and covers t
    SELECT y.aar, arg_max(a.budgetaftale, a.fra) AS budgetaftale
    FROM aarene y JOIN aftaler a ON a.fra <= y.aar AND y.aar <= a.til
    GROUP BY y.aar
),
planlagt AS (
    SELECT o.indsats_id, o.budgetaftale, o.aar,
           sum(o.beloeb * core.prisfaktor(i.regime, o.prisniveau, o.aar))
               FILTER (WHERE o.type = 'besparelse') AS loebende,
           sum(o.beloeb * core.prisfaktor(i.regime, o.prisniveau, coalesce(n.pl, o.prisniveau)))
               FILTER (WHERE o.type = 'besparelse') AS i_prisniveau
    FROM core.indsats_oekonomi o
    JOIN core.indsatser i USING (indsats_id)
    CROSS JOIN niveau n
    GROUP BY ALL
),
i_kraft AS (
    SELECT p.indsats_id, p.aar, coalesce(p.loebende, 0) AS besparelse
    FROM planlagt p JOIN gaeldende_aftale g USING (budgetaftale, aar)
),
gruppe_funktioner AS (
    SELECT DISTINCT g.gruppe, f.funktion
    FROM core.indsats_grupper g JOIN core.indsats_funktioner f USING (indsats_id)
),
gruppe_forbrug AS (
    SELECT gf.gruppe, fa.aar, sum(fa.forventet_regnskab) AS forbrug,
           bool_or(fa.opgjort_som = 'forventet') AS forventet
    FROM gruppe_funktioner gf JOIN core.forbrug_aar fa USING (funktion)
    GROUP BY ALL
),
gruppe_budget AS (
    SELECT gf.gruppe, b.aar, sum(b.beloeb) AS korrigeret
    FROM gruppe_funktioner gf JOIN core.budget b USING (funktion)
    WHERE b.budgettype = 'korrigeret'
    GROUP BY ALL
),
andel AS (
    SELECT g.gruppe, y.aar, i.*,
           coalesce(k.besparelse, 0) AS planlagt_i_kraft,
           sum(coalesce(k.besparelse, 0)) OVER w AS gruppe_planlagt,
           CASE WHEN sum(coalesce(k.besparelse, 0)) OVER w <> 0
                THEN coalesce(k.besparelse, 0) / sum(coalesce(k.besparelse, 0)) OVER w
                ELSE 1.0 / count(*) OVER w END AS andel
    FROM core.indsats_grupper g
    JOIN core.indsatser i USING (indsats_id)
    CROSS JOIN aarene y
    LEFT JOIN i_kraft k ON k.indsats_id = g.indsats_id AND k.aar = y.aar
    WINDOW w AS (PARTITION BY g.gruppe, y.aar)
),
resultat AS (
    SELECT a.indsats_id, a.aar,
           a.andel * CASE a.metode
               WHEN 'budget' THEN gb.korrigeret + a.gruppe_planlagt - gf.forbrug
               WHEN 'baseline'
                   THEN bf.forbrug * core.prisfaktor(a.regime, a.baselineaar, a.aar) - gf.forbrug
               WHEN 'aktivitet'
                   THEN (ab.gennemsnit - nu.gennemsnit) * a.enhedspris
                        * core.prisfaktor(a.regime, coalesce(a.prisniveau, a.aar), a.aar)
           END AS loebende,
           CASE WHEN a.metode = 'aktivitet' THEN nu.opgjort_som
                WHEN gf.forventet THEN 'forventet'
                WHEN NOT gf.forventet THEN 'regnskab' END AS opgjort_som
    FROM andel a
    LEFT JOIN gruppe_forbrug gf ON gf.gruppe = a.gruppe AND gf.aar = a.aar
    LEFT JOIN gruppe_budget gb ON gb.gruppe = a.gruppe AND gb.aar = a.aar
    LEFT JOIN gruppe_forbrug bf ON bf.gruppe = a.gruppe AND bf.aar = a.baselineaar
    LEFT JOIN core.aktivitet_aar ab
      ON ab.indikator = a.aktivitetsindikator AND ab.aar = a.baselineaar
    LEFT JOIN core.aktivitet_aar nu ON nu.indikator = a.aktivitetsindikator AND nu.aar = a.aar
),
tal AS (
    SELECT i.spor, i.indsats_id, i.indsats, i.omraade, i.metode, p.budgetaftale, p.aar,
           core.kr(coalesce(p.i_prisniveau, 0)) AS budgetteret_besparelse,
           core.kr(r.loebende * core.prisfaktor(i.regime, p.aar, n.pl)) AS realiseret_besparelse,
           r.opgjort_som, n.prisniveau
    FROM planlagt p
    JOIN core.indsatser i USING (indsats_id)
    CROSS JOIN niveau n
    LEFT JOIN resultat r ON r.indsats_id = p.indsats_id AND r.aar = p.aar
)
SELECT spor, indsats_id, indsats, omraade, metode, budgetaftale, aar,
       budgetteret_besparelse, realiseret_besparelse,
       realiseret_besparelse - budgetteret_besparelse AS afvigelse,
       round(realiseret_besparelse / nullif(budgetteret_besparelse, 0), 4) AS maalopfyldelse,
       mart.status(realiseret_besparelse, budgetteret_besparelse) AS status,
       CASE WHEN realiseret_besparelse IS NOT NULL THEN opgjort_som END AS opgjort_som,
       prisniveau
FROM tal
ORDER BY spor, indsats_id, budgetaftale, aar;
