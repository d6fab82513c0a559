-- Det kontrafaktiske forløb: hvad kommunen ville have brugt pr. indbygger uden strategien,
-- pr. område og år, efter to metoder (docs/metode.md). Syntetisk kontrol: de andre
-- kommuner vægtet sammen (core.syntetisk_kontrol), så de følger kommunens nettodrift pr.
-- indbygger i årene før den første budgetaftale; forskellen efter er skønnet over
-- strategiens virkning, pr. indbygger og i kroner (gange årets indbyggere). Usikkerheden:
-- tilpasningen før (RMSPE, kr. pr. indbygger) og placebotesten, hvor hver donor i tur
-- behandles som kommunen: rang = antal kommuner (kommunen selv med) med et forhold mellem
-- RMSPE efter og før på mindst kommunens, p = rang / antal. Er RMSPE før over 5 % af
-- niveauet før, kan skønnet ikke bruges. Forskel-i-forskelle som andet skøn: kommunens
-- gennemsnitlige forhold til sammenligningsgruppens median før aftalen gange årets median.
-- Løbende priser. Tomt, når et tal mangler.
-- Navn: det kontrafaktiske forløb
CREATE OR REPLACE TABLE mart.kontrafaktisk AS
WITH egen AS (
    SELECT min(kommunenr) AS kommunenr FROM core.sammenligningsgruppe WHERE rolle = 'egen'
),
vaerdi AS (
    SELECT kommunenr, omraade, aar, CAST(kr_pr_indbygger AS DOUBLE) AS y
    FROM core.dst_drift
    WHERE kr_pr_indbygger IS NOT NULL
),
donorer AS (
    SELECT behandlet, omraade, count(*) AS antal FROM core.syntetisk_kontrol GROUP BY ALL
),
syntetisk AS (
    SELECT s.behandlet, s.omraade, v.aar, any_value(s.foerste_aar) AS foerste_aar,
           sum(s.vaegt * v.y) / sum(s.vaegt) AS syntetisk, count(*) AS antal
    FROM core.syntetisk_kontrol s
    JOIN vaerdi v ON v.kommunenr = s.donor AND v.omraade = s.omraade
    GROUP BY s.behandlet, s.omraade, v.aar
),
gab AS (
    SELECT s.behandlet, s.omraade, s.aar, s.foerste_aar, s.syntetisk, v.y AS faktisk,
           v.y - s.syntetisk AS forskel, s.aar < s.foerste_aar AS foer
    FROM syntetisk s
    JOIN donorer d USING (behandlet, omraade)
    JOIN vaerdi v ON v.kommunenr = s.behandlet AND v.omraade = s.omraade AND v.aar = s.aar
    WHERE s.antal = d.antal  -- a year a donor lacks has no synthetic figure
),
rmspe AS (
    SELECT behandlet, omraade,
           sqrt(avg(CASE WHEN foer THEN forskel ^ 2 END)) AS foer,
           sqrt(avg(CASE WHEN NOT foer THEN forskel ^ 2 END)) AS efter,
           avg(CASE WHEN foer THEN faktisk END) AS niveau_foer
    FROM gab
    GROUP BY ALL
),
placebo AS (
    SELECT *, efter / nullif(foer, 0) AS forhold,
           count(*) OVER (PARTITION BY omraade) AS antal
    FROM rmspe
),
rangeret AS (
    SELECT p.*,
           CASE WHEN p.forhold IS NOT NULL THEN (
               SELECT count(*) FROM placebo q
               WHERE q.omraade = p.omraade AND q.forhold >= p.forhold) END AS rang
    FROM placebo p
),
median AS (
    SELECT d.omraade, d.aar, quantile_cont(CAST(d.kr_pr_indbygger AS DOUBLE), 0.5) AS median
    FROM core.dst_drift d
    JOIN core.sammenligningsgruppe g ON g.kommunenr = d.kommunenr AND g.rolle = 'sammenligning'
    WHERE d.kr_pr_indbygger IS NOT NULL
    GROUP BY ALL
),
egne AS (
    SELECT d.omraade, d.aar, d.kommunenr, d.kommune, d.indbyggere,
           CAST(d.kr_pr_indbygger AS DOUBLE) AS faktisk, m.median,
           f.foerste_aar, d.aar < f.foerste_aar AS foer
    FROM core.dst_drift d
    JOIN egen e USING (kommunenr)
    CROSS JOIN (SELECT min(TRY_CAST(left(budgetaftale, 4) AS INTEGER)) AS foerste_aar
                FROM core.indsats_oekonomi) f
    LEFT JOIN median m USING (omraade, aar)
    WHERE f.foerste_aar IS NOT NULL
),
did AS (
    SELECT omraade, avg(faktisk / nullif(median, 0)) AS forhold_foer,
           count(faktisk / nullif(median, 0)) AS aar_foer
    FROM egne
    WHERE foer
    GROUP BY omraade
)
SELECT x.omraade, x.aar, x.kommunenr, x.kommune,
       CASE WHEN x.foer THEN 'før aftalen' ELSE 'efter' END AS periode,
       x.indbyggere,
       core.kr(x.faktisk) AS faktisk_kr_pr_indbygger,
       core.kr(g.syntetisk) AS syntetisk_kr_pr_indbygger,
       core.kr(g.forskel) AS forskel_kr_pr_indbygger,
       core.kr(g.forskel * x.indbyggere) AS forskel_kr,
       g.forskel / nullif(g.syntetisk, 0) AS forskel_andel,
       r.foer AS rmspe_foer, r.efter AS rmspe_efter, r.forhold AS rmspe_forhold,
       r.rang AS placebo_rang, r.antal AS placebo_antal,
       r.rang / r.antal AS p_vaerdi,
       coalesce(r.foer <= 0.05 * r.niveau_foer, false) AS brugbar,
       CASE WHEN r.foer IS NULL THEN 'kan ikke bruges: for få år eller kommuner til en syntetisk kontrol'
            WHEN r.foer > 0.05 * r.niveau_foer
            THEN 'kan ikke bruges: den syntetiske kontrol rammer kommunen for dårligt før aftalen'
            WHEN r.rang / r.antal <= 0.1
            THEN 'kan bruges: forskellen er større end hos de fleste placebokommuner'
            ELSE 'kan bruges, men forskellen kan skyldes tilfældigheder (placebotesten)'
       END AS vurdering,
       core.kr(x.median) AS gruppens_median,
       core.kr(x.median * d.forhold_foer) AS did_kr_pr_indbygger,
       core.kr(x.faktisk - x.median * d.forhold_foer) AS did_forskel_kr_pr_indbygger,
       core.kr((x.faktisk - x.median * d.forhold_foer) * x.indbyggere) AS did_forskel_kr,
       'løbende priser' AS prisniveau
FROM egne x
LEFT JOIN gab g ON g.behandlet = x.kommunenr AND g.omraade = x.omraade AND g.aar = x.aar
LEFT JOIN rangeret r ON r.behandlet = x.kommunenr AND r.omraade = x.omraade
LEFT JOIN did d ON d.omraade = x.omraade
ORDER BY x.omraade, x.aar;
