-- Two different forecasts of the same thing (an område, or the functions an initiative
-- sits on) for the same year and month: a row of the file against an earlier row of the
-- file itself, or against a forecast already delivered (tidligere). The file's last row
-- and the newest file win (core/sql/forventet_regnskab.sql); this only words the conflict.
WITH ind AS (
    SELECT i.kilde_ark, i.kilde_raekke, i.omraade, i.indsats_id, i.aar, i.maaned,
           CAST(round(i.beloeb * 100) AS BIGINT) AS oere,
           CASE WHEN i.indsats_id IS NULL THEN 'område ' || i.omraade
                WHEN f.funktioner LIKE '%,%' THEN 'funktionerne ' || f.funktioner
                ELSE 'funktion ' || coalesce(f.funktioner, 'under indsats ' || i.indsats_id)
           END AS noegle
    FROM raekker i LEFT JOIN funktioner f USING (indsats_id)
),
foer AS (
    SELECT t.filnavn, t.kilde_raekke, t.indsats_id, t.aar, t.maaned,
           CAST(round(t.beloeb * 100) AS BIGINT) AS oere,
           CASE WHEN t.indsats_id IS NULL THEN 'område ' || t.omraade
                WHEN f.funktioner LIKE '%,%' THEN 'funktionerne ' || f.funktioner
                ELSE 'funktion ' || coalesce(f.funktioner, 'under indsats ' || t.indsats_id)
           END AS noegle
    FROM tidligere t LEFT JOIN funktioner f USING (indsats_id)
),
modstrid AS (
    SELECT a.kilde_ark, a.kilde_raekke, a.noegle, a.indsats_id, a.aar, a.maaned, a.oere,
           NULL AS filnavn, b.kilde_raekke AS anden_raekke, b.indsats_id AS anden_indsats,
           b.oere AS anden_oere
    FROM ind a
    JOIN ind b ON b.noegle = a.noegle AND b.aar = a.aar AND b.maaned = a.maaned
              AND b.kilde_ark = a.kilde_ark AND b.kilde_raekke < a.kilde_raekke
              AND b.oere <> a.oere
    UNION ALL
    SELECT a.kilde_ark, a.kilde_raekke, a.noegle, a.indsats_id, a.aar, a.maaned, a.oere,
           b.filnavn, b.kilde_raekke, b.indsats_id, b.oere
    FROM ind a
    JOIN foer b ON b.noegle = a.noegle AND b.aar = a.aar AND b.maaned = a.maaned
              AND b.oere <> a.oere
)
SELECT * FROM modstrid
-- one line per row of the file: the nearest conflict (its own file first, then the newest)
QUALIFY row_number() OVER (PARTITION BY kilde_ark, kilde_raekke
                           ORDER BY filnavn NULLS FIRST, anden_raekke DESC) = 1
ORDER BY kilde_ark, kilde_raekke;
