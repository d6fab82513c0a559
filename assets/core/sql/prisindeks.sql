-- Pris- og lønindeks pr. type og år fra den senest modtagne fil for hvert (type, år). Er
-- kun en procent leveret, kædes indekset: hvert år = forrige × (1 + pct/100). Makroen
-- core.prisfaktor (macros/prisfaktor.sql) flytter beløb mellem prisniveauer med det.
-- Navn: prisindeks
CREATE OR REPLACE TABLE core.prisindeks AS
WITH gaeldende AS (
    SELECT type, aar, indeks, pct, leverance_nr
    FROM raw.prisindeks
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY type, aar)
)
SELECT type, aar,
       coalesce(indeks, 100 * exp(sum(ln(1 + pct / 100)) OVER (
           PARTITION BY type ORDER BY aar ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)))
           AS indeks,
       leverance_nr
FROM gaeldende;
