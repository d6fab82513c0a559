"""Budget extracts: an original budget without an agreement belongs to the one starting
that year."""

from __future__ import annotations

import pandas as pd


def finish(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    missing = (frame["budgettype"] == "oprindeligt") & frame["budgetaftale"].isna()
    start = frame.loc[missing, "aar"]
    frame.loc[missing, "budgetaftale"] = start.astype(str) + "-" + (start + 3).astype(str)
    return frame
