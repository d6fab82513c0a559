"""The marts hold the same values on the sample data as before the structural refactor.

``mart_checksums.json`` was recorded once from the sample data (``sample_data/*.xlsx``,
the same files ``forebyg demo`` copies) on the commit before the refactor of issue 13
began; each mart table's row count and an order-independent md5 of its rows. The only
columns left out are ``modtaget`` of leverancer and opmaerksomhed (the time a file was
received, different on every run). A refactor that changes any mart value makes this
test fail; a deliberate change of values records the file again with
``python -m tests.test_mart_values``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from runtime.resources import Home
from tests.conftest import run, settle

SAMPLE_DATA = Path(__file__).parents[1] / "sample_data"
RECORDED = Path(__file__).with_name("mart_checksums.json")
# columns that differ between runs by nature
VARYING = {"leverancer": ["modtaget"], "opmaerksomhed": ["modtaget"]}


def mart_checksums(home: Home) -> dict[str, list]:
    con = duckdb.connect(str(home.warehouse), read_only=True)
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


def demo_home(root: Path) -> Home:
    home = Home(root / "hjem").create()
    settle(
        [Path(shutil.copy2(p, home.indbakke / p.name)) for p in sorted(SAMPLE_DATA.glob("*.xlsx"))]
    )
    run(home)
    return home


def test_sample_data_marts_hold_the_values_recorded_before_the_refactor(tmp_path):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert mart_checksums(demo_home(tmp_path)) == recorded


if __name__ == "__main__":  # record the checksums again (only for a deliberate change)
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        RECORDED.write_text(
            json.dumps(mart_checksums(demo_home(Path(d))), indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
