-- Hvor ændringen i nettoforbruget kommer fra, pr. område og år, mod basisåret (året før
-- den første budgetaftale) og mod året før: ændringen i løbende priser delt præcist i pris
-- (prisindekset), demografi (indbyggere i områdets aldersgruppe), hyppighed (modtagere pr.
-- indbygger) og enhedsomkostning (kr. pr. modtager i faste priser) med additiv LMDI (Ang
-- 2005): del_i = L(V_t, V_0) · ln(x_i,t / x_i,0), L = core.logmiddel, og de fire dele
-- giver tilsammen ændringen uden rest. Delene rundes til øre; enhedsomkostningen tager
-- afrundingen af de tre andre (under 2 øre), så summen stemmer til øren. Tallene kommer fra
-- mart.aarsoversigt (modtagere = aktiviteten i helårspersoner eller pladser). Mangler et
-- tal, eller er et ikke positivt, er delene tomme, og begrundelse siger hvorfor.
-- Navn: udgiftsudviklingen
CREATE OR REPLACE TABLE mart.udgiftsudvikling AS
WITH aarene AS (
    SELECT omraade, aar, opgjort_som,
           core.kr(nettoforbrug_loebende_priser) AS v,
           CAST(nettoforbrug_loebende_priser AS DOUBLE) AS vd,
           CAST(nettoforbrug_faste_priser AS DOUBLE) AS v_fast,
           CAST(aktivitet AS DOUBLE) AS modtagere,
           CAST(indbyggere AS DOUBLE) AS indbyggere
    FROM mart.aarsoversigt
    WHERE nettoforbrug_loebende_priser IS NOT NULL
),
basis AS (
    SELECT min(TRY_CAST(left(budgetaftale, 4) AS INTEGER)) - 1 AS aar FROM core.indsats_oekonomi
),
par AS (
    SELECT 'basisåret' AS sammenlignet_med, t.omraade, t.aar, t.opgjort_som,
           f.aar AS fra_aar, f.v AS fra_v, f.vd AS fra_vd, f.v_fast AS fra_fast,
           f.modtagere AS fra_m, f.indbyggere AS fra_n,
           t.v, t.vd, t.v_fast, t.modtagere, t.indbyggere
    FROM aarene t JOIN aarene f ON f.omraade = t.omraade AND f.aar = (SELECT aar FROM basis)
    WHERE t.aar > f.aar
    UNION ALL
    SELECT 'året før', t.omraade, t.aar, t.opgjort_som,
           f.aar, f.v, f.vd, f.v_fast, f.modtagere, f.indbyggere,
           t.v, t.vd, t.v_fast, t.modtagere, t.indbyggere
    FROM aarene t JOIN aarene f ON f.omraade = t.omraade AND f.aar = t.aar - 1
),
grund AS (
    SELECT *,
           CASE WHEN fra_vd <= 0 OR vd <= 0
                THEN 'nettoforbruget er 0 eller negativt; delingen kræver positive tal'
                WHEN fra_fast IS NULL OR v_fast IS NULL OR fra_fast <= 0 OR v_fast <= 0
                THEN 'prisindekset mangler for et af årene'
                WHEN fra_n IS NULL OR indbyggere IS NULL OR fra_n <= 0 OR indbyggere <= 0
                THEN 'befolkningen mangler for et af årene'
                WHEN fra_m IS NULL OR modtagere IS NULL OR fra_m <= 0 OR modtagere <= 0
                THEN 'aktiviteten (modtagere) mangler eller er 0 for et af årene'
           END AS begrundelse
    FROM par
),
dele AS (  -- the logarithms only where every figure is positive
    SELECT g.*, x.*
    FROM grund g
    LEFT JOIN LATERAL (
        SELECT core.logmiddel(g.vd, g.fra_vd) AS l,
               ln((g.vd / g.v_fast) / (g.fra_vd / g.fra_fast)) AS ln_pris,
               ln(g.indbyggere / g.fra_n) AS ln_demografi,
               ln((g.modtagere / g.indbyggere) / (g.fra_m / g.fra_n)) AS ln_hyppighed
        WHERE g.begrundelse IS NULL
    ) x ON true
),
runde AS (
    SELECT *, core.kr(l * ln_pris) AS del_pris, core.kr(l * ln_demografi) AS del_demografi,
           core.kr(l * ln_hyppighed) AS del_hyppighed
    FROM dele
)
SELECT omraade, aar, sammenlignet_med, fra_aar,
       fra_v AS nettoforbrug_fra, v AS nettoforbrug, v - fra_v AS aendring,
       del_pris, del_demografi, del_hyppighed,
       CASE WHEN l IS NOT NULL THEN v - fra_v - del_pris - del_demografi - del_hyppighed END
           AS del_enhedsomkostning,
       begrundelse, opgjort_som, 'løbende priser' AS prisniveau
FROM runde
ORDER BY omraade, aar, sammenlignet_med;
