-- Investeringer og besparelser pr. indsats, budgetaftale og år fra det gældende katalog.
-- Beløb er positive (en besparelse er mindre forbrug), i katalogets prisniveau.
-- Navn: indsatsernes økonomi
CREATE OR REPLACE TABLE core.indsats_oekonomi AS
SELECT o.*
FROM raw.indsats_oekonomi o
WHERE o.leverance_nr = (SELECT max(leverance_nr) FROM raw.indsatser);
