-- Befolkningen i alle kommuner i Danmarks Statistiks FOLK1A pr. kommune, år og
-- aldersgruppe (0-17, 18-64, 65+): rækkerne i core.dst_befolkning_raekker lagt sammen (dér
-- står erstatningen og valget af opgørelsestidspunkt og køn). Mangler en alder ('..'), er
-- aldersgruppen tom.
-- Navn: kommunernes befolkning (DST)
CREATE OR REPLACE TABLE core.dst_befolkning AS
SELECT kommunenr, any_value(kommune) AS kommune, aar, aldersgruppe,
       CASE WHEN count(*) = count(antal) THEN sum(antal) END AS antal,
       max(leverance_nr) AS leverance_nr
FROM core.dst_befolkning_raekker
GROUP BY ALL;
