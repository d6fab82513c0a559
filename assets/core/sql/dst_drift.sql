-- Kommunernes nettodrift pr. område og år ud fra Danmarks Statistiks regnskaber (REGK31)
-- og befolkning (FOLK1A): dranst 1 + 2 i løbende priser på områdets funktioner
-- (kontoplanen), og kroner pr. indbygger i områdets aldersgruppe (0-17 år for børn og unge,
-- 18-64 år for voksenområderne). Mangler én del af nettodriften ('..' i filen), er
-- nettodriften tom, aldrig en delsum. Kun regnskaber: Danmarks Statistik siger, at
-- budgetter (BUDK32) og regnskaber ikke kan sammenlignes (docs/valg.md). Sammenligningen
-- (mart.benchmark) og den syntetiske kontrol (mart.kontrafaktisk) læser herfra.
-- Navn: kommunernes nettodrift pr. indbygger (DST)
CREATE OR REPLACE TABLE core.dst_drift AS
WITH drift AS (
    SELECT kommunenr, any_value(kommune) AS kommune, omraade, aar,
           CASE WHEN count(*) = count(beloeb) THEN sum(beloeb) END AS nettodrift
    FROM (
        SELECT r.*, core.kontering(r.funktion, NULL, r.aar).omraade AS omraade
        FROM core.dst_regnskab r
        WHERE core.netto(r.dranst) AND r.enhed = 'kr.' AND r.tabel = 'REGK31'
    )
    WHERE omraade IS NOT NULL
    GROUP BY kommunenr, omraade, aar
)
SELECT d.kommunenr, d.kommune, d.omraade, d.aar, d.nettodrift, a.aldersgruppe,
       b.antal AS indbyggere,
       core.kr(d.nettodrift / nullif(b.antal, 0)) AS kr_pr_indbygger
FROM drift d
CROSS JOIN LATERAL (SELECT CASE WHEN d.omraade = 'børn og unge' THEN '0-17'
                                ELSE '18-64' END AS aldersgruppe) a
LEFT JOIN core.dst_befolkning b
  ON b.kommunenr = d.kommunenr AND b.aar = d.aar AND b.aldersgruppe = a.aldersgruppe;
