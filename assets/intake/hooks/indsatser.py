"""The strategy catalogue: savings stored as positive amounts, every ID on the Økonomi
and Mål sheets must be one of the Indsatser sheet, and a track has one name and one lead
(written on each of its initiatives' rows)."""

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
    out = _one_per_track(file, tables["indsatser"], spec)
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


def _one_per_track(file: str, frame: pd.DataFrame, spec: KindSpec) -> list[Problem]:
    """A track's name and lead: the first row that gives one sets it; a later row of the
    same track with another is a problem (an empty cell is no other)."""
    table = next(x for x in spec.tables if x.name == "indsatser")
    out = []
    for column in ("spornavn", "sporansvarlig"):
        first: dict[int, tuple[str, int]] = {}
        for r in frame[frame[column].notna() & frame["spor"].notna()].itertuples():
            value = getattr(r, column)
            seen = first.setdefault(int(r.spor), (value, r.kilde_raekke))
            if seen[0] != value:
                out.append(
                    Problem(
                        file,
                        f"samme {table.header(column).lower()} som række {seen[1]} for spor "
                        f"{r.spor} ('{seen[0]}')",
                        r.kilde_ark,
                        r.kilde_raekke,
                        table.header(column),
                        value,
                    )
                )
    return out
