-- Én række pr. afleveret fil: status accepteret, afvist, dublet eller erstattet (alle
-- filens rækker er erstattet af nyere filer), antal rækker, perioder og begrundelse.
-- Hvilke rækker der er i brug, og hver fils perioder, afledes af udtrækstyperne
-- (core.i_brug og core.leveranceperioder, genereret fra schemas/kinds/).
-- Navn: leverancer
CREATE OR REPLACE TABLE mart.leverancer AS
WITH perioder AS (
    SELECT leverance_nr,
           CASE WHEN any_value(periode) = 'maaned'
                THEN printf('%04d-%02d', min(fra) // 100, min(fra) % 100) || ' – '
                     || printf('%04d-%02d', max(til) // 100, max(til) % 100)
                ELSE CAST(min(fra) AS VARCHAR) || ' – ' || CAST(max(til) AS VARCHAR)
           END AS perioder
    FROM core.leveranceperioder
    GROUP BY leverance_nr
)
SELECT l.leverance_nr, l.filnavn, l.sha256, l.art, l.modtaget,
       CASE WHEN l.status = 'accepteret' AND l.leverance_nr NOT IN (SELECT leverance_nr FROM core.i_brug)
            THEN 'erstattet' ELSE l.status END AS status,
       l.raekker, p.perioder, l.begrundelse
FROM raw.leverancer l
LEFT JOIN perioder p USING (leverance_nr)
ORDER BY l.leverance_nr;
