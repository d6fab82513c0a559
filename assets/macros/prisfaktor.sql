-- Prisniveauer: core.prisfaktor(regime, fra, til) flytter et beløb mellem prisniveauer med
-- core.prisindeks (service- eller overførselsindekset efter regimet); et år uden for
-- indekset bruger nærmeste år i indekset, og uden indeks er faktoren 1 (løbende priser).
-- Navn: prisfaktorer
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
