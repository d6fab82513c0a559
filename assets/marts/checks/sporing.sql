-- Hver række i mart-tabellerne med tal (besparelser, investeringer, spor_status, indsats_status,
-- forventet_realisering, budgetaftaler, budgetopfoelgning, aarsoversigt, maal og benchmark) har
-- mindst én række i sporbarhed, der navngiver filen, arket og Excel-rækkerne bag den.
-- Tabel: sporbarhed
-- Godkendt: Hver række med tal kan spores til sine filer.
-- Trin: Tjekker sporingen i {}
WITH noegler AS (
    -- each mart table with figures, and its key as mart.sporbarhed writes it
    SELECT 'besparelser' AS tabel, indsats_id || '|' || budgetaftale || '|' || aar AS noegle
    FROM mart.besparelser
    UNION ALL
    SELECT 'investeringer', indsats_id || '|' || budgetaftale || '|' || aar FROM mart.investeringer
    UNION ALL
    SELECT 'spor_status', spor || '|' || budgetaftale || '|' || aar FROM mart.spor_status
    UNION ALL
    SELECT 'indsats_status', indsats_id || '|' || budgetaftale FROM mart.indsats_status
    UNION ALL
    SELECT 'forventet_realisering', indsats_id || '|' || budgetaftale
    FROM mart.forventet_realisering
    UNION ALL
    SELECT 'budgetaftaler', indsats_id || '|' || budgetaftale || '|' || aar FROM mart.budgetaftaler
    UNION ALL
    SELECT 'budgetopfoelgning', omraade || '|' || aar FROM mart.budgetopfoelgning
    UNION ALL
    SELECT 'aarsoversigt', omraade || '|' || aar FROM mart.aarsoversigt
    UNION ALL
    SELECT 'maal', indsats_id || '|' || indikator || '|' || aar FROM mart.maal
    UNION ALL
    SELECT 'benchmark', kommunenr || '|' || omraade || '|' || aar FROM mart.benchmark
)
SELECT tabel || ' ' || noegle || ': rækken har ingen kildefil i sporbarhed'
FROM noegler k
WHERE noegle NOT IN (SELECT noegle FROM mart.sporbarhed s WHERE s.tabel = k.tabel)
