-- Nettoforbrug (drift og statsrefusion, dranst 1 og 2) pr. funktion og år, med forventet
-- regnskab for et år, der endnu ikke er afsluttet: forbrug år til dato divideret med den
-- andel af årets forbrug, som funktionen i tidligere afsluttede år havde bogført ved samme
-- måned (uden historik: måned/12). paa_indsatssteder er den del af forbruget, der er
-- bogført på indsatsernes egne ansvarssteder (investeringer), fremskrevet på samme måde.
-- Se docs/beregninger.md.
-- Navn: forbrug pr. år
CREATE OR REPLACE TABLE core.forbrug_aar AS
WITH indsatssteder AS (
    SELECT DISTINCT ansvarssted FROM core.indsatser WHERE ansvarssted IS NOT NULL
),
maaneder AS (
    SELECT f.funktion, f.omraade, f.regime, f.aar, f.maaned, sum(f.beloeb) AS beloeb,
           coalesce(sum(f.beloeb) FILTER (WHERE s.ansvarssted IS NOT NULL), 0) AS indsats
    FROM core.forbrug f
    LEFT JOIN indsatssteder s ON s.ansvarssted = f.ansvarssted
    WHERE f.omraade IS NOT NULL AND core.netto(f.dranst)
    GROUP BY ALL
),
horisont AS (
    SELECT omraade, aar, max(maaned) AS opgjort_til FROM maaneder GROUP BY ALL
),
aar_til_dato AS (
    SELECT m.funktion, m.omraade, m.regime, m.aar, h.opgjort_til, sum(m.beloeb) AS beloeb,
           sum(m.indsats) AS indsats
    FROM maaneder m JOIN horisont h USING (omraade, aar)
    GROUP BY ALL
),
historik AS (
    SELECT m.funktion, m.aar, g.maaned,
           sum(m.beloeb) FILTER (WHERE m.maaned <= g.maaned) / nullif(sum(m.beloeb), 0) AS andel
    FROM maaneder m
    JOIN horisont h ON h.omraade = m.omraade AND h.aar = m.aar AND h.opgjort_til = 12
    CROSS JOIN (SELECT unnest(range(1, 13)) AS maaned) g
    GROUP BY ALL
),
moenster AS (
    SELECT a.funktion, a.aar, avg(h.andel) AS andel, count(h.andel) AS historiske_aar
    FROM aar_til_dato a
    JOIN historik h
      ON h.funktion = a.funktion AND h.maaned = a.opgjort_til AND h.aar < a.aar
     AND h.andel BETWEEN 0.05 AND 1.5
    WHERE a.opgjort_til < 12
    GROUP BY ALL
)
SELECT a.funktion, a.omraade, a.regime, a.aar, a.opgjort_til,
       a.beloeb AS forbrug_aar_til_dato,
       CASE WHEN a.opgjort_til = 12 THEN a.beloeb
            ELSE CAST(round(a.beloeb / coalesce(m.andel, a.opgjort_til / 12.0), 2) AS DECIMAL(18, 2))
       END AS forventet_regnskab,
       CASE WHEN a.opgjort_til = 12 THEN a.indsats
            ELSE core.kr(a.indsats / coalesce(m.andel, a.opgjort_til / 12.0))
       END AS paa_indsatssteder,
       CASE WHEN a.opgjort_til = 12 THEN 'regnskab' ELSE 'forventet' END AS opgjort_som,
       coalesce(m.historiske_aar, 0) AS historiske_aar
FROM aar_til_dato a
LEFT JOIN moenster m USING (funktion, aar);
