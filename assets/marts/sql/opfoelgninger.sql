-- Én række pr. lukket opfølgning (forebyg opfoelgning luk): datoen, hvornår den blev
-- lukket, den forrige opfølgning og hvor mange indsatsrækker der blev fastfrosset. En
-- lukket opfølgning ændres aldrig, heller ikke af en genopbygning.
-- Navn: opfølgninger
CREATE OR REPLACE TABLE mart.opfoelgninger AS
SELECT o.opfoelgning, o.lukket,
       lag(o.opfoelgning) OVER (ORDER BY o.opfoelgning) AS forrige_opfoelgning,
       (SELECT count(*) FROM raw.besparelser_opfoelgning b
         WHERE b.opfoelgning = o.opfoelgning) AS raekker
FROM raw.opfoelgninger o
ORDER BY o.opfoelgning;
