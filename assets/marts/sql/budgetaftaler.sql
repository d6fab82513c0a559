-- De to budgetaftalers planlagte besparelser pr. indsats og år side om side, i ét
-- prisniveau, og ændringen fra 2023-2026 til 2024-2027. Et år, en aftale ikke dækker, er
-- tomt (ikke 0), og så er ændringen også tom; dækker aftalen året uden en besparelse for
-- indsatsen, er den 0.
CREATE OR REPLACE MACRO mart.daekker(aftale, y) AS
    y BETWEEN CAST(left(aftale, 4) AS INTEGER) AND CAST(right(aftale, 4) AS INTEGER);

CREATE OR REPLACE TABLE mart.budgetaftaler AS
WITH aftaler AS (
    -- the agreements the catalogue holds: a column is empty for an agreement not delivered
    SELECT list(DISTINCT budgetaftale) AS alle FROM core.indsats_oekonomi
),
side_om_side AS (
    SELECT b.spor, b.indsats_id, b.indsats, b.aar,
           CASE WHEN mart.daekker('2023-2026', b.aar) AND list_contains(a.alle, '2023-2026')
                THEN coalesce(sum(b.budgetteret_besparelse)
                              FILTER (WHERE b.budgetaftale = '2023-2026'), 0) END
               AS besparelse_2023_2026,
           CASE WHEN mart.daekker('2024-2027', b.aar) AND list_contains(a.alle, '2024-2027')
                THEN coalesce(sum(b.budgetteret_besparelse)
                              FILTER (WHERE b.budgetaftale = '2024-2027'), 0) END
               AS besparelse_2024_2027,
           any_value(b.prisniveau) AS prisniveau
    FROM mart.besparelser b CROSS JOIN aftaler a
    GROUP BY b.spor, b.indsats_id, b.indsats, b.aar, a.alle
)
SELECT spor, indsats_id, indsats, aar, besparelse_2023_2026, besparelse_2024_2027,
       besparelse_2024_2027 - besparelse_2023_2026 AS aendring, prisniveau
FROM side_om_side
ORDER BY spor, indsats_id, aar;
