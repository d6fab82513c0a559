"""What the warehouse holds, what is missing, and whether spending data are fresh."""

from __future__ import annotations

import datetime as dt

import duckdb

from assets.danish import count, since
from assets.freshness import STALE_AFTER_DAYS, spending_age

LATEST_SQL = """
SELECT omraade, max(make_date(aar, maaned, 1)) AS seneste,
       list(DISTINCT aar * 100 + maaned) AS perioder
FROM core.forbrug WHERE omraade IS NOT NULL GROUP BY omraade ORDER BY omraade
"""


def missing_months(periods: list[int]) -> list[str]:
    """Months between the first and the last delivered one that have no data."""
    first, last = min(periods), max(periods)
    have, out = set(periods), []
    y, m = divmod(first, 100)
    while y * 100 + m <= last:
        if y * 100 + m not in have:
            out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def status_lines(con: duckdb.DuckDBPyConnection, rejected: int, today: dt.date) -> list[str]:
    lines = ["Seneste leverance pr. type:"]
    kinds = con.execute(
        "SELECT art, max(modtaget), count(*) FROM mart.leverancer "
        "WHERE status IN ('accepteret', 'erstattet') GROUP BY art ORDER BY art"
    ).fetchall()
    wide = max([12, *(len(art) for art, _, _ in kinds)])  # a long kind's name keeps the column
    for art, last, n in kinds:
        lines.append(f"  {art:<{wide}} {last:%d-%m-%Y %H:%M}  ({count(n, 'fil', 'filer')})")
    lines.append("Forbrug pr. område (seneste måned; manglende måneder):")
    areas = con.execute(LATEST_SQL).fetchall()
    wide = max([16, *(len(omraade) for omraade, _, _ in areas)])
    for omraade, latest, periods in areas:
        gaps = missing_months(periods)
        lines.append(
            f"  {omraade:<{wide}} {latest:%Y-%m}"
            + (f"  mangler: {', '.join(gaps)}" if gaps else "")
        )
    end, age = spending_age(con, today)
    if end is None:
        lines.append("ADVARSEL: lageret har ingen forbrugsdata.")
    elif age > STALE_AFTER_DAYS:
        lines.append(
            f"ADVARSEL: forbrugsdata går kun til {end:%d-%m-%Y} ({age} dage siden; "
            f"grænsen er {STALE_AFTER_DAYS} dage). Aflever et nyt forbrugsudtræk."
        )
    elif age < 0:  # the month is not over yet
        lines.append(f"Forbrugsdata til og med {end:%d-%m-%Y} (indeværende måned).")
    else:
        lines.append(f"Forbrugsdata til og med {end:%d-%m-%Y} ({since(end, today)}).")
    lines.append(
        f"Afviste filer i afvist/: {rejected}"
        + (" – se .fejl.txt ved hver fil" if rejected else "")
    )
    return lines
