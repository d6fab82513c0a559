-- Sporbarhed: for hver række i mart-tabellerne de filer (sha256), ark og Excel-rækker, den
-- bygger på. noegle er rækkens nøgle med '|' imellem (fx 'B1|2024-2027|2024' i
-- besparelser, 'botilbud|2025' i budgetopfoelgning). spor_status og budgetaftaler er
-- summer af besparelser og investeringer og spores gennem dem.
-- Navn: sporbarhed
CREATE OR REPLACE TABLE mart.sporbarhed AS
WITH forbrug AS (
    -- the net spending rows read once, as lists per delivery and sheet for each function,
    -- responsibility centre, area and year: the parts below join these few groups, not
    -- the millions of rows
    SELECT funktion, ansvarssted, omraade, aar, leverance_nr, kilde_ark,
           count(*) AS antal, list(kilde_raekke) AS raekker
    FROM core.forbrug
    WHERE core.netto(dranst)
    GROUP BY ALL
),
gruppe_funktion AS (
    SELECT DISTINCT g.indsats_id, f.funktion
    FROM core.indsats_grupper g
    JOIN core.indsats_grupper m ON m.gruppe = g.gruppe
    JOIN core.indsats_funktioner f ON f.indsats_id = m.indsats_id
),
linjer AS (
    -- the catalogue rows behind each saving and investment (one source row a line; the
    -- spending parts bring a list of rows per group of forbrug)
    SELECT 'besparelser' AS tabel, b.indsats_id || '|' || b.budgetaftale || '|' || b.aar AS noegle,
           o.leverance_nr, o.kilde_ark, 1 AS antal, [o.kilde_raekke] AS raekker
    FROM mart.besparelser b
    JOIN core.indsats_oekonomi o USING (indsats_id, budgetaftale, aar)
    UNION ALL
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           i.leverance_nr, i.kilde_ark, 1, [i.kilde_raekke]
    FROM mart.besparelser b JOIN core.indsatser i USING (indsats_id)
    UNION ALL
    -- what the group is measured with (maalt_med): spending of its functions in the year
    -- and in the baseline year, the korrigeret budget, or the activity
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           f.leverance_nr, f.kilde_ark, f.antal, f.raekker
    FROM mart.besparelser b
    JOIN core.indsats_grupper g USING (indsats_id)
    JOIN core.gruppe_resultat r ON r.gruppe = g.gruppe AND r.aar = b.aar
    JOIN gruppe_funktion gf ON gf.indsats_id = b.indsats_id
    JOIN forbrug f ON f.funktion = gf.funktion
     AND (f.aar = b.aar OR (b.maalt_med = 'baseline' AND f.aar = r.baselineaar))
    WHERE b.realiseret_besparelse IS NOT NULL AND b.maalt_med IN ('budget', 'baseline')
    UNION ALL
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           k.leverance_nr, k.kilde_ark, 1, [k.kilde_raekke]
    FROM mart.besparelser b
    JOIN gruppe_funktion g USING (indsats_id)
    JOIN core.budget k ON k.funktion = g.funktion AND k.aar = b.aar AND k.budgettype = 'korrigeret'
    WHERE b.realiseret_besparelse IS NOT NULL AND b.maalt_med = 'budget'
    UNION ALL
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           a.leverance_nr, a.kilde_ark, 1, [a.kilde_raekke]
    FROM mart.besparelser b
    JOIN core.indsats_grupper g USING (indsats_id)
    JOIN core.gruppe_resultat r ON r.gruppe = g.gruppe AND r.aar = b.aar
    JOIN core.indsatser i ON i.indsats_id = g.gruppe
    JOIN core.aktivitet a ON a.indikator = i.aktivitetsindikator
     AND a.aar IN (b.aar, r.baselineaar)
    WHERE b.realiseret_besparelse IS NOT NULL AND b.maalt_med = 'aktivitet'
    UNION ALL
    SELECT 'investeringer', v.indsats_id || '|' || v.budgetaftale || '|' || v.aar,
           o.leverance_nr, o.kilde_ark, 1, [o.kilde_raekke]
    FROM mart.investeringer v
    JOIN core.indsats_oekonomi o USING (indsats_id, budgetaftale, aar)
    WHERE o.type = 'investering'
    UNION ALL
    SELECT 'investeringer', v.indsats_id || '|' || v.budgetaftale || '|' || v.aar,
           f.leverance_nr, f.kilde_ark, f.antal, f.raekker
    FROM mart.investeringer v
    JOIN core.indsatser i USING (indsats_id)
    JOIN forbrug f ON f.ansvarssted = i.ansvarssted AND f.aar = v.aar
    UNION ALL
    SELECT 'budgetopfoelgning', u.omraade || '|' || u.aar, f.leverance_nr, f.kilde_ark,
           f.antal, f.raekker
    FROM mart.budgetopfoelgning u
    JOIN forbrug f ON f.omraade = u.omraade AND f.aar = u.aar
    UNION ALL
    SELECT 'budgetopfoelgning', u.omraade || '|' || u.aar, k.leverance_nr, k.kilde_ark,
           1, [k.kilde_raekke]
    FROM mart.budgetopfoelgning u
    JOIN core.budget k ON k.omraade = u.omraade AND k.aar = u.aar
    UNION ALL
    SELECT 'aarsoversigt', a.omraade || '|' || a.aar, f.leverance_nr, f.kilde_ark,
           f.antal, f.raekker
    FROM mart.aarsoversigt a
    JOIN forbrug f ON f.omraade = a.omraade AND f.aar = a.aar
    UNION ALL
    SELECT 'maal', m.indsats_id || '|' || m.indikator || '|' || m.aar, x.leverance_nr,
           x.kilde_ark, 1, [x.kilde_raekke]
    FROM mart.maal m
    JOIN core.indsats_maal x USING (indsats_id, indikator, aar)
    UNION ALL
    SELECT 'maal', m.indsats_id || '|' || m.indikator || '|' || m.aar, a.leverance_nr,
           a.kilde_ark, 1, [a.kilde_raekke]
    FROM mart.maal m
    JOIN core.aktivitet a ON a.indikator = m.indikator AND a.aar = m.aar
)
-- A source row reaches a mart row at most once: the marts' keys are unique (their pandera
-- models check it) and each part above reads a different kind of file. So no DISTINCT,
-- which would cost seconds per million spending rows.
SELECT l.tabel, l.noegle, l.leverance_nr, r.filnavn, r.sha256, l.kilde_ark,
       CAST(sum(l.antal) AS BIGINT) AS antal_raekker,
       list_sort(flatten(list(l.raekker))) AS raekker
FROM linjer l
JOIN raw.leverancer r USING (leverance_nr)
GROUP BY ALL
ORDER BY l.tabel, l.noegle, l.leverance_nr, l.kilde_ark;
