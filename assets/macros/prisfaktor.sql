-- Prisniveauer: core.prisfaktor(regime, fra, til) flytter et beløb mellem prisniveauer med
-- core.prisindeks (service- eller overførselsindekset efter regimet); et år uden for
-- indekset bruger nærmeste år i indekset, og uden indeks er faktoren 1 (løbende priser).
-- Navn: prisfaktorer
CREATE OR REPLACE MACRO core.indekstype(regime) AS
    CASE WHEN regime = 'overførsel' THEN 'overførsler' ELSE 'service' END;

-- The nearest year is found once per query, not per row: the subquery reads no column of
-- the caller, so DuckDB runs it once, for every year an index can have (2000-2100, the
-- kind's range; a year outside it has the same nearest year as the range's end, and no
-- year, the latest). Per row, the index is then the type's list at the year. A correlated
-- subquery (ORDER BY distance LIMIT 1 per row) gave the same figures, but cost DuckDB's
-- planner tens of milliseconds per call: 0.18 s for core.gruppe_resultat's four calls.
-- (the aliases are unusual on purpose: a macro's arguments are expanded as written, so a
-- caller's "p.aar" must not meet an alias p in here)
CREATE OR REPLACE MACRO core.indeks(typ, y) AS (
    SELECT map_from_entries(list({'k': makro_a.type, 'v': makro_a.aarene}))
    FROM (
        SELECT makro_n.type, list(makro_n.indeks ORDER BY makro_n.aar) AS aarene
        FROM (
            -- nearest year first, the later of two as near
            SELECT makro_pi.type, makro_y.aar,
                   arg_min(makro_pi.indeks, {'afstand': abs(makro_pi.aar - makro_y.aar),
                                             'senest': -makro_pi.aar}) AS indeks
            FROM core.prisindeks makro_pi, range(2000, 2101) makro_y(aar)
            GROUP BY ALL
        ) makro_n
        GROUP BY makro_n.type
    ) makro_a
)[typ][least(greatest(coalesce(y, 2100), 2000), 2100) - 1999];

CREATE OR REPLACE MACRO core.prisfaktor(regime, fra, til) AS
    coalesce(core.indeks(core.indekstype(regime), til)
             / core.indeks(core.indekstype(regime), fra), 1.0);
