-- Tomt, aldrig 0: budgetaftaler har én række for hvert år, en aftale dækker, og ingen for andre
-- år; år uden data er tomme i besparelser, spor_status, aarsoversigt og budgetopfoelgning, og en
-- ændring eller afvigelse er tom, når et af dens tal er tomt.
-- Tabel: budgetaftaler
-- Godkendt: Tomme år er tomme, ikke 0.
-- Trin: Tjekker dækningen i {}
WITH agreements AS (SELECT DISTINCT budgetaftale FROM core.indsats_oekonomi),
expected_rows AS (
    -- every initiative's year under every agreement that covers it, and no other
    SELECT DISTINCT b.indsats_id, b.aar, a.budgetaftale
    FROM mart.besparelser b JOIN agreements a ON mart.daekker(a.budgetaftale, b.aar)
),
spending_years AS (
    SELECT DISTINCT g.gruppe, fa.aar
    FROM core.indsats_grupper g
    JOIN core.indsats_funktioner f USING (indsats_id)
    JOIN core.forbrug_aar fa USING (funktion)
)
SELECT 'budgetaftaler ' || indsats_id || ' ' || aar || ' ' || budgetaftale
       || CASE WHEN a.indsats_id IS NULL THEN ': rækken mangler'
               ELSE ': aftalen dækker ikke året, men besparelsen er '
                    || coalesce(CAST(a.besparelse AS VARCHAR), 'tom') END
FROM expected_rows e FULL JOIN mart.budgetaftaler a USING (indsats_id, aar, budgetaftale)
WHERE e.indsats_id IS NULL OR a.indsats_id IS NULL
UNION ALL
SELECT 'budgetaftaler ' || indsats_id || ' ' || aar || ' ' || budgetaftale || ': ændringen er '
       || coalesce(CAST(aendring AS VARCHAR), 'tom') || ' mod '
       || coalesce(forrige_budgetaftale, 'ingen forrige aftale')
FROM mart.budgetaftaler
WHERE (aendring IS NULL) <> (forrige_budgetaftale IS NULL)
   OR (forrige_budgetaftale IS NOT NULL AND NOT mart.daekker(forrige_budgetaftale, aar))
UNION ALL
SELECT 'besparelser ' || b.indsats_id || ' ' || b.budgetaftale || ' ' || b.aar
       || ': realiseret ' || b.realiseret_besparelse || ' kr. uden data for året'
FROM mart.besparelser b JOIN core.indsats_grupper g USING (indsats_id)
WHERE b.realiseret_besparelse IS NOT NULL AND (
    (b.maalt_med IN ('budget', 'baseline')
     AND NOT EXISTS (SELECT 1 FROM spending_years s WHERE s.gruppe = g.gruppe AND s.aar = b.aar))
    OR (b.maalt_med = 'aktivitet' AND NOT EXISTS (
        SELECT 1 FROM core.indsatser i JOIN core.aktivitet_aar x
          ON x.indikator = i.aktivitetsindikator AND x.omraade = i.omraade
        WHERE i.indsats_id = b.indsats_id AND x.aar = b.aar)))
UNION ALL
SELECT 'besparelser ' || indsats_id || ' ' || budgetaftale || ' ' || aar
       || ': status ' || status || ' passer ikke til den realiserede besparelse'
FROM mart.besparelser
WHERE (realiseret_besparelse IS NULL) <> (status = 'ikke opgjort')
   OR (realiseret_besparelse IS NULL) <> (opgjort_som IS NULL)
UNION ALL
SELECT 'spor_status spor ' || spor || ' ' || budgetaftale || ' ' || aar
       || ': realiseret og nettoeffekt skal være tomme, når intet er opgjort'
FROM mart.spor_status
WHERE (realiseret_besparelse IS NULL) <> (indsatser_opgjort = 0)
   OR (nettoeffekt_realiseret IS NULL) <> (realiseret_besparelse IS NULL)
UNION ALL
SELECT 'aarsoversigt ' || a.omraade || ' ' || a.aar || ': ændringen er '
       || coalesce(CAST(a.aendring_kr AS VARCHAR), 'tom') || ', men år ' || (a.aar - 1)
       || CASE WHEN f.nettoforbrug_faste_priser IS NULL THEN ' har ingen data'
               ELSE ' har data' END
FROM mart.aarsoversigt a
LEFT JOIN mart.aarsoversigt f ON f.omraade = a.omraade AND f.aar = a.aar - 1
WHERE (a.aendring_kr IS NULL)
      <> (f.nettoforbrug_faste_priser IS NULL OR a.nettoforbrug_faste_priser IS NULL)
UNION ALL
SELECT 'budgetopfoelgning ' || omraade || ' ' || aar || ': afvigelsen er '
       || coalesce(CAST(afvigelse AS VARCHAR), 'tom')
FROM mart.budgetopfoelgning
WHERE (afvigelse IS NULL) <> (forventet_regnskab IS NULL OR korrigeret_budget IS NULL)
