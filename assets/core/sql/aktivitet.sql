-- Gældende aktivitetstal efter erstatningsreglen: for hvert (indikator, område, periode)
-- gælder den senest modtagne fil.
CREATE OR REPLACE TABLE core.aktivitet AS
SELECT *
FROM raw.aktivitet
QUALIFY leverance_nr = max(leverance_nr) OVER (
    PARTITION BY indikator, coalesce(omraade, ''), aar, coalesce(maaned, 0), coalesce(kvartal, 0));
