-- Aktivitetsrækkerne, som de bruges: én række pr. gældende aktivitetsrække og det område,
-- den tæller for, med filens ark og række. Nøglen er (område, indikator): samme
-- indikatornavn i to områder er to indikatorer. En række med område tæller for sit område.
-- En række uden område tæller for hvert område, hvor en indsats bruger indikatoren (som
-- aktivitetsindikator eller i et mål; kataloget angiver ikke et område pr. indikator, så
-- det er indsatsens eget), men kun for et år, hvor indikatoren ikke har rækker med netop
-- det område: de to lægges aldrig sammen. core.aktivitet_aar regner årene af rækkerne;
-- mart.sporbarhed peger på dem. Se docs/beregninger.md, "Aktivitet".
-- Navn: aktivitetsrækker i brug
CREATE OR REPLACE TABLE core.aktivitet_raekker AS
WITH brugt AS (
    SELECT omraade, aktivitetsindikator AS indikator FROM core.indsatser
    WHERE omraade IS NOT NULL AND aktivitetsindikator IS NOT NULL
    UNION
    SELECT i.omraade, m.indikator
    FROM core.indsats_maal m JOIN core.indsatser i USING (indsats_id)
    WHERE i.omraade IS NOT NULL
),
med_omraade AS (
    SELECT DISTINCT omraade, indikator, aar FROM core.aktivitet WHERE omraade IS NOT NULL
)
SELECT a.omraade, a.indikator, a.aar, a.maaned, a.kvartal, a.antal, a.enhed,
       a.leverance_nr, a.kilde_ark, a.kilde_raekke
FROM core.aktivitet a
WHERE a.omraade IS NOT NULL
UNION ALL
SELECT b.omraade, a.indikator, a.aar, a.maaned, a.kvartal, a.antal, a.enhed,
       a.leverance_nr, a.kilde_ark, a.kilde_raekke
FROM core.aktivitet a
JOIN brugt b USING (indikator)
WHERE a.omraade IS NULL
  AND NOT EXISTS (
      SELECT 1 FROM med_omraade m
      WHERE m.omraade = b.omraade AND m.indikator = a.indikator AND m.aar = a.aar);
