-- Danmarks Statistiks 98 kommuner (nummer og navn), som sammenligningen med andre kommuner
-- kender dem på. Hele landet (000), regioner (081-085) og landsdele er ikke kommuner og
-- tælles derfor aldrig med som en kommune.
-- Navn: kommuner
CREATE OR REPLACE TABLE core.kommuner AS
SELECT CAST(kommunenr AS INTEGER) AS kommunenr, kommune FROM dst_kommuner;
