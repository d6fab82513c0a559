-- Indsatser, der skal dele en krone: samme metode og en fælles funktion (budget og
-- baseline) eller en fælles aktivitetsindikator (aktivitet), også gennem mellemled.
-- gruppe er det mindste indsats-ID i gruppen.
CREATE OR REPLACE TABLE core.indsats_grupper AS
WITH RECURSIVE led AS (
    SELECT a.indsats_id AS i, b.indsats_id AS j
    FROM core.indsats_funktioner a
    JOIN core.indsats_funktioner b ON a.funktion = b.funktion AND a.metode = b.metode
    WHERE a.metode IN ('budget', 'baseline')
    UNION
    SELECT a.indsats_id, b.indsats_id
    FROM core.indsatser a
    JOIN core.indsatser b ON a.aktivitetsindikator = b.aktivitetsindikator
    WHERE a.metode = 'aktivitet' AND b.metode = 'aktivitet'
),
naaet(i, j) AS (
    SELECT i, j FROM led
    UNION
    SELECT n.i, l.j FROM naaet n JOIN led l ON l.i = n.j
)
SELECT i AS indsats_id, min(j) AS gruppe FROM naaet GROUP BY i;
