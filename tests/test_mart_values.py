"""The marts hold the same values on the sample data as before the structural refactor.

``mart_checksums.json`` was recorded once from the sample data (``sample_data/*.xlsx``,
the same files ``forebyg demo`` copies) on the commit before the refactor of issue 13
began; each mart table's row count and an order-independent md5 of its rows. The only
columns left out are ``modtaget`` of leverancer, opmaerksomhed and sporbarhed (the time a
file was received, different on every run). A refactor that changes any mart value makes
this test fail; a deliberate change of values records the file again with
``python -m tests.test_mart_values``. Recorded again since: ``budgetaftaler`` for its
long form (issue 13), whose pivot back to the old columns keeps the old checksum;
``indsats_status`` when status came to be decided on the share as shown (issue 23, rule
15: S1-05 at 74,66 % and S2-01 at 74,69 % show as 75 % and are gul, not rød); and
``sporbarhed`` for its trace per column with what each file contributed (issue 23); and
for issue 27 (budget corrections in the sample data, the budget method measured against
the adopted budget, demography, expected realisation on planned amounts, the split on
evidence): ``besparelser``, ``budgetbro`` (new), ``forventet_realisering``,
``indsats_status``, ``spor_status``, ``opfoelgning_aendringer``, ``leverancer``,
``opmaerksomhed`` and ``sporbarhed``.

The tables covered, and the columns left out (``varies = true``), come from the mart
contracts (``assets/marts/sql/<table>.toml``): a new mart is covered by its contract.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from runtime.resources import Home
from schemas.marts import contracts
from tests.conftest import run, settle

pytestmark = pytest.mark.slow

SAMPLE_DATA = Path(__file__).parents[1] / "sample_data"
RECORDED = Path(__file__).with_name("mart_checksums.json")
def mart_checksums(home: Home) -> dict[str, list]:
    """Each contracted mart table's row count and order-independent md5, without the
    columns that differ between runs by nature."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        out = {}
        for table, contract in sorted(contracts().items()):
            drop = [name for name, c in contract.columns.items() if c.varies]
            cols = f"* EXCLUDE ({', '.join(drop)})" if drop else "*"
            out[table] = list(
                con.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(CAST(x AS VARCHAR), chr(10) "
                    f"ORDER BY CAST(x AS VARCHAR)), '')) FROM (SELECT {cols} FROM mart.{table}) x"
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


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Home:
    return demo_home(tmp_path_factory.mktemp("demo"))


def test_sample_data_marts_hold_the_values_recorded_before_the_refactor(sample):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert mart_checksums(sample) == recorded


# mart.budgetaftaler before it became long (issue 13): a column per agreement; checksum
# recorded on the sample data before the change
WIDE_AGREEMENTS = """
SELECT spor, indsats_id, indsats, aar,
       max(besparelse) FILTER (WHERE budgetaftale = '2023-2026') AS besparelse_2023_2026,
       max(besparelse) FILTER (WHERE budgetaftale = '2024-2027') AS besparelse_2024_2027,
       max(besparelse) FILTER (WHERE budgetaftale = '2024-2027')
           - max(besparelse) FILTER (WHERE budgetaftale = '2023-2026') AS aendring,
       any_value(prisniveau) AS prisniveau
FROM mart.budgetaftaler
GROUP BY spor, indsats_id, indsats, aar
"""


def test_the_long_agreements_table_pivots_back_to_the_old_one(sample):
    con = duckdb.connect(str(sample.warehouse), read_only=True)
    try:
        assert list(
            con.execute(
                "SELECT count(*), md5(coalesce(string_agg(CAST(x AS VARCHAR), chr(10) "
                f"ORDER BY CAST(x AS VARCHAR)), '')) FROM ({WIDE_AGREEMENTS}) x"
            ).fetchone()
        ) == [48, "b111f3dea9f1fece187492c6681b0744"]
    finally:
        con.close()


if __name__ == "__main__":  # record the checksums again (only for a deliberate change)
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        RECORDED.write_text(
            json.dumps(mart_checksums(demo_home(Path(d))), indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
