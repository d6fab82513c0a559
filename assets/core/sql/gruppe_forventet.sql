-- De budgetansvarliges forventede regnskaber, en indsatsgruppe kan bruge som årets forbrug:
-- for hver gruppe og år ét pr. sæt af funktioner under gruppens indsatser med budget- eller
-- baselinemetode (core.forventet_regnskab, rækker med indsats-ID), med hvor mange af
-- gruppens indsatser det dækker, og filens ark og række. Det er ét tal, også når det
-- dækker flere indsatser, og dets indsats-ID kan være en anden indsats' (G2's række gælder
-- også G1 på samme funktioner). core.gruppe_resultat bruger dem; mart.sporbarhed peger på
-- dem. Se docs/beregninger.md, "Forventet regnskab".
-- Navn: gruppernes forventede regnskaber (budgetansvarlig)
CREATE OR REPLACE TABLE core.gruppe_forventet AS
WITH maalernes_funktioner AS (
    SELECT g.gruppe, g.indsats_id, string_agg(f.funktion, ', ' ORDER BY f.funktion) AS funktioner
    FROM core.indsats_grupper g
    JOIN core.indsatser i USING (indsats_id)
    JOIN core.indsats_funktioner f USING (indsats_id)
    WHERE i.metode IN ('budget', 'baseline')
    GROUP BY ALL
)
-- core.forventet_regnskab has one row per set of functions and year
SELECT t.gruppe, h.aar, t.funktioner, h.forventet_regnskab, count(*) AS indsatser,
       h.leverance_nr, h.kilde_ark, h.kilde_raekke
FROM maalernes_funktioner t
JOIN core.forventet_regnskab h ON h.funktioner = t.funktioner
WHERE h.indsats_id IS NOT NULL
GROUP BY ALL;
