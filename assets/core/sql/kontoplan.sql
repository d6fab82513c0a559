-- Funktion → område og regime: den medfølgende standardkontoplan (docs/domaene.md),
-- overskrevet pr. funktion og gruppering af den senest leverede kontoplan.
-- Navn: kontoplan
CREATE OR REPLACE TABLE core.kontoplan AS
WITH leveret AS (
    SELECT funktion, gruppering, omraade, regime, leverance_nr
    FROM raw.kontoplan
    QUALIFY row_number() OVER (
        PARTITION BY funktion, coalesce(gruppering, '') ORDER BY leverance_nr DESC) = 1
),
standard AS (
    SELECT funktion, gruppering, omraade, regime,
           CAST(fra_aar AS INTEGER) AS fra_aar, CAST(til_aar AS INTEGER) AS til_aar
    FROM standard_kontoplan
)
SELECT l.funktion, l.gruppering, l.omraade,
       coalesce(l.regime, (SELECT any_value(s.regime) FROM standard s WHERE s.omraade = l.omraade),
                'service') AS regime,
       NULL::INTEGER AS fra_aar, NULL::INTEGER AS til_aar,
       'leveret' AS kilde, l.leverance_nr
FROM leveret l
UNION ALL
SELECT s.funktion, s.gruppering, s.omraade, s.regime, s.fra_aar, s.til_aar,
       'standard' AS kilde, NULL::INTEGER AS leverance_nr
FROM standard s
WHERE NOT EXISTS (
    SELECT 1 FROM leveret l
    WHERE l.funktion = s.funktion AND l.gruppering IS NOT DISTINCT FROM s.gruppering
);
