-- mart.besparelser, som tabellen så ud, da hver opfølgning blev lukket: de fastfrosne
-- rækker, med opfølgningens dato foran. Rækkerne ændres aldrig af senere filer.
-- Navn: besparelser pr. opfølgning
CREATE OR REPLACE TABLE mart.besparelser_opfoelgning AS
SELECT *
FROM raw.besparelser_opfoelgning
ORDER BY opfoelgning, spor, indsats_id, budgetaftale, aar;
