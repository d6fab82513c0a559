"""One measured step each, run in a child process by benchmarks.run (peak memory is the
child's own). Usage: python -m benchmarks.steps STEP ARGS…"""

from __future__ import annotations

import sys
from pathlib import Path


def floor(path: str, collector: str = "on") -> None:
    """Reading the file with python-calamine alone: the lower bound for any intake.

    With ``off``, Python's cycle collector is paused while reading, as forebyg's intake does.
    """
    import gc

    import python_calamine as calamine

    if collector == "off":
        gc.disable()
    book = calamine.CalamineWorkbook.from_path(path)
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    assert len(rows) > 1


def floor_fastexcel(path: str) -> None:
    """Reading the file into an Arrow table with fastexcel (calamine underneath, the
    columns built in Rust): the floor for a columnar intake."""
    import fastexcel

    table = fastexcel.read_excel(path).load_sheet(0, header_row=2).to_arrow()
    assert table.num_rows > 1


def floor_csv(path: str) -> None:
    """Reading the csv ledger into an Arrow table with pyarrow's csv reader alone, every
    column as text, with the options forebyg's csv reader gives it (one thread, newlines
    allowed inside quotes): the floor for the csv intake."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [str(i) for i in range(12)]
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=3, use_threads=False, block_size=1 << 24
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=";", newlines_in_values=True, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            null_values=[],
            strings_can_be_null=False,
        ),
    )
    assert table.num_rows > 1


def reader(path: str, how: str) -> None:
    """forebyg's own reading of a file (size guard, head, body; no parsing): its big
    sheets cut into parts and read on every core (``dele``), or each sheet read whole by
    one fastexcel call (``hel``), as before the parts."""
    from assets.intake.reading import parts
    from assets.intake.reading.readers import read_workbook

    if how == "hel":
        parts.MIN_BYTES = 1 << 62
    [sheet] = read_workbook(Path(path))
    assert sheet.height > 1


def naive(path: str, database: str) -> None:
    """What a user would write: pandas + openpyxl, pandera, insert into DuckDB."""
    import duckdb
    import pandas as pd
    import pandera.pandas as pa

    frame = pd.read_excel(path, engine="openpyxl", header=2)
    frame = frame[frame["Funktion"] != "I alt"]
    schema = pa.DataFrameSchema(
        {
            "Funktion": pa.Column(str, pa.Check.str_matches(r"^\d\.\d{2}\.\d{2}$")),
            "Dranst": pa.Column(int, pa.Check.isin([1, 2, 3, 4, 5, 6, 7])),
            "Bogføringsdato": pa.Column("datetime64[ns]"),
            "Beløb": pa.Column(float),
        },
        coerce=True,
    )
    schema.validate(frame, lazy=True)
    con = duckdb.connect(database)
    con.execute("CREATE OR REPLACE TABLE forbrug AS SELECT * FROM frame")
    con.close()


def forebyg(command: str, home: str) -> None:
    """A forebyg command, as operations run it (the whole Dagster job in-process)."""
    from pipelines.cli import main

    code = main([command, "--home", home])
    if code:
        raise SystemExit(code)


def rebuild_keys(home: str) -> list:
    """The assets that rebuild the core and mart tables from the raw rows already in the
    warehouse, with the macros of this code (a kept home's warehouse holds those of the code
    that built it), and publish them."""
    import dagster as dg

    from pipelines.graph import build_definitions
    from runtime.resources import Home

    return [
        s.key
        for s in build_definitions(Home.resolve(home)).resolve_all_asset_specs()
        if s.key.path[0] in ("makro", "core", "mart") or s.key == dg.AssetKey("publicering")
    ]


def marts(home: str) -> None:
    """Core and mart tables rebuilt from the raw rows already in the warehouse."""
    from pipelines.cli import execute
    from runtime.resources import Home

    if not execute(Home(Path(home)), selection=rebuild_keys(home)).success:
        raise SystemExit(1)


STEPS = {
    "floor": floor,
    "floor_fastexcel": floor_fastexcel,
    "floor_csv": floor_csv,
    "reader": reader,
    "naive": naive,
    "forebyg": forebyg,
    "marts": marts,
}

if __name__ == "__main__":
    STEPS[sys.argv[1]](*sys.argv[2:])
