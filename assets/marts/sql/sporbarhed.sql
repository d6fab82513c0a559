-- Sporbarhed: for hver række i mart-tabellerne med tal de filer, ark og Excel-rækker, hvert
-- tal bygger på, og hvad de bidrog med. noegle er rækkens nøgle med '|' imellem (fx
-- 'B1|2024-2027|2024' i besparelser, 'botilbud|2025' i budgetopfoelgning, '860|botilbud|2024'
-- i benchmark). kolonne er den kolonne i mart-tabellen, rækkerne indgår i, indgang hvilken
-- slags tal de er (forbrug, vedtaget_budget, korrigeret_budget, budgetkorrektion, forventet,
-- planlagt, katalog, maal, aktivitet, befolkning, prisindeks, dst_regnskab, dst_befolkning, ...), og
-- bidrag summen af rækkernes beløb eller antal i filens egne tal (tomt for et prisindeks, en
-- katalogrække og en kommentar). Et realiseret resultat spores til gruppens måling, som
-- indsatsens andel er regnet af. Se docs/beregninger.md, "Sporbarhed".
-- Navn: sporbarhed
CREATE OR REPLACE TABLE mart.sporbarhed AS
WITH forbrug AS MATERIALIZED (
    -- the net spending rows read once, as lists per delivery and sheet for each function,
    -- responsibility centre, area and year: the parts below join these few groups, not
    -- the millions of rows
    SELECT funktion, ansvarssted, omraade, aar, leverance_nr, kilde_ark,
           count(*) AS antal, sum(beloeb) AS bidrag, list(kilde_raekke) AS raekker
    FROM core.forbrug
    WHERE core.netto(dranst)
    GROUP BY ALL
),
indsatssteder AS (
    SELECT DISTINCT ansvarssted FROM core.indsatser WHERE ansvarssted IS NOT NULL
),
gruppe_funktion AS (
    SELECT DISTINCT g.gruppe, f.funktion
    FROM core.indsats_grupper g JOIN core.indsats_funktioner f USING (indsats_id)
),
-- every rule below mirrors the SQL that makes the figure (core.gruppe_resultat,
-- core.vedtaget_budget, core.befolkning): the rows as used, not every row that might have
-- been; activity rows, forecasts and Danmarks Statistik's rows come as the core tables that
-- the figures are made of chose them (core.aktivitet_raekker, core.forventet_regnskab,
-- core.gruppe_forventet, core.dst_*_raekker)
maaling AS MATERIALIZED (
    -- what each group's realised saving in a year is measured with, once per group and
    -- year: spending of its functions in the year and the baseline year, the korrigeret
    -- budget and the members' planned savings in force (budget method), holders' forecasts
    -- once per set of functions, or the activity in the first member's område (see
    -- core.gruppe_resultat)
    SELECT r.gruppe, r.aar, 'forbrug' AS indgang, f.leverance_nr, f.kilde_ark, f.antal,
           f.bidrag, f.raekker
    FROM core.gruppe_resultat r
    JOIN gruppe_funktion gf USING (gruppe)
    JOIN forbrug f ON f.funktion = gf.funktion AND f.aar = r.aar AND f.omraade IS NOT NULL
    WHERE r.resultat IS NOT NULL AND r.maalemetode IN ('budget', 'baseline')
      AND CASE WHEN r.forventet_af = 'budgetansvarlig'
               -- the holders' figure replaces the spending; baseline still takes off the
               -- spending on the initiatives' own places (core.gruppe_resultat)
               THEN r.maalemetode = 'baseline'
                    AND f.ansvarssted IN (SELECT ansvarssted FROM indsatssteder)
               WHEN r.maalemetode = 'baseline'
               THEN f.ansvarssted NOT IN (SELECT ansvarssted FROM indsatssteder)
                    OR f.ansvarssted IS NULL
               ELSE true END
    UNION ALL
    SELECT r.gruppe, r.aar, 'forbrug_basisaar', f.leverance_nr, f.kilde_ark, f.antal,
           f.bidrag, f.raekker
    FROM core.gruppe_resultat r
    JOIN gruppe_funktion gf USING (gruppe)
    JOIN forbrug f ON f.funktion = gf.funktion AND f.aar = r.baselineaar AND f.omraade IS NOT NULL
    WHERE r.resultat IS NOT NULL AND r.maalemetode = 'baseline'
      AND (f.ansvarssted NOT IN (SELECT ansvarssted FROM indsatssteder) OR f.ansvarssted IS NULL)
    UNION ALL
    -- the budget method's reference (core.budgetreference): the adopted budget of the
    -- agreement in force and the technical and demographic corrections, or, without an
    -- adopted budget, the korrigeret budget and the appropriations and carry-overs taken off
    SELECT r.gruppe, r.aar,
           CASE WHEN k.budgettype = 'oprindeligt' THEN 'vedtaget_budget' ELSE 'korrigeret_budget' END,
           k.leverance_nr, k.kilde_ark, 1, k.beloeb, [k.kilde_raekke]
    FROM core.gruppe_resultat r
    JOIN gruppe_funktion gf USING (gruppe)
    JOIN core.budgetreference br ON br.funktion = gf.funktion AND br.aar = r.aar
    JOIN core.budget k
      ON k.funktion = gf.funktion AND k.aar = r.aar
     AND CASE br.grundlag WHEN 'vedtaget'
              THEN k.budgettype = 'oprindeligt' AND k.budgetaftale = br.budgetaftale
              ELSE k.budgettype = 'korrigeret' END
    WHERE r.resultat IS NOT NULL AND r.maalemetode = 'budget'
    UNION ALL
    SELECT DISTINCT r.gruppe, r.aar, 'budgetkorrektion', c.leverance_nr, c.kilde_ark, 1, c.beloeb,
           [c.kilde_raekke]
    FROM core.gruppe_resultat r
    JOIN gruppe_funktion gf USING (gruppe)
    JOIN core.budgetreference br ON br.funktion = gf.funktion AND br.aar = r.aar
    JOIN core.budgetkorrektion c
      ON c.aar = r.aar AND (c.funktion = gf.funktion OR (c.funktion IS NULL AND c.omraade = br.omraade))
     AND CASE br.grundlag WHEN 'vedtaget' THEN c.type IN ('teknisk', 'demografi')
              ELSE c.type IN ('tillægsbevilling', 'overførsel') END
    WHERE r.resultat IS NOT NULL AND r.maalemetode = 'budget'
    UNION ALL
    SELECT r.gruppe, r.aar, 'planlagt', o.leverance_nr, o.kilde_ark, 1, o.beloeb,
           [o.kilde_raekke]
    FROM core.gruppe_resultat r
    JOIN core.indsats_grupper g USING (gruppe)
    JOIN core.planlagt_i_kraft p ON p.indsats_id = g.indsats_id AND p.aar = r.aar
    JOIN core.indsats_oekonomi o
      ON o.indsats_id = p.indsats_id AND o.budgetaftale = p.budgetaftale AND o.aar = p.aar
     AND o.type = 'besparelse'
    WHERE r.resultat IS NOT NULL AND r.maalemetode = 'budget'
    UNION ALL
    -- one row per forecast the group uses, however many members it covers
    SELECT r.gruppe, r.aar, 'forventet', h.leverance_nr, h.kilde_ark, 1, h.forventet_regnskab,
           [h.kilde_raekke]
    FROM core.gruppe_resultat r
    JOIN core.gruppe_forventet h USING (gruppe, aar)
    WHERE r.resultat IS NOT NULL AND r.forventet_af = 'budgetansvarlig'
    UNION ALL
    SELECT r.gruppe, r.aar, CASE WHEN a.aar = r.aar THEN 'aktivitet' ELSE 'aktivitet_basisaar' END,
           a.leverance_nr, a.kilde_ark, 1, a.antal, [a.kilde_raekke]
    FROM core.gruppe_resultat r
    JOIN core.indsatser i ON i.indsats_id = r.gruppe
    JOIN core.aktivitet_raekker a
      ON a.omraade = i.omraade AND a.indikator = i.aktivitetsindikator
     AND a.aar IN (r.aar, r.baselineaar)
    WHERE r.resultat IS NOT NULL AND r.maalemetode = 'aktivitet'
),
prisindeks AS (
    -- the whole index of each type in use: a chained index rests on every earlier year
    SELECT p.type, x.leverance_nr, x.kilde_ark, 1 AS antal, [x.kilde_raekke] AS raekker
    FROM core.prisindeks p
    JOIN raw.prisindeks x USING (leverance_nr, type, aar)
    WHERE (SELECT aar FROM core.prisniveau) IS NOT NULL
),
oekonomi AS (
    SELECT o.*, i.spor FROM core.indsats_oekonomi o JOIN core.indsatser i USING (indsats_id)
),
besparelse AS (
    -- mart.besparelser per initiative, agreement and year, with its group: the rows of the
    -- derived tables (spor_status, indsats_status, forventet_realisering) are built from these
    SELECT b.spor, b.indsats_id, b.budgetaftale, b.aar, g.gruppe,
           b.realiseret_besparelse IS NOT NULL AS opgjort
    FROM mart.besparelser b JOIN core.indsats_grupper g USING (indsats_id)
),
katalog AS (
    SELECT i.indsats_id, i.spor, i.regime, i.leverance_nr, i.kilde_ark, i.kilde_raekke
    FROM core.indsatser i
),
omraadebudget AS (
    -- an område's budget rows as used by budgetopfoelgning and aarsoversigt alike: the
    -- adopted budget of the agreement in use only, and the korrigeret budget
    SELECT v.omraade, v.aar, 'vedtaget_budget' AS indgang, k.leverance_nr, k.kilde_ark,
           k.beloeb, k.kilde_raekke
    FROM core.vedtaget_budget v
    JOIN core.budget k
      ON k.omraade = v.omraade AND k.aar = v.aar AND k.budgetaftale = v.budgetaftale
     AND k.budgettype = 'oprindeligt'
    UNION ALL
    SELECT k.omraade, k.aar, 'korrigeret_budget', k.leverance_nr, k.kilde_ark, k.beloeb,
           k.kilde_raekke
    FROM core.budget k
    WHERE k.budgettype = 'korrigeret' AND k.omraade IS NOT NULL
),
omraadeprognose AS (
    -- the budget holders' own forventet regnskab for a whole område (not one initiative)
    SELECT omraade, aar, leverance_nr, kilde_ark, forventet_regnskab, kilde_raekke
    FROM core.forventet_regnskab
    WHERE indsats_id IS NULL
),
linjer AS (
    -- besparelser: the catalogue row, the planned saving of the row's own agreement, what
    -- the group's realised saving is measured with, the price index
    SELECT 'besparelser' AS tabel, b.indsats_id || '|' || b.budgetaftale || '|' || b.aar AS noegle,
           'indsats' AS kolonne, 'katalog' AS indgang, k.leverance_nr, k.kilde_ark, 1 AS antal,
           NULL::DECIMAL(18, 2) AS bidrag, [k.kilde_raekke] AS raekker
    FROM besparelse b JOIN katalog k USING (indsats_id)
    UNION ALL
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           'budgetteret_besparelse', 'planlagt', o.leverance_nr, o.kilde_ark, 1, o.beloeb,
           [o.kilde_raekke]
    FROM besparelse b JOIN oekonomi o USING (indsats_id, budgetaftale, aar)
    WHERE o.type = 'besparelse'
    UNION ALL
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           'realiseret_besparelse', m.indgang, m.leverance_nr, m.kilde_ark, m.antal, m.bidrag,
           m.raekker
    FROM besparelse b JOIN maaling m USING (gruppe, aar)
    WHERE b.opgjort
    UNION ALL
    -- a member's own measure (core.indsats_andel): its indicator's rows in its område in
    -- the year and the baseline year
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           'realiseret_besparelse',
           CASE WHEN a.aar = b.aar THEN 'aktivitet' ELSE 'aktivitet_basisaar' END,
           a.leverance_nr, a.kilde_ark, 1, a.antal, [a.kilde_raekke]
    FROM besparelse b
    JOIN core.indsats_andel x ON x.indsats_id = b.indsats_id AND x.aar = b.aar
    JOIN core.indsatser i ON i.indsats_id = b.indsats_id
    JOIN core.aktivitet_raekker a
      ON a.omraade = i.omraade AND a.indikator = i.aktivitetsindikator
     AND a.aar IN (b.aar, i.baselineaar)
    WHERE b.opgjort AND x.fordelt_efter LIKE 'egen måling%'
    UNION ALL
    SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
           'prisniveau', 'prisindeks', p.leverance_nr, p.kilde_ark, p.antal, NULL, p.raekker
    FROM besparelse b JOIN katalog k USING (indsats_id)
    JOIN prisindeks p ON p.type = core.indekstype(k.regime)
    UNION ALL
    -- investeringer: the catalogue row, the planned investment, the spending on the
    -- initiative's own place, the price index
    SELECT 'investeringer', v.indsats_id || '|' || v.budgetaftale || '|' || v.aar,
           'indsats', 'katalog', k.leverance_nr, k.kilde_ark, 1, NULL, [k.kilde_raekke]
    FROM mart.investeringer v JOIN katalog k USING (indsats_id)
    UNION ALL
    SELECT 'investeringer', v.indsats_id || '|' || v.budgetaftale || '|' || v.aar,
           'budgetteret_investering', 'planlagt', o.leverance_nr, o.kilde_ark, 1, o.beloeb,
           [o.kilde_raekke]
    FROM mart.investeringer v JOIN oekonomi o USING (indsats_id, budgetaftale, aar)
    WHERE o.type = 'investering'
    UNION ALL
    SELECT 'investeringer', v.indsats_id || '|' || v.budgetaftale || '|' || v.aar,
           'forbrugt_investering', 'forbrug', f.leverance_nr, f.kilde_ark, f.antal, f.bidrag,
           f.raekker
    FROM mart.investeringer v
    JOIN core.indsatser i USING (indsats_id)
    JOIN forbrug f ON f.ansvarssted = i.ansvarssted AND f.aar = v.aar
    UNION ALL
    SELECT 'investeringer', v.indsats_id || '|' || v.budgetaftale || '|' || v.aar,
           'prisniveau', 'prisindeks', p.leverance_nr, p.kilde_ark, p.antal, NULL, p.raekker
    FROM mart.investeringer v JOIN katalog k USING (indsats_id)
    JOIN prisindeks p ON p.type = core.indekstype(k.regime)
    UNION ALL
    -- spor_status: its initiatives' lines, each group's measure once per spor and year
    SELECT 'spor_status', b.spor || '|' || b.budgetaftale || '|' || b.aar, 'indsats', 'katalog',
           k.leverance_nr, k.kilde_ark, 1, NULL, [k.kilde_raekke]
    FROM besparelse b JOIN katalog k USING (indsats_id)
    UNION ALL
    SELECT 'spor_status', b.spor || '|' || b.budgetaftale || '|' || b.aar,
           CASE o.type WHEN 'besparelse' THEN 'budgetteret_besparelse'
                       ELSE 'budgetteret_investering' END,
           'planlagt', o.leverance_nr, o.kilde_ark, 1, o.beloeb, [o.kilde_raekke]
    FROM besparelse b JOIN oekonomi o USING (indsats_id, budgetaftale, aar)
    UNION ALL
    SELECT 'spor_status', g.spor || '|' || g.budgetaftale || '|' || g.aar,
           'realiseret_besparelse', m.indgang, m.leverance_nr, m.kilde_ark, m.antal, m.bidrag,
           m.raekker
    FROM (SELECT DISTINCT spor, budgetaftale, aar, gruppe FROM besparelse WHERE opgjort) g
    JOIN maaling m USING (gruppe, aar)
    UNION ALL
    SELECT 'spor_status', b.spor || '|' || b.budgetaftale || '|' || b.aar,
           'forbrugt_investering', 'forbrug', f.leverance_nr, f.kilde_ark, f.antal, f.bidrag,
           f.raekker
    FROM besparelse b
    JOIN core.indsatser i USING (indsats_id)
    JOIN forbrug f ON f.ansvarssted = i.ansvarssted AND f.aar = b.aar
    UNION ALL
    -- indsats_status and forventet_realisering: the initiative's years under the agreement
    SELECT t.tabel, b.indsats_id || '|' || b.budgetaftale, 'indsats', 'katalog',
           k.leverance_nr, k.kilde_ark, 1, NULL, [k.kilde_raekke]
    FROM (SELECT DISTINCT indsats_id, budgetaftale FROM besparelse) b
    JOIN katalog k USING (indsats_id)
    CROSS JOIN (VALUES ('indsats_status'), ('forventet_realisering')) t(tabel)
    UNION ALL
    SELECT t.tabel, b.indsats_id || '|' || b.budgetaftale, 'budgetteret_i_alt', 'planlagt',
           o.leverance_nr, o.kilde_ark, 1, o.beloeb, [o.kilde_raekke]
    FROM besparelse b JOIN oekonomi o USING (indsats_id, budgetaftale, aar)
    CROSS JOIN (VALUES ('indsats_status'), ('forventet_realisering')) t(tabel)
    WHERE o.type = 'besparelse'
    UNION ALL
    SELECT t.tabel, b.indsats_id || '|' || b.budgetaftale, 'realiseret_til_dato', m.indgang,
           m.leverance_nr, m.kilde_ark, m.antal, m.bidrag, m.raekker
    FROM besparelse b JOIN maaling m USING (gruppe, aar)
    CROSS JOIN (VALUES ('indsats_status'), ('forventet_realisering')) t(tabel)
    WHERE b.opgjort
    UNION ALL
    SELECT 'indsats_status', s.indsats_id || '|' || s.budgetaftale, 'kommentar',
           'statuskommentar', c.leverance_nr, c.kilde_ark, 1, NULL, [c.kilde_raekke]
    FROM mart.indsats_status s
    JOIN core.statuskommentar c
      ON c.indsats_id = s.indsats_id AND last_day(make_date(c.aar, c.maaned, 1)) = s.kommentar_pr
    UNION ALL
    -- budgetaftaler: the catalogue row and the agreement's planned saving for the year
    SELECT 'budgetaftaler', a.indsats_id || '|' || a.budgetaftale || '|' || a.aar, 'indsats',
           'katalog', k.leverance_nr, k.kilde_ark, 1, NULL, [k.kilde_raekke]
    FROM mart.budgetaftaler a JOIN katalog k USING (indsats_id)
    UNION ALL
    SELECT 'budgetaftaler', a.indsats_id || '|' || a.budgetaftale || '|' || a.aar, 'besparelse',
           'planlagt', o.leverance_nr, o.kilde_ark, 1, o.beloeb, [o.kilde_raekke]
    FROM mart.budgetaftaler a JOIN oekonomi o USING (indsats_id, budgetaftale, aar)
    WHERE o.type = 'besparelse'
    UNION ALL
    -- budgetopfoelgning: the adopted budget of the agreement in use only, the korrigeret
    -- budget, the spending and the holders' own forecast where it is the figure
    SELECT 'budgetopfoelgning', b.omraade || '|' || b.aar,
           CASE b.indgang WHEN 'vedtaget_budget' THEN 'oprindeligt_budget' ELSE b.indgang END,
           b.indgang, b.leverance_nr, b.kilde_ark, 1, b.beloeb, [b.kilde_raekke]
    FROM omraadebudget b
    UNION ALL
    SELECT 'budgetopfoelgning', f.omraade || '|' || f.aar, 'forbrug_aar_til_dato', 'forbrug',
           f.leverance_nr, f.kilde_ark, f.antal, f.bidrag, f.raekker
    FROM forbrug f
    WHERE f.omraade IS NOT NULL
    UNION ALL
    -- the holders' forecast, where budgetopfoelgning and aarsoversigt use it
    SELECT m.tabel, m.omraade || '|' || m.aar, m.kolonne, 'forventet', h.leverance_nr,
           h.kilde_ark, 1, h.forventet_regnskab, [h.kilde_raekke]
    FROM (SELECT 'budgetopfoelgning' AS tabel, 'forventet_regnskab' AS kolonne, omraade, aar
          FROM mart.budgetopfoelgning WHERE forventet_af = 'budgetansvarlig'
          UNION ALL
          SELECT 'aarsoversigt', 'nettoforbrug_loebende_priser', omraade, aar
          FROM mart.aarsoversigt WHERE opgjort_som = 'forventet') m
    JOIN omraadeprognose h USING (omraade, aar)
    UNION ALL
    -- aarsoversigt: the same budgets, the spending (unless the holders' forecast above
    -- replaces it), the activity in helårspersoner/pladser, the population, the price index
    SELECT 'aarsoversigt', b.omraade || '|' || b.aar, b.indgang, b.indgang, b.leverance_nr,
           b.kilde_ark, 1, b.beloeb, [b.kilde_raekke]
    FROM omraadebudget b
    UNION ALL
    SELECT 'aarsoversigt', a.omraade || '|' || a.aar, 'nettoforbrug_loebende_priser', 'forbrug',
           f.leverance_nr, f.kilde_ark, f.antal, f.bidrag, f.raekker
    FROM mart.aarsoversigt a
    JOIN forbrug f ON f.omraade = a.omraade AND f.aar = a.aar
    WHERE a.opgjort_som = 'regnskab' OR NOT EXISTS (
        SELECT 1 FROM omraadeprognose h WHERE h.omraade = a.omraade AND h.aar = a.aar)
    UNION ALL
    SELECT 'aarsoversigt', a.omraade || '|' || a.aar, 'aktivitet', 'aktivitet', x.leverance_nr,
           x.kilde_ark, 1, x.antal, [x.kilde_raekke]
    FROM mart.aarsoversigt a
    JOIN core.aktivitet x ON x.omraade = a.omraade AND x.aar = a.aar
    WHERE a.aktivitet IS NOT NULL
      AND regexp_matches(lower(x.enhed), '^\s*(helårs|helaars|plads|pladser)')
    UNION ALL
    SELECT 'aarsoversigt', a.omraade || '|' || a.aar, 'indbyggere', 'befolkning', x.leverance_nr,
           x.kilde_ark, 1, x.antal, [x.kilde_raekke]
    FROM mart.aarsoversigt a
    JOIN core.befolkning b ON b.aar = a.aar AND b.aldersgruppe = a.aldersgruppe
    JOIN (
        SELECT *, coalesce(aldersgruppe, CASE WHEN alder <= 17 THEN '0-17'
                                              WHEN alder <= 64 THEN '18-64' ELSE '65+' END) AS gruppe
        FROM raw.befolkning
        QUALIFY coalesce(maaned, 3 * kvartal - 2, 0)
                = min(coalesce(maaned, 3 * kvartal - 2, 0)) OVER (PARTITION BY leverance_nr, aar)
    ) x ON x.leverance_nr = b.leverance_nr AND x.aar = b.aar AND x.gruppe = b.aldersgruppe
    UNION ALL
    SELECT 'aarsoversigt', a.omraade || '|' || a.aar, 'prisniveau', 'prisindeks', p.leverance_nr,
           p.kilde_ark, p.antal, NULL, p.raekker
    FROM mart.aarsoversigt a
    JOIN (SELECT omraade, any_value(regime) AS regime FROM core.kontoplan GROUP BY omraade) r
      USING (omraade)
    JOIN prisindeks p ON p.type = core.indekstype(r.regime)
    UNION ALL
    -- maal: the target from the catalogue and the activity behind the result
    SELECT 'maal', m.indsats_id || '|' || m.indikator || '|' || m.aar, 'maal', 'maal',
           x.leverance_nr, x.kilde_ark, 1, CAST(x.maal AS DECIMAL(18, 2)), [x.kilde_raekke]
    FROM mart.maal m
    JOIN core.indsats_maal x USING (indsats_id, indikator, aar)
    UNION ALL
    SELECT 'maal', m.indsats_id || '|' || m.indikator || '|' || m.aar, 'resultat', 'aktivitet',
           a.leverance_nr, a.kilde_ark, 1, a.antal, [a.kilde_raekke]
    FROM mart.maal m
    JOIN core.indsatser i USING (indsats_id)
    JOIN core.aktivitet_raekker a
      ON a.omraade = i.omraade AND a.indikator = m.indikator AND a.aar = m.aar
    UNION ALL
    -- benchmark: the Danmarks Statistik rows each municipality's figures add up from, as
    -- core.dst_regnskab_raekker and core.dst_befolkning_raekker chose them
    SELECT 'benchmark', m.kommunenr || '|' || m.omraade || '|' || m.aar, 'nettodrift',
           'dst_regnskab', d.leverance_nr, d.kilde_ark, 1, d.vaerdi, [d.kilde_raekke]
    FROM core.dst_regnskab_raekker d
    JOIN mart.benchmark m
      ON m.kommunenr = d.kommunenr AND m.aar = d.aar
     AND m.omraade = core.kontering(d.funktion, NULL, d.aar).omraade
    WHERE d.tabel = 'REGK31' AND d.enhed = 'kr.' AND core.netto(d.dranst)
    UNION ALL
    SELECT 'benchmark', m.kommunenr || '|' || m.omraade || '|' || m.aar, 'indbyggere',
           'dst_befolkning', p.leverance_nr, p.kilde_ark, 1, p.antal, [p.kilde_raekke]
    FROM mart.benchmark m
    JOIN core.dst_befolkning_raekker p
      ON p.kommunenr = m.kommunenr AND p.aar = m.aar AND p.aldersgruppe = m.aldersgruppe
)
-- A source row reaches a mart row's column at most once: the marts' keys are unique (their
-- pandera models check it), each part above reads a different input, and a derived table
-- takes each group's measure once. So no DISTINCT, which would cost seconds per million
-- spending rows.
SELECT l.tabel, l.noegle, l.kolonne, l.indgang, l.leverance_nr, r.filnavn, r.sha256,
       r.modtaget, l.kilde_ark, CAST(sum(l.antal) AS BIGINT) AS antal_raekker,
       CAST(sum(l.bidrag) AS DECIMAL(18, 2)) AS bidrag,
       list_sort(flatten(list(l.raekker))) AS raekker
FROM linjer l
JOIN raw.leverancer r USING (leverance_nr)
GROUP BY ALL
ORDER BY l.tabel, l.noegle, l.kolonne, l.indgang, l.leverance_nr, l.kilde_ark;
