-- Hver indsats' andel af sin gruppes resultat pr. år (core.gruppe_resultat). I en gruppe,
-- der måles på forbruget (budget eller baseline), får en aktivitetsindsats med egen
-- indikator (ingen anden i gruppen tæller den) og enhedspris sin målte andel: (aktivitet i baselineåret × målgruppens
-- befolkning i år / i baselineåret − aktivitet i år) × enhedspris, prisreguleret, aldrig
-- under 0 og tilsammen aldrig mere end gruppens resultat (ellers skaleres de ned, så
-- gruppens total holder). Resten fordeles på de øvrige indsatser efter deres planlagte
-- besparelser i den gældende aftale (ligeligt, når intet er planlagt); har alle en egen
-- måling, på dem alle. fordelt_efter siger hvordan: alene, egen måling, egen måling og
-- planlagt andel, planlagt andel eller ligelig andel. andel er indsatsens del af
-- resultatet (summen i gruppen er 1). Se docs/beregninger.md, "Fælles funktioner".
-- Navn: indsatsernes andele
CREATE OR REPLACE TABLE core.indsats_andel AS
WITH medlem AS (
    SELECT g.indsats_id, g.gruppe, r.aar, r.resultat, r.maalemetode,
           coalesce(k.besparelse, 0) AS planlagt,
           count(*) OVER (PARTITION BY g.gruppe, r.aar) AS medlemmer
    FROM core.indsats_grupper g
    JOIN core.gruppe_resultat r USING (gruppe)
    LEFT JOIN core.planlagt_i_kraft k ON k.indsats_id = g.indsats_id AND k.aar = r.aar
),
egen AS (
    SELECT m.indsats_id, m.aar,
           greatest(
               (ab.gennemsnit * coalesce(bn.antal / nullif(bb.antal, 0), 1) - an.gennemsnit)
               * i.enhedspris * core.prisfaktor(i.regime, coalesce(i.prisniveau, m.aar), m.aar),
               0) AS maalt
    FROM medlem m
    JOIN core.indsatser i USING (indsats_id)
    JOIN core.aktivitet_aar ab
      ON ab.indikator = i.aktivitetsindikator AND ab.omraade = i.omraade
     AND ab.aar = i.baselineaar
    JOIN core.aktivitet_aar an
      ON an.indikator = i.aktivitetsindikator AND an.omraade = i.omraade AND an.aar = m.aar
    LEFT JOIN core.maalgruppe_befolkning bb
      ON bb.maalgruppe = coalesce(i.maalgruppe, CASE WHEN i.omraade = 'børn og unge'
                                                     THEN '0-17' ELSE '18-64' END)
     AND bb.aar = i.baselineaar
    LEFT JOIN core.maalgruppe_befolkning bn ON bn.maalgruppe = bb.maalgruppe AND bn.aar = m.aar
    WHERE m.maalemetode IN ('budget', 'baseline') AND m.medlemmer > 1 AND m.resultat > 0
      AND i.metode = 'aktivitet' AND i.enhedspris IS NOT NULL
      -- its own indicator: no other member of the group counts it (else the same change
      -- would be counted twice)
      AND NOT EXISTS (
          SELECT 1 FROM core.indsats_grupper g2 JOIN core.indsatser j USING (indsats_id)
          WHERE g2.gruppe = m.gruppe AND j.indsats_id <> i.indsats_id
            AND j.aktivitetsindikator = i.aktivitetsindikator AND j.omraade = i.omraade)
),
loft AS (
    SELECT m.*, e.maalt,
           coalesce(sum(e.maalt) OVER gruppe, 0) AS maalt_i_alt,
           count(e.maalt) OVER gruppe AS maalte
    FROM medlem m
    LEFT JOIN egen e USING (indsats_id, aar)
    WINDOW gruppe AS (PARTITION BY m.gruppe, m.aar)
),
deling AS (
    SELECT *,
           maalt * least(1, resultat / nullif(maalt_i_alt, 0)) AS maalt_andel,
           maalt IS NULL OR maalte = medlemmer AS deler_resten,
           resultat - least(maalt_i_alt, resultat) AS rest
    FROM loft
),
vaegt AS (
    SELECT *,
           sum(planlagt) FILTER (WHERE deler_resten) OVER gruppe AS planlagt_deler,
           count(*) FILTER (WHERE deler_resten) OVER gruppe AS antal_deler
    FROM deling
    WINDOW gruppe AS (PARTITION BY gruppe, aar)
),
beloeb AS (
    SELECT *,
           CASE WHEN NOT deler_resten THEN 0
                WHEN planlagt_deler <> 0 THEN planlagt / planlagt_deler
                ELSE 1.0 / antal_deler END AS restandel
    FROM vaegt
)
SELECT indsats_id, gruppe, aar, medlemmer,
       CASE WHEN resultat IS NULL OR resultat = 0 OR maalte = 0 THEN restandel
            ELSE (coalesce(maalt_andel, 0) + restandel * rest) / resultat END AS andel,
       CASE WHEN resultat IS NULL THEN NULL
            WHEN medlemmer = 1 THEN 'alene'
            WHEN maalt IS NOT NULL AND deler_resten THEN 'egen måling og planlagt andel'
            WHEN maalt IS NOT NULL THEN 'egen måling'
            WHEN planlagt_deler <> 0 THEN 'planlagt andel'
            ELSE 'ligelig andel' END AS fordelt_efter
FROM beloeb;
