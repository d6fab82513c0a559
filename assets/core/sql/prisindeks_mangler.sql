-- År, som beløb flyttes fra eller til, men som prisindekset (service eller overførsler)
-- ikke har: forbrugs- og aktivitetsår, år med korrigeret budget, katalogets prisniveauer og
-- baselineår og de vedtagne budgetaftalers første år. core.prisfaktor bruger så det
-- nærmeste år i indekset (bruger_aar); kørslen, rapportens prislinje og Opmærksomhed siger
-- det. Tom uden leveret prisindeks (alt står da i løbende priser).
-- Navn: manglende år i prisindekset
CREATE OR REPLACE TABLE core.prisindeks_mangler AS
WITH typer AS (SELECT DISTINCT type FROM core.prisindeks),
aarene AS (
    SELECT aar FROM core.forbrug_aar
    UNION SELECT aar FROM core.aktivitet
    UNION SELECT aar FROM core.budget WHERE budgettype = 'korrigeret'
    UNION SELECT CAST(left(budgetaftale, 4) AS INTEGER) FROM core.budget
          WHERE budgettype = 'oprindeligt' AND budgetaftale IS NOT NULL
    UNION SELECT prisniveau FROM core.indsats_oekonomi
    UNION SELECT prisniveau FROM core.indsatser
    UNION SELECT baselineaar FROM core.indsatser
),
mangler AS (
    SELECT t.type, a.aar
    FROM typer t CROSS JOIN aarene a
    WHERE a.aar IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM core.prisindeks p WHERE p.type = t.type AND p.aar = a.aar)
)
SELECT m.type, m.aar,
       (SELECT p.aar FROM core.prisindeks p WHERE p.type = m.type
        ORDER BY abs(p.aar - m.aar), p.aar DESC LIMIT 1) AS bruger_aar
FROM mangler m
ORDER BY m.type, m.aar;
