-- Forventet realisering pr. indsats og budgetaftale: hvad indsatsen ventes at have leveret
-- i alt til og med aftalens sidste år = det realiserede til dato (de opgjorte år; et år,
-- der ikke er slut, på de budgetansvarliges eget forventet regnskab, hvor det findes,
-- ellers det beregnede) + de planlagte besparelser i aftalens resterende år. Et enkelt
-- års resultat fremskrives aldrig. grundlag siger, hvad tallet bygger på: realiseret,
-- realiseret og planlagt, budgetansvarlig (det seneste opgjorte år er de
-- budgetansvarliges forventede regnskab) eller budgetansvarlig og planlagt. Tom, når
-- intet år er opgjort endnu. Se docs/beregninger.md, "Forventet realisering".
-- Navn: forventet realisering
CREATE OR REPLACE TABLE mart.forventet_realisering AS
WITH pr_indsats AS (
    SELECT spor, indsats_id, indsats, budgetaftale,
           CAST(right(budgetaftale, 4) AS INTEGER) AS sidste_aftaleaar,
           sum(budgetteret_besparelse) AS budgetteret_i_alt,
           sum(realiseret_besparelse) AS realiseret_til_dato,
           max(aar) FILTER (WHERE realiseret_besparelse IS NOT NULL) AS senest_opgjort,
           arg_max(forventet_af, aar) FILTER (WHERE realiseret_besparelse IS NOT NULL)
               AS forventet_af,
           any_value(prisniveau) AS prisniveau
    FROM mart.besparelser
    GROUP BY spor, indsats_id, indsats, budgetaftale
),
resterende AS (
    SELECT p.indsats_id, p.budgetaftale,
           coalesce(sum(b.budgetteret_besparelse) FILTER (WHERE b.aar > p.senest_opgjort), 0)
               AS planlagt_resterende
    FROM pr_indsats p
    JOIN mart.besparelser b USING (indsats_id, budgetaftale)
    GROUP BY ALL
)
SELECT p.spor, p.indsats_id, p.indsats, p.budgetaftale, p.budgetteret_i_alt,
       p.realiseret_til_dato, p.senest_opgjort,
       p.sidste_aftaleaar - p.senest_opgjort AS resterende_aar,
       CASE WHEN p.senest_opgjort IS NOT NULL THEN r.planlagt_resterende END
           AS planlagt_resterende,
       p.realiseret_til_dato + r.planlagt_resterende AS forventet_i_alt,
       p.realiseret_til_dato + r.planlagt_resterende - p.budgetteret_i_alt
           AS forventet_afvigelse,
       p.forventet_af,
       CASE WHEN p.senest_opgjort IS NULL THEN NULL
            WHEN p.forventet_af = 'budgetansvarlig' THEN
                CASE WHEN p.senest_opgjort < p.sidste_aftaleaar
                     THEN 'budgetansvarlig og planlagt' ELSE 'budgetansvarlig' END
            WHEN p.senest_opgjort < p.sidste_aftaleaar THEN 'realiseret og planlagt'
            ELSE 'realiseret' END AS grundlag,
       p.prisniveau
FROM pr_indsats p
JOIN resterende r USING (indsats_id, budgetaftale)
ORDER BY p.spor, p.indsats_id, p.budgetaftale;
