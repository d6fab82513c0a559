-- Faglige mål pr. indsats, indikator og år mod resultatet (årets gennemsnit af
-- aktivitetstallene for indikatoren i indsatsens område), efter retningen: 'lavere' er
-- opfyldt, når resultatet er højst målet.
-- Navn: mål
CREATE OR REPLACE TABLE mart.maal AS
SELECT i.spor, m.indsats_id, i.indsats, m.indikator, m.aar, m.maal, m.retning,
       round(a.gennemsnit, 2) AS resultat,
       CASE WHEN a.gennemsnit IS NULL THEN NULL
            WHEN m.retning = 'lavere' THEN a.gennemsnit <= m.maal
            ELSE a.gennemsnit >= m.maal END AS opfyldt,
       a.opgjort_som,
       i.status AS indsatsstatus
FROM core.indsats_maal m
JOIN core.indsatser i USING (indsats_id)
LEFT JOIN core.aktivitet_aar a
       ON a.indikator = m.indikator AND a.omraade = i.omraade AND a.aar = m.aar
ORDER BY i.spor, m.indsats_id, m.indikator, m.aar;
