"""Population extracts: one area per file, and that area a municipality."""

from __future__ import annotations

import pandas as pd

from assets.intake.hooks.dst import area_code, first_quarter, unknown_areas
from assets.intake.problems import Problem
from schemas.kinds import KindSpec


def problems(file: str, tables: dict[str, pd.DataFrame], spec: KindSpec) -> list[Problem]:
    """A population file holds one area: several (country, regions, municipalities) would
    be summed into one population; an area that is no municipality (Hele landet, a region)
    cannot be the municipality's own population. A year counts at its 1st quarter."""
    frame = tables["befolkning"]
    areas = sorted(frame["geografi"].dropna().unique())
    if len(areas) > 1:
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
    unknown = unknown_areas(file, frame.dropna(subset=["geografi"]), "Område")
    if unknown:
        return unknown
    if areas and area_code(areas[0]) is None:
        return [
            Problem(
                file,
                sentence=(
                    f"filen har befolkningstal for {areas[0]}, som ikke er en kommune; "
                    "kommunens befolkning skal være kommunens eget område. Vælg kommunen "
                    "som område i Statistikbanken, og aflever filen igen."
                ),
            )
        ]
    return first_quarter(file, frame)
