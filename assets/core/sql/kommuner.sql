-- Danmarks Statistiks 98 kommuner (nummer og navn), som sammenligningen med andre kommuner
-- kender dem på. Hele landet (000), regioner (081-085) og landsdele er ikke kommuner og
-- tælles derfor aldrig med som en kommune.
CREATE OR REPLACE TABLE core.kommuner AS
SELECT CAST(kommunenr AS INTEGER) AS kommunenr, kommune FROM dst_kommuner;

-- En total i en af Danmarks Statistiks dimensioner: koden TOT, IALT eller 000, eller en
-- tekst som 'I alt', 'Køn i alt', 'Alder i alt', 'Total' og 'Hele landet'.
CREATE OR REPLACE MACRO core.dst_total(x) AS
    regexp_matches(lower(trim(x)), '^(tot|ialt|000)\b|\bi alt\b|\btotal\b|hele landet');

-- Et område som '860', '860 Hjørring' eller 'Hjørring' → kommunenummeret; NULL for alt,
-- der ikke er en kommune.
CREATE OR REPLACE MACRO core.dst_kommunenr(omr) AS (
    SELECT mk.kommunenr FROM core.kommuner mk
    WHERE mk.kommunenr = TRY_CAST(regexp_extract(trim(omr), '^(\d{3})\b', 1) AS INTEGER)
       OR lower(mk.kommune) = lower(trim(omr))
    ORDER BY mk.kommunenr LIMIT 1
);
