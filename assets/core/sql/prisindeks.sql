-- Pris- og lønindeks pr. type og år fra den senest modtagne fil for hvert (type, år). Er
-- kun en procent leveret, kædes indekset: hvert år = forrige × (1 + pct/100).
-- core.prisfaktor(type, fra, til) flytter et beløb mellem prisniveauer; et år uden for
-- indekset bruger nærmeste år i indekset, og uden indeks er faktoren 1 (løbende priser).
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

CREATE OR REPLACE MACRO core.indekstype(regime) AS
    CASE WHEN regime = 'overførsel' THEN 'overførsler' ELSE 'service' END;

-- (the alias is unusual on purpose: a macro's arguments are expanded as written, so a
-- caller's "p.aar" must not meet an alias p in here)
CREATE OR REPLACE MACRO core.indeks(typ, y) AS (
    SELECT makro_pi.indeks FROM core.prisindeks makro_pi WHERE makro_pi.type = typ
    ORDER BY abs(makro_pi.aar - y), makro_pi.aar DESC LIMIT 1
);

CREATE OR REPLACE MACRO core.prisfaktor(regime, fra, til) AS
    coalesce(core.indeks(core.indekstype(regime), til)
             / core.indeks(core.indekstype(regime), fra), 1.0);

CREATE OR REPLACE MACRO core.kr(x) AS CAST(round(x, 2) AS DECIMAL(18, 2));
