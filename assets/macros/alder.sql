-- Aldersgrupper: core.alder_fra('18-64') = 18 og core.alder_til('18-64') = 64; en åben
-- gruppe '65+' slutter ved 200 år.
-- Navn: aldersgrupper
CREATE OR REPLACE MACRO core.alder_fra(gruppe) AS
    CAST(regexp_extract(gruppe, '^(\d+)', 1) AS INTEGER);

CREATE OR REPLACE MACRO core.alder_til(gruppe) AS
    CASE WHEN gruppe LIKE '%+' THEN 200
         ELSE CAST(regexp_extract(gruppe, '-(\d+)$', 1) AS INTEGER) END;
