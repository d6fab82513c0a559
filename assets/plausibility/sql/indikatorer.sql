-- Activity rows on an indicator no initiative in the catalogue measures.
SELECT kilde_ark, kilde_raekke, 'Indikator' AS kolonne, indikator AS vaerdi,
       'indikator' AS grund
FROM indkommende
WHERE indikator NOT IN (SELECT indikator FROM kendte_indikatorer)
ORDER BY kilde_ark, kilde_raekke;
