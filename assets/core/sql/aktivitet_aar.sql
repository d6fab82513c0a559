-- Årets aktivitet pr. område og indikator: gennemsnittet af årets måneds- (eller
-- kvartals)tal af rækkerne, som de bruges (core.aktivitet_raekker: samme indikatornavn i to
-- områder er to indikatorer, en række uden område tæller for indsatsens område i et år uden
-- rækker med det). Et år med færre end 12 måneder (4 kvartaler) er opgjort som 'forventet'.
-- Se docs/beregninger.md, "Aktivitet".
-- Navn: aktivitet pr. år
CREATE OR REPLACE TABLE core.aktivitet_aar AS
SELECT omraade, indikator, aar,
       avg(antal) AS gennemsnit,
       count(*) AS perioder,
       CASE WHEN count(DISTINCT maaned) = 12 OR count(DISTINCT kvartal) = 4
            THEN 'regnskab' ELSE 'forventet' END AS opgjort_som
FROM (
    SELECT omraade, indikator, aar, maaned, kvartal, sum(antal) AS antal
    FROM core.aktivitet_raekker
    GROUP BY ALL
)
GROUP BY ALL;
