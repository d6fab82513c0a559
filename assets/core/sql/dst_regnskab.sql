-- Kommunernes regnskaber (REGK31) og budgetter (BUDK32) fra Danmarks Statistik pr. tabel,
-- kommune, funktion, dranst og år: rækkerne i core.dst_regnskab_raekker lagt sammen (dér
-- står erstatningen og læsningen af koder og enheder). Mangler en del ('..'), er beløbet
-- tomt, aldrig en delsum.
-- Navn: kommunernes regnskaber (DST)
CREATE OR REPLACE TABLE core.dst_regnskab AS
SELECT tabel, kommunenr, any_value(kommune) AS kommune, aar, funktion, dranst, enhed,
       CASE WHEN count(*) = count(vaerdi) THEN core.kr(sum(vaerdi)) END AS beloeb,
       max(leverance_nr) AS leverance_nr
FROM core.dst_regnskab_raekker
GROUP BY tabel, kommunenr, aar, funktion, dranst, enhed;
