-- Status og aftaler: mart.status(realiseret, budgetteret) er grøn ved mindst 95 %, gul ved
-- mindst 75 %, ellers rød, og 'ikke opgjort' uden data (også rapporternes summer pr. spor);
-- mart.daekker(aftale, år) er sand, når budgetaftalen (fx '2024-2027') dækker året.
-- Navn: status og aftaler
CREATE OR REPLACE MACRO mart.status(realiseret, budgetteret) AS
    CASE WHEN realiseret IS NULL THEN 'ikke opgjort'
         WHEN budgetteret <= 0 THEN CASE WHEN realiseret >= 0 THEN 'grøn' ELSE 'rød' END
         WHEN realiseret / budgetteret >= 0.95 THEN 'grøn'
         WHEN realiseret / budgetteret >= 0.75 THEN 'gul'
         ELSE 'rød' END;

CREATE OR REPLACE MACRO mart.daekker(aftale, y) AS
    y BETWEEN CAST(left(aftale, 4) AS INTEGER) AND CAST(right(aftale, 4) AS INTEGER);
