-- Den syntetiske kontrols donorer: de andre kommuner og deres vægt (0-1, summen 1) i
-- kommunens kontrafaktiske forløb pr. område (core.syntetisk_kontrol; mart.kontrafaktisk).
-- Kun donorer med en vægt over 0. Placebotestens vægte (hver donor behandlet i tur) står i
-- core.syntetisk_kontrol.
-- Navn: den syntetiske kontrols vægte
CREATE OR REPLACE TABLE mart.kontrafaktisk_vaegte AS
SELECT s.omraade, s.donor AS kommunenr, k.kommune, s.vaegt, s.foerste_aar AS foerste_aftaleaar
FROM core.syntetisk_kontrol s
JOIN core.kommuner k ON k.kommunenr = s.donor
WHERE s.behandlet = (SELECT min(kommunenr) FROM core.sammenligningsgruppe WHERE rolle = 'egen')
ORDER BY s.omraade, s.vaegt DESC, s.donor;
