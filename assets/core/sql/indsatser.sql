-- Indsatskataloget fra den senest modtagne katalogfil (kataloget erstattes helt).
-- Navn: indsatser
CREATE OR REPLACE TABLE core.indsatser AS
SELECT i.*, coalesce(
           (SELECT any_value(k.regime) FROM core.kontoplan k WHERE k.omraade = i.omraade),
           'service') AS regime
FROM raw.indsatser i
WHERE i.leverance_nr = (SELECT max(leverance_nr) FROM raw.indsatser);
