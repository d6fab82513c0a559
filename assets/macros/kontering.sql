-- Kontoplanen slået op: core.kontering(funktion, gruppering, år) er funktionens område og
-- regime i året som {omraade, regime}; en linje for netop grupperingen går forud for
-- funktionens generelle linje, og uden for kontoplanen er begge tomme. Budgetter og
-- Danmarks Statistiks tal har ingen gruppering (NULL) og får funktionens generelle linje.
-- (the alias is unusual on purpose, as in core.indeks)
-- Navn: opslag i kontoplanen
CREATE OR REPLACE MACRO core.kontering(fnk, grp, y) AS (
    SELECT {'omraade': makro_k.omraade, 'regime': makro_k.regime}
    FROM core.kontoplan makro_k
    WHERE makro_k.funktion = fnk
      AND (makro_k.gruppering IS NULL OR makro_k.gruppering = grp)
      AND y BETWEEN coalesce(makro_k.fra_aar, 0) AND coalesce(makro_k.til_aar, 9999)
    ORDER BY makro_k.gruppering NULLS LAST LIMIT 1
);
