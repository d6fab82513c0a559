-- Det logaritmiske gennemsnit til LMDI-dekomponeringen (Ang 2005): core.logmiddel(a, b) =
-- (a − b) / (ln a − ln b), og a, når a = b; tomt, når a eller b ikke er positivt (logaritmen
-- findes ikke). Se docs/metode.md.
-- Navn: logaritmisk gennemsnit
CREATE OR REPLACE MACRO core.logmiddel(a, b) AS
    CASE WHEN a > 0 AND b > 0 THEN
        CASE WHEN a = b THEN CAST(a AS DOUBLE)
             ELSE (CAST(a AS DOUBLE) - b) / (ln(CAST(a AS DOUBLE)) - ln(CAST(b AS DOUBLE))) END
    END;
