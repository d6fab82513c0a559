-- Det ene prisniveau, som alle beløb i mart-tabellerne opgøres i: det seneste år med
-- forbrugsdata, hvis et prisindeks er leveret; ellers 'løbende priser'.
-- Navn: prisniveau
CREATE OR REPLACE TABLE core.prisniveau AS
SELECT CASE WHEN (SELECT count(*) FROM core.prisindeks) > 0
            THEN (SELECT max(aar) FROM core.forbrug_aar) END AS aar,
       CASE WHEN (SELECT count(*) FROM core.prisindeks) > 0
            THEN CAST((SELECT max(aar) FROM core.forbrug_aar) AS VARCHAR)
            ELSE 'løbende priser' END AS prisniveau;
