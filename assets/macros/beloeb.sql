-- Beløb og nettoforbrug: core.kr(x) er et beløb i hele kroner og øre (DECIMAL(18, 2)),
-- så summer afstemmer til øren; core.netto(dranst) er sand for de rækker, der er
-- nettoforbrug: drift (dranst 1) og statsrefusion (dranst 2), og rækker uden dranst.
-- Navn: beløb og nettoforbrug
CREATE OR REPLACE MACRO core.kr(x) AS CAST(round(x, 2) AS DECIMAL(18, 2));

CREATE OR REPLACE MACRO core.netto(dranst) AS (dranst IS NULL OR dranst IN (1, 2));
