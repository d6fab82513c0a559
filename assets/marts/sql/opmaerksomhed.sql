-- Advarslerne fra plausibilitetstjekket, nyeste fil først: måneder, der flytter sig mere
-- end grænsen mod det, de erstatter, eller mod samme måned sidste år, rækker på en
-- anden dranst end 1-2, funktioner uden for kontoplanen og ukendte aktivitetsindikatorer.
-- En advarsel afviser aldrig en fil.
-- Navn: advarsler
CREATE OR REPLACE TABLE mart.opmaerksomhed AS
SELECT l.leverance_nr, l.filnavn, l.modtaget, a.linje AS advarsel
FROM raw.advarsler a
JOIN raw.leverancer l USING (leverance_nr)
WHERE a.linje LIKE 'Advarsel%'
ORDER BY l.leverance_nr DESC, a.nr;
