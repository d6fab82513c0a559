-- Kommunerne, kommunen sammenligner sig med: den senest leverede sammenligningsgruppe;
-- ellers, når strukturelle forhold er leveret, de 10 kommuner, der ligner kommunen mest
-- på dem (KL's metode: hvert forhold standardiseret over kommunerne i det nyeste år,
-- kommunen har tal for, og den euklidiske afstand over forholdene; kun kommuner med alle
-- forholdene); ellers den medfølgende (schemas/sammenligningsgruppe.csv, docs/valg.md).
-- Kommunen selv har rollen 'egen': den, filen kalder egen, ellers den medfølgende (860
-- Hjørring). kilde siger, hvor gruppen kommer fra; afstand er den standardiserede afstand.
-- Navn: sammenligningsgruppen
CREATE OR REPLACE TABLE core.sammenligningsgruppe AS
WITH leveret AS (
    SELECT kommunenr, coalesce(rolle, 'sammenligning') AS rolle, leverance_nr
    FROM raw.sammenligningsgruppe
    QUALIFY leverance_nr = max(leverance_nr) OVER ()
),
egen AS (
    SELECT coalesce(
        (SELECT max(kommunenr) FROM leveret WHERE rolle = 'egen'),
        (SELECT max(CAST(kommunenr AS INTEGER)) FROM standard_sammenligningsgruppe
         WHERE rolle = 'egen')) AS kommunenr
),
forhold AS (  -- the newest year the own municipality has conditions for
    SELECT s.kommunenr, s.forhold, CAST(s.vaerdi AS DOUBLE) AS vaerdi, s.leverance_nr
    FROM core.strukturforhold s
    WHERE s.vaerdi IS NOT NULL AND s.aar = (
        SELECT max(aar) FROM core.strukturforhold
        WHERE kommunenr = (SELECT kommunenr FROM egen))
),
standardiseret AS (
    SELECT kommunenr, forhold, leverance_nr,
           (vaerdi - avg(vaerdi) OVER (PARTITION BY forhold))
               / nullif(stddev_samp(vaerdi) OVER (PARTITION BY forhold), 0) AS z
    FROM forhold
),
afstande AS (
    SELECT k.kommunenr, sqrt(sum((k.z - e.z) ^ 2)) AS afstand, count(*) AS antal,
           max(k.leverance_nr) AS leverance_nr
    FROM standardiseret k
    JOIN standardiseret e ON e.forhold = k.forhold AND e.kommunenr = (SELECT kommunenr FROM egen)
    WHERE k.kommunenr <> e.kommunenr AND k.z IS NOT NULL AND e.z IS NOT NULL
    GROUP BY k.kommunenr
),
naermeste AS (
    SELECT kommunenr, 'sammenligning' AS rolle, leverance_nr, afstand
    FROM afstande
    WHERE antal = (SELECT count(DISTINCT forhold) FROM standardiseret WHERE z IS NOT NULL)
    QUALIFY row_number() OVER (ORDER BY afstand, kommunenr) <= 10
),
gruppe AS (
    SELECT kommunenr, rolle, leverance_nr, NULL AS afstand, 'leveret' AS kilde FROM leveret
    UNION ALL
    SELECT kommunenr, rolle, leverance_nr, afstand, 'de 10 nærmeste på strukturelle forhold'
    FROM naermeste WHERE NOT EXISTS (SELECT 1 FROM leveret)
    UNION ALL
    SELECT CAST(kommunenr AS INTEGER), rolle, NULL, NULL, 'standard'
    FROM standard_sammenligningsgruppe
    WHERE NOT EXISTS (SELECT 1 FROM leveret) AND NOT EXISTS (SELECT 1 FROM naermeste)
)
SELECT g.kommunenr,
       CASE WHEN g.kommunenr = e.kommunenr THEN 'egen' ELSE 'sammenligning' END AS rolle,
       (SELECT max(leverance_nr) FROM gruppe) AS leverance_nr,
       (SELECT any_value(kilde) FROM gruppe) AS kilde,
       any_value(g.afstand) AS afstand
FROM (SELECT kommunenr, afstand FROM gruppe UNION ALL SELECT kommunenr, NULL FROM egen) g
CROSS JOIN egen e
GROUP BY g.kommunenr, e.kommunenr;
