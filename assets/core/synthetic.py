"""The synthetic control's donor weights (Abadie, Diamond & Hainmueller 2010), fitted with
pysyncon: ``core.syntetisk_kontrol``.

For each område, the municipality's own net spending per inhabitant in the years before the
first budget agreement is matched by a convex combination of the other municipalities
(weights ≥ 0, summing to 1). The same fit is made for every donor in turn, as if it were
the treated one (the in-space placebo test). Only the weights are computed here, because
finding them is an optimisation; the synthetic series, the RMSPE, the placebo rank and the
verdict are set logic in ``mart.kontrafaktisk`` (SQL). docs/metode.md explains the method.

The fit costs about a second per run (a few hundred optimisations and pysyncon's import),
while its inputs (Danmarks Statistik's tables, the first agreement year, the own
municipality) change a few times a year. The table's comment keeps a fingerprint of
everything the weights are a function of: the panel, those two numbers, this module's text
and the versions of pysyncon, SciPy and NumPy. A run whose fingerprint matches the working
copy's table keeps its weights instead of fitting them again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import metadata
from pathlib import Path

import dagster as dg
import numpy as np
import pandas as pd

from runtime.resources import Warehouse

PANEL_SQL = """
SELECT kommunenr, omraade, aar, CAST(kr_pr_indbygger AS DOUBLE) AS vaerdi
FROM core.dst_drift
WHERE kr_pr_indbygger IS NOT NULL
"""
FIRST_YEAR_SQL = "SELECT min(TRY_CAST(left(budgetaftale, 4) AS INTEGER)) FROM core.indsats_oekonomi"
OWN_SQL = "SELECT min(kommunenr) FROM core.sammenligningsgruppe WHERE rolle = 'egen'"
FINGERPRINT_SQL = """
SELECT md5(coalesce(string_agg(concat_ws('|', kommunenr, omraade, aar, kr_pr_indbygger), ';'
                               ORDER BY kommunenr, omraade, aar), ''))
FROM core.dst_drift
WHERE kr_pr_indbygger IS NOT NULL
"""
STORED_SQL = """
SELECT comment FROM duckdb_tables()
WHERE schema_name = 'core' AND table_name = 'syntetisk_kontrol'
"""
COMMENT_PREFIX = "grundlag "
COLUMNS = ["behandlet", "omraade", "donor", "vaegt", "foerste_aar"]
DIGITS = 6  # weights are kept to 6 decimals; smaller ones are 0 and left out
MIN_PRE_YEARS = 3
# the donor pool of one fit: the municipalities whose pre-period path is nearest the treated
# one's (Abadie 2021: a pool of similar units limits interpolation bias); it also bounds the
# optimisation, which pysyncon solves without a gradient
POOL = 5


def _synth():
    """pysyncon's Synth, imported only here: it imports matplotlib, which wants a writable
    configuration folder and a display; a service may have neither."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "forebyg-mpl"))
    from pysyncon import Synth

    return Synth


def balanced(panel: pd.DataFrame, own: int) -> pd.DataFrame:
    """Years × municipalities of one område: the years the own municipality has, and only
    the municipalities with a figure in every one of them."""
    wide = panel.pivot(index="aar", columns="kommunenr", values="vaerdi")
    if own not in wide.columns:
        return wide.iloc[0:0, 0:0]
    wide = wide.loc[wide[own].notna()]
    return wide.dropna(axis="columns").sort_index()


def fit_weights(wide: pd.DataFrame, treated: int, first_year: int) -> pd.Series:
    """Donor → weight for ``treated``, fitted on the years before ``first_year`` over the
    POOL municipalities nearest in those years: every pre-year's figure is a predictor with
    the same importance (V = I), so the weights minimise the pre-period's squared gaps."""
    pre = wide.loc[wide.index < first_year]
    values, columns = pre.to_numpy(), pre.columns.to_numpy()
    is_treated = columns == treated
    distance = ((values[:, ~is_treated] - values[:, is_treated]) ** 2).sum(axis=0)
    nearest = columns[~is_treated][np.argsort(distance, kind="stable")[:POOL]]
    donors = pre[sorted(nearest)]
    synth = _synth()()
    synth.fit(X0=donors, X1=pre[treated], Z0=donors, Z1=pre[treated],
              custom_V=np.ones(len(pre)))  # fmt: skip
    return pd.Series(np.round(synth.W, DIGITS), index=donors.columns)


def weights(panel: pd.DataFrame, own: int | None, first_year: int | None) -> pd.DataFrame:
    """The weights of the own municipality and of every donor as a placebo, per område:
    rows (behandlet, omraade, donor, vaegt, foerste_aar), weight 0 left out. Nothing when
    there is no own municipality, no agreement year, fewer than MIN_PRE_YEARS years before
    it, no year from it on, or fewer than two donors."""
    rows = []
    if own is None or first_year is None:
        return pd.DataFrame(rows, columns=COLUMNS)
    for area, one in sorted(panel.groupby("omraade"), key=lambda x: x[0]):
        wide = balanced(one, own)
        years = wide.index
        if (years < first_year).sum() < MIN_PRE_YEARS or (years >= first_year).sum() == 0:
            continue
        if wide.shape[1] < 3:
            continue
        for treated in wide.columns:
            for donor, w in fit_weights(wide, treated, first_year).items():
                if w > 0:
                    rows.append((int(treated), area, int(donor), float(w), first_year))
    return pd.DataFrame(rows, columns=COLUMNS)


DEPENDS = [("core", "dst_drift"), ("core", "indsats_oekonomi"), ("core", "sammenligningsgruppe")]


def fingerprint(con, own: int | None, first_year: int | None) -> str:
    """md5 of everything the weights are a function of (the module docstring says what)."""
    ((panel,),) = con.execute(FINGERPRINT_SQL).fetchall()
    code = hashlib.md5(Path(__file__).read_bytes()).hexdigest()
    versions = [metadata.version(name) for name in ("pysyncon", "scipy", "numpy")]
    text = "|".join([panel, str(own), str(first_year), code, *versions])
    return hashlib.md5(text.encode()).hexdigest()


def build(con) -> tuple[int, bool]:
    """core.syntetisk_kontrol from the tables of DEPENDS on ``con``: its number of rows, and
    whether the weights already there were kept (same fingerprint) rather than fitted."""
    ((first_year,),) = con.execute(FIRST_YEAR_SQL).fetchall()
    ((own,),) = con.execute(OWN_SQL).fetchall()
    digest = fingerprint(con, own, first_year)
    stored = con.execute(STORED_SQL).fetchall()
    if stored and stored[0][0] == COMMENT_PREFIX + digest:
        ((rows,),) = con.execute("SELECT count(*) FROM core.syntetisk_kontrol").fetchall()
        return rows, True
    frame = weights(con.execute(PANEL_SQL).df(), own, first_year)
    con.register("vaegte", frame)
    con.execute(
        "CREATE OR REPLACE TABLE core.syntetisk_kontrol AS SELECT "
        "CAST(behandlet AS INTEGER) AS behandlet, CAST(omraade AS VARCHAR) AS omraade, "
        "CAST(donor AS INTEGER) AS donor, CAST(vaegt AS DOUBLE) AS vaegt, "
        "CAST(foerste_aar AS INTEGER) AS foerste_aar FROM vaegte"
    )
    con.unregister("vaegte")
    con.execute(f"COMMENT ON TABLE core.syntetisk_kontrol IS '{COMMENT_PREFIX}{digest}'")
    return len(frame), False


@dg.asset(
    key=["core", "syntetisk_kontrol"],
    group_name="core",
    kinds={"duckdb", "python"},
    description="Den syntetiske kontrols vægte pr. område: hvilke andre kommuner (donorer), "
    "vægtet sammen, der bedst følger kommunens nettodrift pr. indbygger i årene før den "
    "første budgetaftale, og de samme vægte for hver donor behandlet som placebo "
    "(pysyncon; docs/metode.md).",
    deps=[dg.AssetKey(list(key)) for key in DEPENDS],
)
def syntetisk_kontrol(warehouse: dg.ResourceParam[Warehouse]) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        rows, kept = build(con)
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "genbrugt": kept})
