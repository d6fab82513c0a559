-- Budgetbroen pr. område og år i løbende priser: fra det vedtagne budget i den gældende
-- budgetaftale til det korrigerede budget, fordelt på korrektionernes type (teknisk,
-- demografi, tillægsbevilling, overførsel) fra core.budgetkorrektion, og den rest, ingen
-- korrektion forklarer (uforklaret = korrigeret − vedtaget − korrektionerne; tom, når et
-- af budgetterne mangler). reference er budgetmetodens reference: vedtaget + teknisk +
-- demografi. En uforklaret rest, der ikke er 0, er en advarsel i kørslen og rapportens
-- Opmærksomhed. Se docs/beregninger.md, "Budgetkorrektioner".
-- Navn: budgetbro
CREATE OR REPLACE TABLE mart.budgetbro AS
WITH korrektioner AS (
    SELECT omraade, aar,
           coalesce(sum(beloeb) FILTER (WHERE type = 'teknisk'), 0) AS teknisk,
           coalesce(sum(beloeb) FILTER (WHERE type = 'demografi'), 0) AS demografi,
           coalesce(sum(beloeb) FILTER (WHERE type = 'tillægsbevilling'), 0) AS tillaegsbevilling,
           coalesce(sum(beloeb) FILTER (WHERE type = 'overførsel'), 0) AS overfoersel,
           count(*) AS antal_korrektioner
    FROM core.budgetkorrektion
    GROUP BY ALL
),
noegler AS (
    SELECT omraade, aar FROM core.vedtaget_budget
    UNION SELECT omraade, aar FROM core.korrigeret_budget
    UNION SELECT omraade, aar FROM korrektioner
),
tal AS (
    SELECT n.omraade, n.aar, v.budgetaftale,
           core.kr(v.beloeb) AS vedtaget_budget,
           core.kr(coalesce(c.teknisk, 0)) AS teknisk,
           core.kr(coalesce(c.demografi, 0)) AS demografi,
           core.kr(coalesce(c.tillaegsbevilling, 0)) AS tillaegsbevilling,
           core.kr(coalesce(c.overfoersel, 0)) AS overfoersel,
           core.kr(k.beloeb) AS korrigeret_budget,
           coalesce(c.antal_korrektioner, 0) AS antal_korrektioner
    FROM noegler n
    LEFT JOIN core.vedtaget_budget v USING (omraade, aar)
    LEFT JOIN core.korrigeret_budget k USING (omraade, aar)
    LEFT JOIN korrektioner c USING (omraade, aar)
)
SELECT omraade, aar, budgetaftale, vedtaget_budget, teknisk, demografi, tillaegsbevilling,
       overfoersel, korrigeret_budget,
       korrigeret_budget - vedtaget_budget - teknisk - demografi - tillaegsbevilling
           - overfoersel AS uforklaret,
       vedtaget_budget + teknisk + demografi AS reference,
       antal_korrektioner,
       'løbende priser' AS prisniveau
FROM tal
ORDER BY omraade, aar;
