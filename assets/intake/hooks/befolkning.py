"""Population extracts: one area per file."""

from __future__ import annotations

import pandas as pd

from assets.intake.problems import Problem
from schemas.kinds import KindSpec


def problems(file: str, tables: dict[str, pd.DataFrame], spec: KindSpec) -> list[Problem]:
    """A population file holds one area: several (country, regions, municipalities) would
    be summed into one population."""
    areas = sorted(tables["befolkning"]["geografi"].dropna().unique())
    if len(areas) <= 1:
        return []
    return [
        Problem(
            file,
            sentence=(
                f"filen har befolkningstal for {len(areas)} områder ({', '.join(areas)}); "
                "aflever kun kommunens eget område, fx ved at vælge det ene område i "
                "Statistikbanken. Er filen til sammenligningen med andre kommuner, så tag "
                "KØN med i udtrækket (FOLK1A med OMRÅDE, KØN, ALDER og TID)."
            ),
        )
    ]
