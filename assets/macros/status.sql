-- Status og aftaler: mart.status(realiseret, budgetteret) er grøn ved mindst 95 %, gul ved
-- mindst 75 %, ellers rød, og 'ikke opgjort' uden data (også rapporternes summer pr. spor).
-- Status afgøres på målopfyldelsen, som den vises: målopfyldelsen gemmes med fire
-- decimaler og vises i hele procent (halve op), så 74,8 % (vist som 75 %) er gul. Vist
-- ≥ 75 % netop når realiseret ≥ 74,495 % af budgetteret (0,74495 → 0,7450 → 75 %), så
-- sammenligningen er eksakt i kroner: 100.000 × realiseret ≥ 74.495 × budgetteret.
-- mart.daekker(aftale, år) er sand, når budgetaftalen (fx '2024-2027') dækker året.
-- Navn: status og aftaler
CREATE OR REPLACE MACRO mart.status(realiseret, budgetteret) AS
    CASE WHEN realiseret IS NULL THEN 'ikke opgjort'
         WHEN budgetteret <= 0 THEN CASE WHEN realiseret >= 0 THEN 'grøn' ELSE 'rød' END
         WHEN 100000 * realiseret >= 94495 * budgetteret THEN 'grøn'
         WHEN 100000 * realiseret >= 74495 * budgetteret THEN 'gul'
         ELSE 'rød' END;

CREATE OR REPLACE MACRO mart.daekker(aftale, y) AS
    y BETWEEN CAST(left(aftale, 4) AS INTEGER) AND CAST(right(aftale, 4) AS INTEGER);
