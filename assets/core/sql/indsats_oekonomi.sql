-- Investeringer og besparelser pr. indsats, budgetaftale og år fra det gældende katalog.
-- Beløb er positive (en besparelse er mindre forbrug), i katalogets prisniveau. Kataloget
-- siger for hver aftale, hvad den lister (Økonomi-arkets kolonne "Aftalen lister"): alle
-- besparelser, der gælder i dens år (alle, standard), eller kun de nye beslutninger
-- (nye). En aftale med kun nye arver den forrige aftales besparelser for hvert år, den
-- dækker (den nyeste aftale, der starter før og dækker året, selv med det, den arvede),
-- så dens besparelser er de tidligere plus de nye, og en indsats, den ikke nævner, er
-- ikke skåret væk. De arvede rækker er de tidliges egne (arvet_fra siger fra hvilken
-- aftale); investeringer arves ikke. Se docs/beregninger.md, "Hvad en aftale lister".
-- Navn: indsatsernes økonomi
CREATE OR REPLACE TABLE core.indsats_oekonomi AS
WITH RECURSIVE egne AS (
    SELECT o.*
    FROM raw.indsats_oekonomi o
    WHERE o.leverance_nr = (SELECT max(leverance_nr) FROM raw.indsatser)
),
aftaler AS (
    SELECT budgetaftale, CAST(left(budgetaftale, 4) AS INTEGER) AS fra,
           coalesce(bool_or(aftalen_lister = 'nye'), false) AS kun_nye
    FROM egne
    GROUP BY budgetaftale
),
forrige AS (
    -- per agreement listing only new decisions and year it covers: the previous agreement
    -- covering the year
    SELECT a.budgetaftale, y.aar, arg_max(p.budgetaftale, p.fra) AS forrige
    FROM aftaler a
    CROSS JOIN (SELECT unnest(range(2000, 2101)) AS aar) y
    JOIN aftaler p ON p.fra < a.fra AND y.aar BETWEEN p.fra AND p.fra + 3
    WHERE a.kun_nye AND y.aar BETWEEN a.fra AND a.fra + 3
    GROUP BY ALL
),
samlet AS (
    SELECT e.*, CAST(NULL AS VARCHAR) AS arvet_fra FROM egne e
    UNION ALL
    SELECT s.* REPLACE (f.budgetaftale AS budgetaftale,
                      coalesce(s.arvet_fra, s.budgetaftale) AS arvet_fra)
    FROM samlet s
    JOIN forrige f ON f.forrige = s.budgetaftale AND f.aar = s.aar
    WHERE s.type = 'besparelse'
)
SELECT * FROM samlet;
