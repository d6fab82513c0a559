-- Årsoversigt til budgetprocessen pr. område og år, i ét prisniveau: vedtaget budget (fra
-- den nyeste vedtagne budgetaftale, der begynder i eller før året, så kommende år og
-- overslagsår kommer fra det seneste vedtagne budget), korrigeret budget, nettoforbrug
-- (regnskab, eller for et år, der ikke er slut, forventet regnskab: de budgetansvarliges
-- eget, hvor det findes, som i budgetopfølgningen), aktivitet i helårspersoner eller
-- pladser (aktivitetsudtræk med enheden helårspersoner/pladser, gennemsnittet af årets
-- måneder, summeret over områdets indikatorer), enhedsomkostning (nettoforbrug ÷
-- aktivitet) og forbrug pr. indbygger (0-17-årige for børn og unge, 18-64-årige for
-- voksenområderne). Ændringerne er fra år t − 1 i faste priser; tomme, når et af tallene
-- er tomt. Et vedtaget budget står i aftalens første års priser, et korrigeret budget og
-- et regnskab i årets egne. Se docs/beregninger.md, "Årsoversigt".
-- Navn: årsoversigt
CREATE OR REPLACE TABLE mart.aarsoversigt AS
WITH niveau AS (SELECT aar AS pl, prisniveau FROM core.prisniveau),
regimer AS (SELECT omraade, any_value(regime) AS regime FROM core.kontoplan GROUP BY omraade),
beregnet AS (
    SELECT omraade, any_value(regime) AS regime, aar, sum(forventet_regnskab) AS loebende,
           bool_or(opgjort_som = 'forventet') AS forventet
    FROM core.forbrug_aar
    GROUP BY omraade, aar
),
forbrug AS (
    SELECT a.omraade, a.aar,
           CASE WHEN a.forventet THEN coalesce(h.forventet_regnskab, a.loebende)
                ELSE a.loebende END AS loebende,
           a.forventet
    FROM beregnet a
    LEFT JOIN core.forventet_regnskab h
      ON h.omraade = a.omraade AND h.aar = a.aar AND h.indsats_id IS NULL
),
vedtaget AS (SELECT * FROM core.vedtaget_budget),
korrigeret AS (SELECT * FROM core.korrigeret_budget),
aktivitet AS (
    SELECT omraade, aar, sum(gennemsnit) AS aktivitet
    FROM (
        SELECT omraade, indikator, aar, avg(antal) AS gennemsnit
        FROM (
            SELECT omraade, indikator, aar, maaned, kvartal, sum(antal) AS antal
            FROM core.aktivitet
            WHERE omraade IS NOT NULL
              AND regexp_matches(lower(enhed), '^\s*(helårs|helaars|plads|pladser)')
            GROUP BY ALL
        )
        GROUP BY ALL
    )
    GROUP BY ALL
),
noegler AS (
    SELECT omraade, aar FROM forbrug
    UNION SELECT omraade, aar FROM vedtaget
    UNION SELECT omraade, aar FROM korrigeret
),
faste AS (
    SELECT k.omraade, k.aar, f.loebende, f.forventet, v.budgetaftale,
           core.kr(f.loebende * core.prisfaktor(r.regime, k.aar, n.pl)) AS faste,
           core.kr(v.beloeb * core.prisfaktor(r.regime, v.fra_aar, n.pl)) AS vedtaget,
           core.kr(kb.beloeb * core.prisfaktor(r.regime, k.aar, n.pl)) AS korrigeret,
           round(a.aktivitet, 1) AS aktivitet,
           CASE WHEN k.omraade = 'børn og unge' THEN '0-17' ELSE '18-64' END AS aldersgruppe,
           n.prisniveau
    FROM noegler k
    LEFT JOIN forbrug f USING (omraade, aar)
    LEFT JOIN vedtaget v USING (omraade, aar)
    LEFT JOIN korrigeret kb USING (omraade, aar)
    LEFT JOIN aktivitet a USING (omraade, aar)
    LEFT JOIN regimer r USING (omraade)
    CROSS JOIN niveau n
),
enhed AS (
    SELECT *, core.kr(faste / nullif(aktivitet, 0)) AS enhedsomkostning FROM faste
)
SELECT f.omraade, f.aar,
       f.vedtaget AS vedtaget_budget,
       f.budgetaftale AS vedtaget_i,
       f.korrigeret AS korrigeret_budget,
       f.loebende AS nettoforbrug_loebende_priser,
       f.faste AS nettoforbrug_faste_priser,
       f.faste - foer.faste AS aendring_kr,
       round(100 * (f.faste - foer.faste) / nullif(foer.faste, 0), 2) AS aendring_pct,
       f.vedtaget - foer.vedtaget AS aendring_vedtaget_budget,
       f.aktivitet,
       f.aktivitet - foer.aktivitet AS aendring_aktivitet,
       f.enhedsomkostning,
       f.enhedsomkostning - foer.enhedsomkostning AS aendring_enhedsomkostning,
       f.aldersgruppe,
       b.antal AS indbyggere,
       core.kr(f.faste / nullif(b.antal, 0)) AS forbrug_pr_indbygger,
       CASE WHEN f.forventet THEN 'forventet' WHEN NOT f.forventet THEN 'regnskab'
            ELSE 'budget' END AS opgjort_som,
       f.prisniveau
FROM enhed f
LEFT JOIN enhed foer ON foer.omraade = f.omraade AND foer.aar = f.aar - 1
LEFT JOIN core.befolkning b ON b.aar = f.aar AND b.aldersgruppe = f.aldersgruppe
ORDER BY f.omraade, f.aar;
