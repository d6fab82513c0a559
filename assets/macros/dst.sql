-- Danmarks Statistiks koder: core.dst_total(x) er sand for en total i en af dimensionerne
-- (koden TOT, IALT eller 000, eller en tekst som 'I alt', 'Køn i alt', 'Alder i alt',
-- 'Total' og 'Hele landet'); core.dst_kommunenr(område) gør '860', '860 Hjørring' eller
-- 'Hjørring' til kommunenummeret, og er NULL for alt, der ikke er en kommune.
-- Navn: Danmarks Statistiks koder
CREATE OR REPLACE MACRO core.dst_total(x) AS
    regexp_matches(lower(trim(x)), '^(tot|ialt|000)\b|\bi alt\b|\btotal\b|hele landet');

CREATE OR REPLACE MACRO core.dst_kommunenr(omr) AS (
    SELECT mk.kommunenr FROM core.kommuner mk
    WHERE mk.kommunenr = TRY_CAST(regexp_extract(trim(omr), '^(\d{3})\b', 1) AS INTEGER)
       OR lower(mk.kommune) = lower(trim(omr))
    ORDER BY mk.kommunenr LIMIT 1
);
