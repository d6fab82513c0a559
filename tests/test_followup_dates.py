"""Issue 23 rule 10: a follow-up closes only on a month end within the spending delivered,
and ``forebyg opfoelgning fortryd`` reopens the latest one (docs/beregninger.md,
"Opfølgninger"). Every date below is worked out by hand from the fixture."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import followups
from pipelines.cli import main
from pipelines.jobs import REBUILD_CONFIG
from runtime.resources import Home, Stop
from tests import builders as b
from tests.conftest import query, run
from tests.test_followups import _deliver

pytestmark = pytest.mark.slow

# Spending: botilbud (5.38.50) 2023-01 … 2024-12 plus one line for 2025-01, bostøtte
# (5.38.38) 2023-01 … 2024-12. The first month is 2023-01 (month end 31-01-2023); the last
# month every område has reached is min(2025-01, 2024-12) = 2024-12 (31-12-2024).
ALLOWED = "fra 31-01-2023 til 31-12-2024"
SEPTEMBER, DECEMBER = dt.date(2024, 9, 30), dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("opfoelgningsdatoer") / "hjem").create()
    _deliver(home)
    b.spending(home.indbakke / "januar.xlsx", [["5.38.50", 1, "7100", "2025-01", 1_000_000]])
    run(home)
    return home


def _closed(home: Home) -> list[dt.date]:
    return [r[0] for r in query(home, "SELECT opfoelgning FROM mart.opfoelgninger ORDER BY 1")]


@pytest.mark.parametrize(
    "day, why",
    [
        (dt.date(2022, 12, 31), "ligger før de leverede data"),  # before 2023-01
        (dt.date(2025, 1, 31), "ligger efter de leverede data"),  # bostøtte ends 2024-12
        (dt.date.today() + dt.timedelta(days=1), "efter de leverede data"),  # the future
        (dt.date(2062, 6, 30), "ligger efter de leverede data"),
        (dt.date(9999, 12, 31), "ligger efter de leverede data"),
        (dt.date(2024, 6, 15), "ikke den sidste dag i en måned"),
    ],
)
def test_a_date_outside_the_data_delivered_is_refused_in_danish(delivered, day, why):
    with pytest.raises(Stop) as refused:
        followups.close(delivered, day)
    assert why in str(refused.value)
    if "måned" not in why:
        assert ALLOWED in str(refused.value)
    assert _closed(delivered) == []  # nothing was frozen


def test_fortryd_reopens_the_latest_follow_up_only(delivered, capsys):
    home = delivered
    for day in (SEPTEMBER, DECEMBER):
        assert main(["opfoelgning", "luk", day.isoformat(), "--home", str(home.root)]) == 0
    # 30/9 is not the latest: refused, nothing changes
    assert main(["opfoelgning", "fortryd", SEPTEMBER.isoformat(), "--home", str(home.root)]) == 1
    assert "Kun den seneste lukkede opfølgning (31-12-2024)" in capsys.readouterr().err
    assert _closed(home) == [SEPTEMBER, DECEMBER]

    assert main(["opfoelgning", "fortryd", DECEMBER.isoformat(), "--home", str(home.root)]) == 0
    assert "Opfølgningen 31-12-2024 er fortrudt: 2 indsatsrækker" in capsys.readouterr().out
    folder = home.arkiv / "opfoelgninger"
    assert not (folder / "2024-12-31.parquet").exists()
    assert [p.name[:11] for p in (folder / "fortrudt").glob("*.parquet")] == ["2024-12-31_"]
    receipt = next(home.kvitteringer.glob("*_opfoelgning_2024-12-31_fortrudt.txt"))
    assert "Opfølgning:  31-12-2024" in receipt.read_text(encoding="utf-8")
    # gone from the marts and the report; 30/9 stays
    assert _closed(home) == [SEPTEMBER]
    assert query(home, "SELECT DISTINCT opfoelgning FROM mart.besparelser_opfoelgning") == [
        (SEPTEMBER,)
    ]
    page = (home.rapporter / "styregruppe.html").read_text(encoding="utf-8")
    assert "målt mod opfølgningen pr. 30-09-2024" in page

    run(home, run_config=REBUILD_CONFIG)  # the archive alone: the reopened one stays out
    assert _closed(home) == [SEPTEMBER]
    followups.close(home, DECEMBER)  # and its date can be closed again
    assert _closed(home) == [SEPTEMBER, DECEMBER]
