-- Pr. indsats og budgetaftale: hvem ejer hvad (spor med navn og sporansvarlig, område,
-- politisk udvalg og indsatsleder fra kataloget), status til dato (summen af de opgjorte
-- år, som i overblikket pr. spor) og indsatslederens seneste statuskommentar med den
-- opfølgning, den er givet til. En rød indsats uden kommentar mangler en begrundelse
-- (begrundelse_mangler), og rapporten viser det under Opmærksomhed.
-- Navn: status og kommentar pr. indsats
CREATE OR REPLACE TABLE mart.indsats_status AS
WITH til_dato AS (
    SELECT spor, indsats_id, indsats, omraade, budgetaftale,
           sum(budgetteret_besparelse) AS budgetteret_i_alt,
           sum(budgetteret_besparelse) FILTER (WHERE realiseret_besparelse IS NOT NULL)
               AS budgetteret_til_dato,
           sum(realiseret_besparelse) AS realiseret_til_dato,
           any_value(prisniveau) AS prisniveau
    FROM mart.besparelser
    GROUP BY ALL
),
spor AS (
    SELECT spor, any_value(spornavn) AS spornavn, any_value(sporansvarlig) AS sporansvarlig
    FROM core.indsatser
    GROUP BY spor
),
kommentar AS (
    SELECT indsats_id, kommentar, last_day(make_date(aar, maaned, 1)) AS kommentar_pr
    FROM core.statuskommentar
    QUALIFY row_number() OVER (PARTITION BY indsats_id ORDER BY aar DESC, maaned DESC) = 1
),
status AS (
    SELECT t.*, mart.status(t.realiseret_til_dato, t.budgetteret_til_dato) AS status
    FROM til_dato t
)
SELECT t.spor, s.spornavn, s.sporansvarlig, t.indsats_id, t.indsats, t.omraade, i.udvalg,
       i.ansvarlig, t.budgetaftale, t.budgetteret_i_alt, t.budgetteret_til_dato,
       t.realiseret_til_dato,
       round(t.realiseret_til_dato / nullif(t.budgetteret_til_dato, 0), 4) AS maalopfyldelse,
       t.status, k.kommentar, k.kommentar_pr,
       t.status = 'rød' AND k.kommentar IS NULL AS begrundelse_mangler,
       t.prisniveau
FROM status t
JOIN core.indsatser i USING (indsats_id)
LEFT JOIN spor s ON s.spor = t.spor
LEFT JOIN kommentar k USING (indsats_id)
ORDER BY t.spor, t.indsats_id, t.budgetaftale;
