"""The municipalities one deployment serves, each with its own data home.

The list is configuration, a TOML file named by FOREBYG_KOMMUNER (docs/skalering.md):

    [[kommune]]
    kode = "860"
    navn = "Hjørring"
    hjem = "/srv/forebyg/860"      # relative paths are read from the file's folder

With a list, the Dagster assets are partitioned by municipality code and a run's data home
is the one its partition key names here, nothing else. Without one, forebyg serves the
single home of ``--home``/FOREBYG_HOME as before.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from runtime import settings
from runtime.resources import Home, Stop, Warehouse, serving

if TYPE_CHECKING:
    import dagster as dg

ENV = settings.KOMMUNER.name
PARTITION_TAG = "dagster/partition"  # set by Dagster on every run of one partition
CODE = re.compile(r"[0-9]{3}")  # the municipality numbers of Danmarks Statistik: 101 … 860


@dataclass(frozen=True)
class Kommune:
    kode: str
    navn: str
    home: Home


def load(path: str | Path | None = None) -> dict[str, Kommune] | None:
    """The configured municipalities by code, in the file's order; None when no list is
    configured (``path`` empty and FOREBYG_KOMMUNER unset or empty)."""
    path = path or settings.KOMMUNER.get()
    if not path:
        return None
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise Stop(f"Kommunelisten {path} kan ikke læses ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise Stop(f"Kommunelisten {path} er ikke gyldig TOML: {exc}.") from exc
    entries = data.get("kommune")
    if not isinstance(entries, list) or not entries:
        raise Stop(f"Kommunelisten {path} nævner ingen kommuner ([[kommune]]-afsnit).")
    kommuner: dict[str, Kommune] = {}
    homes: dict[Path, str] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"Kommunelisten {path}, kommune nr. {number}"
        if not isinstance(entry, dict):
            raise Stop(f"{where}: skal være et [[kommune]]-afsnit.")
        kode, navn, hjem = entry.get("kode"), entry.get("navn"), entry.get("hjem")
        if not isinstance(kode, str) or not CODE.fullmatch(kode):
            raise Stop(f"{where}: kode er {kode!r}; den skal være et kommunenummer på tre "
                       "cifre i anførselstegn, fx \"860\".")
        if kode in kommuner:
            raise Stop(f"{where}: koden {kode} står der allerede.")
        if not isinstance(navn, str) or not navn.strip():
            raise Stop(f"{where} ({kode}): navn mangler.")
        if not isinstance(hjem, str) or not hjem.strip():
            raise Stop(f"{where} ({kode}): hjem (datahjemmets mappe) mangler.")
        root = (path.parent / hjem).resolve()
        if root in homes:
            raise Stop(f"{where} ({kode}): datahjemmet {root} bruges allerede af "
                       f"{homes[root]}; hver kommune skal have sit eget.")
        homes[root] = kode
        kommuner[kode] = Kommune(kode, navn.strip(), Home(root))
    return kommuner


@dataclass(frozen=True)
class KommuneHome(Home):
    """A municipality's data home as the commands take it (``--kommune``): its runs are
    the partition ``kode`` of the list's job, recorded in the shared instance."""

    kode: str = ""


def home_for(kommuner: Mapping[str, Kommune], partition_key: str | None) -> Home:
    """The data home of a run's partition: the only way a partitioned run finds its home."""
    if partition_key is None:
        raise Stop("Kørslen nævner ingen kommune; vælg en kommune (partition) og kør igen.")
    if partition_key not in kommuner:
        raise Stop(f"Kommunen {partition_key!r} står ikke i kommunelisten; kørslen er stoppet.")
    return kommuner[partition_key].home


def partitioned_warehouse(kommuner: Mapping[str, Kommune]) -> dg.ResourceDefinition:
    """The warehouse of the run's municipality, chosen by its partition key alone. Like
    the single-home resource it takes no config: a run cannot name another folder."""
    import dagster as dg  # here, not at the top: a command with nothing new never loads Dagster

    @dg.resource(
        config_schema={},
        description="DuckDB-lageret i kørslens kommunes datahjem (kommunelisten, "
        "FOREBYG_KOMMUNER); kan ikke ændres fra en kørsel.",
    )
    def warehouse(context: dg.InitResourceContext) -> Iterator[Warehouse]:
        run = context.dagster_run
        key = run.tags.get(PARTITION_TAG) if run is not None else None
        with serving(home_for(kommuner, key)) as resource:
            yield resource

    return warehouse
