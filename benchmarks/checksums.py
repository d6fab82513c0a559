"""Checksums of every mart table: its row count and an order-independent md5 of its rows.

The sample data's are kept in ``tests/mart_checksums.json`` (``tests/test_mart_values.py``);
the benchmark ledger's in ``benchmarks/mart_checksums.json``, recorded by
``python -m benchmarks.run --record-checksums``, so a change meant to be faster only can
show that the marts on a million rows, and on five million, are the same as before.
``modtaget`` (when a file was received) differs between runs by nature and is left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

VARYING = {"leverancer": ["modtaget"], "opmaerksomhed": ["modtaget"]}


def mart_checksums(warehouse: Path) -> dict[str, list]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mart' ORDER BY 1"
            ).fetchall()
        ]
        out = {}
        for t in tables:
            drop = VARYING.get(t)
            cols = f"* EXCLUDE ({', '.join(drop)})" if drop else "*"
            out[t] = list(
                con.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(CAST(x AS VARCHAR), chr(10) "
                    f"ORDER BY CAST(x AS VARCHAR)), '')) FROM (SELECT {cols} FROM mart.{t}) x"
                ).fetchone()
            )
        return out
    finally:
        con.close()


if __name__ == "__main__":  # python -m benchmarks.checksums WAREHOUSE.duckdb
    print(json.dumps(mart_checksums(Path(sys.argv[1])), indent=1, sort_keys=True))
