-- Opfølgningerne over tid pr. indsats, spor og i alt, pr. budgetaftale og år: hver lukket
-- opfølgning og de aktuelle tal (tilstand 'aktuel', endnu ikke lukket), hver med
-- ændringen siden den forrige lukkede opfølgning. Aftalerne lægges aldrig sammen. En
-- ændring er tom, når der ikke er en forrige opfølgning, når et af tallene mangler, eller
-- når de to står i hver sit prisniveau.
-- Navn: ændringer siden opfølgningerne
CREATE OR REPLACE TABLE mart.opfoelgning_aendringer AS
WITH
tal AS (
    SELECT opfoelgning, spor, indsats_id, indsats, budgetaftale, aar, prisniveau,
           budgetteret_besparelse, realiseret_besparelse
    FROM raw.besparelser_opfoelgning
    UNION ALL
    SELECT NULL, spor, indsats_id, indsats, budgetaftale, aar, prisniveau,
           budgetteret_besparelse, realiseret_besparelse
    FROM mart.besparelser
),
niveauer AS (
    SELECT opfoelgning, 'indsats' AS niveau, spor, indsats_id, indsats, budgetaftale, aar,
           prisniveau, budgetteret_besparelse, realiseret_besparelse
    FROM tal
    UNION ALL
    SELECT opfoelgning, 'spor', spor, NULL, NULL, budgetaftale, aar, any_value(prisniveau),
           sum(budgetteret_besparelse), sum(realiseret_besparelse)
    FROM tal GROUP BY opfoelgning, spor, budgetaftale, aar
    UNION ALL
    SELECT opfoelgning, 'i alt', NULL, NULL, NULL, budgetaftale, aar, any_value(prisniveau),
           sum(budgetteret_besparelse), sum(realiseret_besparelse)
    FROM tal GROUP BY opfoelgning, budgetaftale, aar
),
forrige AS (
    SELECT opfoelgning, lag(opfoelgning) OVER (ORDER BY opfoelgning) AS forrige
    FROM raw.opfoelgninger
    UNION ALL
    SELECT NULL, max(opfoelgning) FROM raw.opfoelgninger
)
SELECT CASE WHEN n.opfoelgning IS NULL THEN 'aktuel' ELSE 'lukket' END AS tilstand,
       n.opfoelgning,
       f.forrige AS forrige_opfoelgning,
       n.niveau, n.spor, n.indsats_id, n.indsats, n.budgetaftale, n.aar,
       n.budgetteret_besparelse, n.realiseret_besparelse,
       p.realiseret_besparelse AS forrige_realiseret,
       CASE WHEN p.prisniveau = n.prisniveau
            THEN n.realiseret_besparelse - p.realiseret_besparelse END AS aendring_realiseret,
       CASE WHEN p.prisniveau = n.prisniveau
            THEN n.budgetteret_besparelse - p.budgetteret_besparelse END AS aendring_budgetteret,
       n.prisniveau
FROM niveauer n
JOIN forrige f ON f.opfoelgning IS NOT DISTINCT FROM n.opfoelgning
LEFT JOIN niveauer p
  ON p.opfoelgning = f.forrige AND p.niveau = n.niveau
 AND p.spor IS NOT DISTINCT FROM n.spor AND p.indsats_id IS NOT DISTINCT FROM n.indsats_id
 AND p.budgetaftale = n.budgetaftale AND p.aar = n.aar
ORDER BY n.opfoelgning NULLS LAST, n.budgetaftale,
         CASE n.niveau WHEN 'indsats' THEN 1 WHEN 'spor' THEN 2 ELSE 3 END,
         n.spor, n.indsats_id, n.aar;
