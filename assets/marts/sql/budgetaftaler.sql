-- De to budgetaftalers planlagte besparelser pr. indsats og år side om side, i ét
-- prisniveau, og ændringen fra 2023-2026 til 2024-2027.
CREATE OR REPLACE TABLE mart.budgetaftaler AS
SELECT spor, indsats_id, indsats, aar,
       sum(budgetteret_besparelse) FILTER (WHERE budgetaftale = '2023-2026') AS besparelse_2023_2026,
       sum(budgetteret_besparelse) FILTER (WHERE budgetaftale = '2024-2027') AS besparelse_2024_2027,
       coalesce(sum(budgetteret_besparelse) FILTER (WHERE budgetaftale = '2024-2027'), 0)
           - coalesce(sum(budgetteret_besparelse) FILTER (WHERE budgetaftale = '2023-2026'), 0)
           AS aendring,
       any_value(prisniveau) AS prisniveau
FROM mart.besparelser
GROUP BY spor, indsats_id, indsats, aar
ORDER BY spor, indsats_id, aar;
