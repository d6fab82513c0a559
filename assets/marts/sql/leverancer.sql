-- Én række pr. afleveret fil: status accepteret, afvist, dublet eller erstattet (alle
-- filens rækker er erstattet af nyere filer), antal rækker, perioder og begrundelse.
CREATE OR REPLACE TABLE mart.leverancer AS
WITH i_brug AS (
    SELECT leverance_nr FROM core.forbrug
    UNION SELECT leverance_nr FROM core.budget
    UNION SELECT leverance_nr FROM core.aktivitet
    UNION SELECT leverance_nr FROM core.indsatser
    UNION SELECT leverance_nr FROM core.prisindeks
    UNION SELECT leverance_nr FROM core.befolkning
    UNION SELECT leverance_nr FROM core.kontoplan WHERE leverance_nr IS NOT NULL
    UNION SELECT leverance_nr FROM core.dst_regnskab
    UNION SELECT leverance_nr FROM core.dst_befolkning
    UNION SELECT leverance_nr FROM core.sammenligningsgruppe WHERE leverance_nr IS NOT NULL
),
maanedlige AS (
    SELECT leverance_nr, aar * 100 + maaned AS p FROM raw.forbrug
    UNION ALL SELECT leverance_nr, aar * 100 + coalesce(maaned, kvartal * 3) FROM raw.aktivitet
),
aarlige AS (
    SELECT leverance_nr, aar FROM raw.budget
    UNION ALL SELECT leverance_nr, aar FROM raw.indsats_oekonomi
    UNION ALL SELECT leverance_nr, aar FROM raw.prisindeks
    UNION ALL SELECT leverance_nr, aar FROM raw.befolkning
    UNION ALL SELECT leverance_nr, aar FROM raw.dst_regnskab
    UNION ALL SELECT leverance_nr, aar FROM raw.dst_befolkning
),
perioder AS (
    SELECT leverance_nr,
           printf('%04d-%02d', min(p) // 100, min(p) % 100) || ' – '
               || printf('%04d-%02d', max(p) // 100, max(p) % 100) AS perioder
    FROM maanedlige GROUP BY leverance_nr
    UNION ALL
    SELECT leverance_nr, CAST(min(aar) AS VARCHAR) || ' – ' || CAST(max(aar) AS VARCHAR)
    FROM aarlige GROUP BY leverance_nr
)
SELECT l.leverance_nr, l.filnavn, l.sha256, l.art, l.modtaget,
       CASE WHEN l.status = 'accepteret' AND l.leverance_nr NOT IN (SELECT * FROM i_brug)
            THEN 'erstattet' ELSE l.status END AS status,
       l.raekker, p.perioder, l.begrundelse
FROM raw.leverancer l
LEFT JOIN perioder p USING (leverance_nr)
ORDER BY l.leverance_nr;
