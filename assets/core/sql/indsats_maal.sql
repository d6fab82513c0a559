-- Faglige mål pr. indsats, indikator og år fra det gældende katalog.
-- Navn: indsatsernes mål
CREATE OR REPLACE TABLE core.indsats_maal AS
SELECT m.*
FROM raw.indsats_maal m
WHERE m.leverance_nr = (SELECT max(leverance_nr) FROM raw.indsatser);
