-- Indsatser, der skal dele en krone, uanset metode. En gruppe med en budget- eller
-- baselineindsats måler forbruget på alle funktioner, dens indsatser står på; derfor hører
-- enhver indsats på en af de funktioner til gruppen, også gennem mellemled (kæder af
-- fælles funktioner og fælles aktivitetsindikatorer). Indsatser, der kun måles på
-- aktivitet, danner grupper efter fælles aktivitetsindikator (område og indikator).
-- gruppe er det mindste indsats-ID i gruppen. Se docs/beregninger.md, "Fælles funktioner".
-- Navn: indsatsgrupper
CREATE OR REPLACE TABLE core.indsats_grupper AS
WITH RECURSIVE indikator AS (
    -- two activity initiatives on one indicator of one område, and each initiative itself
    SELECT a.indsats_id AS i, b.indsats_id AS j
    FROM core.indsatser a
    JOIN core.indsatser b
      ON a.aktivitetsindikator = b.aktivitetsindikator AND a.omraade = b.omraade
    WHERE a.metode = 'aktivitet' AND b.metode = 'aktivitet'
    UNION
    SELECT indsats_id, indsats_id FROM core.indsatser
),
led AS (
    -- ... or two initiatives on one function, whatever their methods
    SELECT a.indsats_id AS i, b.indsats_id AS j
    FROM core.indsats_funktioner a JOIN core.indsats_funktioner b ON a.funktion = b.funktion
    UNION
    SELECT i, j FROM indikator
),
naaet(i, j) AS (
    SELECT i, j FROM led
    UNION
    SELECT n.i, l.j FROM naaet n JOIN led l ON l.i = n.j
),
indikator_naaet(i, j) AS (
    SELECT i, j FROM indikator
    UNION
    SELECT n.i, l.j FROM indikator_naaet n JOIN indikator l ON l.i = n.j
),
-- a chain that reaches a budget or baseline initiative is measured on spending: all of it
-- is one group; a chain of activity initiatives only is split by indicator
kaede AS (
    SELECT n.i, min(n.j) AS forste, bool_or(x.metode IN ('budget', 'baseline')) AS forbrug
    FROM naaet n JOIN core.indsatser x ON x.indsats_id = n.j
    GROUP BY n.i
)
SELECT k.i AS indsats_id,
       CASE WHEN k.forbrug THEN k.forste ELSE min(n.j) END AS gruppe
FROM kaede k JOIN indikator_naaet n ON n.i = k.i
GROUP BY k.i, k.forbrug, k.forste;
