-- En total lægges aldrig til sine dele: sammenligningen har kun kommuner (ikke hele landet eller
-- regioner), og hvor befolkningsfilen har kommunens total (køn i alt, alder i alt), giver
-- aldersgrupperne netop den.
-- Tabel: benchmark
-- Godkendt: Ingen total er talt med.
-- Trin: Tjekker for totaler i {}
SELECT 'benchmark: ' || b.kommunenr || ' ' || b.kommune || ' er ikke en kommune'
FROM mart.benchmark b
WHERE b.kommunenr NOT IN (SELECT kommunenr FROM core.kommuner)
UNION ALL
SELECT 'dst_befolkning ' || b.kommunenr || ' ' || b.aar || ': aldersgrupperne giver '
       || b.antal || ', filens egen total er ' || t.antal
FROM (SELECT kommunenr, aar, sum(antal) AS antal, max(leverance_nr) AS leverance_nr
      FROM core.dst_befolkning GROUP BY ALL) b
JOIN (SELECT core.dst_kommunenr(geografi) AS kommunenr, aar, leverance_nr,
             coalesce(maaned, 3 * kvartal - 2, 0) AS tidspunkt, antal
      FROM raw.dst_befolkning
      WHERE core.dst_total(koen) AND core.dst_total(alder) AND antal IS NOT NULL) t
  ON t.kommunenr = b.kommunenr AND t.aar = b.aar AND t.leverance_nr = b.leverance_nr
WHERE t.tidspunkt = (SELECT min(coalesce(maaned, 3 * kvartal - 2, 0)) FROM raw.dst_befolkning r
                     WHERE r.leverance_nr = t.leverance_nr AND r.aar = t.aar)
  AND b.antal <> t.antal
