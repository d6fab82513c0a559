-- Sammenligning med andre kommuner pr. kommune, område og år ud fra Danmarks Statistiks
-- REGK31/BUDK32 og FOLK1A (core.dst_drift): nettodrift (dranst 1 + 2, løbende priser) på områdets
-- funktioner (kontoplanen), kroner pr. indbygger i områdets aldersgruppe (0-17 år for børn
-- og unge, 18-64 år for voksenområderne), rang (1 = lavest pr. indbygger; lige tal ordnes
-- efter kommunenummer) blandt alle kommuner i filen og i sammenligningsgruppen, og hvor
-- meget kommunen ligger over gruppens median og nedre kvartil (gruppen uden kommunen selv)
-- pr. indbygger og i alt. Tomt, når et tal mangler: mangler én del af nettodriften ('..'
-- i filen), er nettodriften tom, aldrig en delsum, og kommunen får ingen rang. Kun
-- regnskaber (REGK31): Danmarks Statistik siger, at budgetter (BUDK32) og regnskaber ikke
-- kan sammenlignes (docs/valg.md). Behovskorrigeret (når udgiftsbehovet er leveret):
-- kroner pr. indbygger delt med kommunens udgiftsbehov (indeks / 100), rangen på det, og
-- hvor meget kommunen ville bruge mindre, hvis den brugte som gruppens behovskorrigerede
-- median ganget med sit eget udgiftsbehov. Uden et indeks er de tomme.
-- Navn: sammenligningen
CREATE OR REPLACE TABLE mart.benchmark AS
WITH pr_indbygger AS (
    SELECT d.*, g.rolle, b.indeks AS behovsindeks,
           core.kr(d.kr_pr_indbygger / (b.indeks / 100)) AS behovskorrigeret
    FROM core.dst_drift d
    LEFT JOIN core.sammenligningsgruppe g ON g.kommunenr = d.kommunenr
    LEFT JOIN core.udgiftsbehov b ON b.kommunenr = d.kommunenr AND b.aar = d.aar
),
rangeret AS (
    SELECT *,
           CASE WHEN kr_pr_indbygger IS NOT NULL THEN row_number() OVER (
               PARTITION BY omraade, aar, kr_pr_indbygger IS NULL
               ORDER BY kr_pr_indbygger, kommunenr) END AS rang,
           count(kr_pr_indbygger) OVER (PARTITION BY omraade, aar) AS antal_kommuner,
           CASE WHEN kr_pr_indbygger IS NOT NULL AND rolle IS NOT NULL THEN row_number() OVER (
               PARTITION BY omraade, aar, kr_pr_indbygger IS NULL OR rolle IS NULL
               ORDER BY kr_pr_indbygger, kommunenr) END AS rang_i_gruppen,
           count(CASE WHEN rolle IS NOT NULL THEN kr_pr_indbygger END)
               OVER (PARTITION BY omraade, aar) AS antal_i_gruppen,
           CASE WHEN behovskorrigeret IS NOT NULL THEN row_number() OVER (
               PARTITION BY omraade, aar, behovskorrigeret IS NULL
               ORDER BY behovskorrigeret, kommunenr) END AS behovskorrigeret_rang,
           count(behovskorrigeret) OVER (PARTITION BY omraade, aar)
               AS antal_behovskorrigeret
    FROM pr_indbygger
),
gruppe AS (
    SELECT omraade, aar,
           core.kr(quantile_cont(CAST(kr_pr_indbygger AS DOUBLE), 0.5)) AS median,
           core.kr(quantile_cont(CAST(kr_pr_indbygger AS DOUBLE), 0.25)) AS nedre_kvartil,
           core.kr(quantile_cont(CAST(kr_pr_indbygger AS DOUBLE), 0.75)) AS oevre_kvartil,
           core.kr(quantile_cont(CAST(behovskorrigeret AS DOUBLE), 0.5)) AS median_behov
    FROM pr_indbygger
    WHERE rolle = 'sammenligning' AND kr_pr_indbygger IS NOT NULL
    GROUP BY omraade, aar
)
SELECT r.kommunenr, r.kommune, r.omraade, r.aar, r.nettodrift, r.aldersgruppe,
       r.indbyggere, r.kr_pr_indbygger, r.rang, r.antal_kommuner,
       coalesce(r.rolle = 'egen', false) AS egen_kommune,
       r.rolle IS NOT NULL AS i_gruppen,
       r.rang_i_gruppen, r.antal_i_gruppen,
       g.median AS gruppens_median, g.nedre_kvartil AS gruppens_nedre_kvartil,
       g.oevre_kvartil AS gruppens_oevre_kvartil,
       r.kr_pr_indbygger - g.median AS over_median_kr_pr_indbygger,
       core.kr((r.kr_pr_indbygger - g.median) * r.indbyggere) AS over_median_kr,
       r.kr_pr_indbygger - g.nedre_kvartil AS over_nedre_kvartil_kr_pr_indbygger,
       core.kr((r.kr_pr_indbygger - g.nedre_kvartil) * r.indbyggere) AS over_nedre_kvartil_kr,
       r.behovsindeks, r.behovskorrigeret AS behovskorrigeret_kr_pr_indbygger,
       r.behovskorrigeret_rang, r.antal_behovskorrigeret,
       g.median_behov AS gruppens_behovskorrigerede_median,
       core.kr((r.kr_pr_indbygger - g.median_behov * r.behovsindeks / 100) * r.indbyggere)
           AS over_behovskorrigeret_median_kr,
       'løbende priser' AS prisniveau
FROM rangeret r
LEFT JOIN gruppe g ON g.omraade = r.omraade AND g.aar = r.aar
ORDER BY r.omraade, r.aar, r.kommunenr;
