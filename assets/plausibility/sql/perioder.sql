-- Before and after per function and month (the replacement key, as in core.forbrug): the
-- file replaces the function's whole month, so "after" is the file's own sum; "before" is
-- what the warehouse holds now (NULL: nothing is replaced); "last year" is the same month a
-- year earlier, from the file itself or else from the warehouse. The område (NULL outside
-- the kontoplan) only names the function.
WITH efter AS (
    SELECT funktion, any_value(omraade) AS omraade, aar, maaned, sum(oere) AS efter
    FROM koblet
    GROUP BY funktion, aar, maaned
)
SELECT e.funktion, e.omraade, e.aar, e.maaned, f.oere AS foer, e.efter,
       coalesce(s.efter, sf.oere) AS sidste_aar
FROM efter e
LEFT JOIN gaeldende f ON f.funktion = e.funktion AND f.aar = e.aar AND f.maaned = e.maaned
LEFT JOIN efter s ON s.funktion = e.funktion AND s.aar = e.aar - 1 AND s.maaned = e.maaned
LEFT JOIN gaeldende sf
  ON sf.funktion = e.funktion AND sf.aar = e.aar - 1 AND sf.maaned = e.maaned
ORDER BY e.omraade IS NULL, e.omraade, e.funktion, e.aar, e.maaned;
