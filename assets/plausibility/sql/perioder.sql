-- Before and after per område (a function outside the kontoplan stands for itself, as in
-- core.forbrug) and month: the file replaces the whole month, so "after" is the file's own
-- sum; "before" is what the warehouse holds now (NULL: nothing is replaced); "last year"
-- is the same month a year earlier, from the file itself or else from the warehouse.
WITH efter AS (
    SELECT coalesce(omraade, funktion) AS noegle, omraade IS NULL AS uden_for_kontoplan,
           aar, maaned, sum(oere) AS efter
    FROM koblet
    GROUP BY ALL
)
SELECT e.noegle, e.uden_for_kontoplan, e.aar, e.maaned, f.oere AS foer, e.efter,
       coalesce(s.efter, sf.oere) AS sidste_aar
FROM efter e
LEFT JOIN gaeldende f ON f.noegle = e.noegle AND f.aar = e.aar AND f.maaned = e.maaned
LEFT JOIN efter s ON s.noegle = e.noegle AND s.aar = e.aar - 1 AND s.maaned = e.maaned
LEFT JOIN gaeldende sf ON sf.noegle = e.noegle AND sf.aar = e.aar - 1 AND sf.maaned = e.maaned
ORDER BY e.uden_for_kontoplan, e.noegle, e.aar, e.maaned;
