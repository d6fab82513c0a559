-- Indsatser, der skal dele en krone, uanset metode: en fælles funktion, som mindst én af
-- dem måler på forbruget af (metode budget eller baseline), eller en fælles
-- aktivitetsindikator (metode aktivitet), også gennem mellemled. gruppe er det mindste
-- indsats-ID i gruppen. Se docs/beregninger.md, "Fælles funktioner".
-- Navn: indsatsgrupper
CREATE OR REPLACE TABLE core.indsats_grupper AS
WITH RECURSIVE led AS (
    SELECT a.indsats_id AS i, b.indsats_id AS j
    FROM core.indsats_funktioner a
    JOIN core.indsats_funktioner b ON a.funktion = b.funktion
    WHERE a.indsats_id = b.indsats_id
       OR a.metode IN ('budget', 'baseline') OR b.metode IN ('budget', 'baseline')
    UNION
    SELECT a.indsats_id, b.indsats_id
    FROM core.indsatser a
    JOIN core.indsatser b ON a.aktivitetsindikator = b.aktivitetsindikator
    WHERE a.metode = 'aktivitet' AND b.metode = 'aktivitet'
    UNION
    SELECT indsats_id, indsats_id FROM core.indsatser
),
naaet(i, j) AS (
    SELECT i, j FROM led
    UNION
    SELECT n.i, l.j FROM naaet n JOIN led l ON l.i = n.j
)
SELECT i AS indsats_id, min(j) AS gruppe FROM naaet GROUP BY i;
