-- Én række pr. indsats og funktion (kataloget skriver funktionerne kommasepareret).
-- Navn: indsatsernes funktioner
CREATE OR REPLACE TABLE core.indsats_funktioner AS
SELECT DISTINCT i.indsats_id, i.metode, trim(f.funktion) AS funktion
FROM core.indsatser i,
     unnest(string_split(i.funktioner, ',')) AS f(funktion)
WHERE i.funktioner IS NOT NULL AND trim(f.funktion) <> '';
