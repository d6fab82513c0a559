-- Årets aktivitet pr. område og indikator: gennemsnittet af årets måneds- (eller
-- kvartals)tal. Samme indikatornavn i to områder er to indikatorer; en række uden område
-- har tomt område og tæller for den indsats, der bruger indikatoren (se
-- docs/beregninger.md, "Aktivitet"). Et år med færre end 12 måneder (4 kvartaler) er
-- opgjort som 'forventet'.
-- Navn: aktivitet pr. år
CREATE OR REPLACE TABLE core.aktivitet_aar AS
SELECT omraade, indikator, aar,
       avg(antal) AS gennemsnit,
       count(*) AS perioder,
       CASE WHEN count(DISTINCT maaned) = 12 OR count(DISTINCT kvartal) = 4
            THEN 'regnskab' ELSE 'forventet' END AS opgjort_som
FROM (
    SELECT omraade, indikator, aar, maaned, kvartal, sum(antal) AS antal
    FROM core.aktivitet
    GROUP BY ALL
)
GROUP BY ALL;
