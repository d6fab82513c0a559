-- Bevarelse: forbruget i mart-tabellerne svarer til øren til de accepterede forbrugsudtræk.
-- Filernes egne totaler = raw; hver række i raw er gældende, medmindre en nyere fil dækker samme
-- funktion og måned, og så er den erstattet; hvert område og år i budgetopfølgningen og
-- årsoversigten = summen af de gældende rækker.
-- Tabel: budgetopfoelgning
-- Godkendt: Forbruget stemmer til øren.
-- Trin: Afstemmer {}
WITH raw_keys AS (
    -- the raw rows counted and summed per delivery, function, grouping, year and month: a
    -- few hundred groups, so the millions of rows are read once
    SELECT leverance_nr, funktion, gruppering, aar, maaned,
           count(*) AS raekker, sum(beloeb) AS beloeb
    FROM raw.forbrug
    GROUP BY ALL
),
raw_total AS (
    SELECT sum(beloeb) AS beloeb FROM raw_keys
),
control AS (
    SELECT sum(k.beloeb) AS beloeb
    FROM raw.kontrolsummer k JOIN raw.leverancer l USING (leverance_nr)
    WHERE k.tabel = 'forbrug' AND l.status = 'accepteret'
),
core_keys AS (
    -- core.forbrug read once, for both the replacement rule and the sums per area
    SELECT omraade, funktion, aar, maaned, leverance_nr, core.netto(dranst) AS netto,
           count(*) AS raekker, sum(beloeb) AS beloeb
    FROM core.forbrug
    GROUP BY ALL
),
per_delivery AS (
    -- raw and core per replacement key (function and month) and delivery
    SELECT kilde, funktion, aar, maaned, leverance_nr,
           CAST(sum(raekker) AS BIGINT) AS raekker, sum(beloeb) AS beloeb
    FROM (SELECT 'raw' AS kilde, funktion, aar, maaned, leverance_nr, raekker, beloeb
          FROM raw_keys
          UNION ALL
          SELECT 'core', funktion, aar, maaned, leverance_nr, raekker, beloeb FROM core_keys)
    GROUP BY ALL
),
expected AS (
    -- per key, the rows of the latest delivery covering it are current; the rest replaced
    SELECT * EXCLUDE (kilde) FROM per_delivery
    WHERE kilde = 'raw'
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY funktion, aar, maaned)
),
actual AS (
    SELECT * EXCLUDE (kilde) FROM per_delivery WHERE kilde = 'core'
),
off_rows AS (
    SELECT funktion, aar, maaned, leverance_nr,
           coalesce(a.raekker, 0) AS gaeldende, coalesce(a.beloeb, 0) AS gaeldende_kr,
           coalesce(e.raekker, 0) AS skal, coalesce(e.beloeb, 0) AS skal_kr
    FROM expected e FULL JOIN actual a USING (funktion, aar, maaned, leverance_nr)
    WHERE e.raekker IS DISTINCT FROM a.raekker OR e.beloeb IS DISTINCT FROM a.beloeb
),
per_area AS (
    SELECT omraade, aar, sum(beloeb) AS beloeb
    FROM core_keys
    WHERE omraade IS NOT NULL AND netto
    GROUP BY ALL
),
afvigelser (hvad, gaeldende, skal) AS (
    SELECT 'filernes kontrolsummer og raw.forbrug', (SELECT beloeb FROM control),
           (SELECT beloeb FROM raw_total)
    WHERE (SELECT beloeb FROM control) IS DISTINCT FROM (SELECT beloeb FROM raw_total)
    UNION ALL
    (SELECT 'forbrug funktion ' || funktion || ' ' || aar || '-' || maaned || ' fra leverance '
                || leverance_nr || ': ' || gaeldende || ' gældende rækker mod ' || skal
                || ' efter erstatningsreglen', gaeldende_kr, skal_kr
     FROM off_rows ORDER BY leverance_nr, aar, maaned, funktion LIMIT 20)
    UNION ALL
    SELECT 'budgetopfoelgning ' || p.omraade || ' ' || p.aar, u.forbrug_aar_til_dato, p.beloeb
    FROM per_area p
    LEFT JOIN mart.budgetopfoelgning u USING (omraade, aar)
    WHERE u.forbrug_aar_til_dato IS DISTINCT FROM p.beloeb
    UNION ALL
    SELECT 'aarsoversigt ' || a.omraade || ' ' || a.aar, a.nettoforbrug_loebende_priser,
           u.forventet_regnskab
    FROM mart.aarsoversigt a
    LEFT JOIN mart.budgetopfoelgning u USING (omraade, aar)
    WHERE a.nettoforbrug_loebende_priser IS DISTINCT FROM u.forventet_regnskab
)
SELECT CASE WHEN gaeldende IS NULL AND skal IS NULL THEN hvad
            ELSE hvad || ': ' || coalesce(CAST(gaeldende AS VARCHAR), 'tomt') || ' kr. mod '
                 || coalesce(CAST(skal AS VARCHAR), 'tomt') || ' kr.' END
FROM afvigelser
