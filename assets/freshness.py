"""The freshness rule, shared by the blocking check and the status page: spending data
are stale when their last month ended more than ``STALE_AFTER_DAYS`` days ago."""

from __future__ import annotations

import datetime as dt

import duckdb

STALE_AFTER_DAYS = 40


def month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def spending_age(con: duckdb.DuckDBPyConnection, today: dt.date) -> tuple[dt.date | None, int]:
    """The last day with spending data and how many days ago it was."""
    latest = con.execute(
        "SELECT max(make_date(aar, maaned, 1)) FROM core.forbrug WHERE omraade IS NOT NULL"
    ).fetchone()[0]
    if latest is None:
        return None, 10**6
    end = month_end(latest)
    return end, (today - end).days
