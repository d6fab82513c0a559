-- Rows worth a second look: spending on a dranst other than 1 (drift) or 2 (refusion),
-- and functions the kontoplan does not know (kept, but counted in no område).
SELECT kilde_ark, kilde_raekke, 'Dranst' AS kolonne, CAST(dranst AS VARCHAR) AS vaerdi,
       'dranst' AS grund
FROM koblet WHERE dranst NOT IN (1, 2)
UNION ALL
SELECT kilde_ark, kilde_raekke, 'Funktion', funktion, 'kontoplan'
FROM koblet WHERE omraade IS NULL
ORDER BY kilde_ark, kilde_raekke, kolonne;
