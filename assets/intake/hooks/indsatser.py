"""The strategy catalogue: savings stored as positive amounts, and every ID on the
Økonomi and Mål sheets must be one of the Indsatser sheet."""

from __future__ import annotations

import pandas as pd

from assets.intake.problems import Problem
from schemas.kinds import KindSpec


def finish(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    if table == "indsats_oekonomi":
        # Danish budgets often write savings as negative: store both kinds as positive.
        frame["beloeb"] = frame["beloeb"].abs()
        missing = frame["prisniveau"].isna()
        frame.loc[missing, "prisniveau"] = pd.to_numeric(
            frame.loc[missing, "budgetaftale"].str[:4], errors="coerce"
        ).astype("Int64")
    return frame


def problems(file: str, tables: dict[str, pd.DataFrame], spec: KindSpec) -> list[Problem]:
    known = set(tables["indsatser"]["indsats_id"].dropna())
    out = []
    for name in ("indsats_oekonomi", "indsats_maal"):
        t = tables[name]
        for r in t[~t["indsats_id"].isin(known) & t["indsats_id"].notna()].itertuples():
            header = next(x for x in spec.tables if x.name == name).header("indsats_id")
            out.append(
                Problem(
                    file,
                    "et ID fra arket Indsatser",
                    r.kilde_ark,
                    r.kilde_raekke,
                    header,
                    r.indsats_id,
                )
            )
    return out
