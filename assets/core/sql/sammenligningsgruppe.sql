-- Kommunerne, kommunen sammenligner sig med: den senest leverede sammenligningsgruppe,
-- ellers den medfølgende (schemas/sammenligningsgruppe.csv, docs/valg.md). Kommunen selv
-- har rollen 'egen': den, filen kalder egen, ellers den medfølgende (860 Hjørring).
-- Navn: sammenligningsgruppen
CREATE OR REPLACE TABLE core.sammenligningsgruppe AS
WITH leveret AS (
    SELECT kommunenr, coalesce(rolle, 'sammenligning') AS rolle, leverance_nr
    FROM raw.sammenligningsgruppe
    QUALIFY leverance_nr = max(leverance_nr) OVER ()
),
gruppe AS (
    SELECT * FROM leveret
    UNION ALL
    SELECT CAST(kommunenr AS INTEGER), rolle, NULL FROM standard_sammenligningsgruppe
    WHERE NOT EXISTS (SELECT 1 FROM leveret)
),
egen AS (
    SELECT coalesce(
        (SELECT max(kommunenr) FROM gruppe WHERE rolle = 'egen'),
        (SELECT max(CAST(kommunenr AS INTEGER)) FROM standard_sammenligningsgruppe
         WHERE rolle = 'egen')) AS kommunenr
)
SELECT g.kommunenr,
       CASE WHEN g.kommunenr = e.kommunenr THEN 'egen' ELSE 'sammenligning' END AS rolle,
       (SELECT max(leverance_nr) FROM gruppe) AS leverance_nr
FROM (SELECT kommunenr FROM gruppe UNION SELECT kommunenr FROM egen) g CROSS JOIN egen e;
