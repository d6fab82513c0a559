"""Align frames read back from DuckDB with the pandera models."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa


def as_model_types(
    frame: pd.DataFrame, model: type[pa.DataFrameModel] | pa.DataFrameSchema
) -> pd.DataFrame:
    """DuckDB hands DECIMAL back as Decimal objects, INTEGER as int32 and VARCHAR as object;
    align to the model (or schema)."""
    frame = frame.copy()
    schema = model if isinstance(model, pa.DataFrameSchema) else model.to_schema()
    for name, col in schema.columns.items():
        if name not in frame.columns:
            continue
        dtype = str(col.dtype)
        if dtype.startswith("float"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        elif dtype in ("Int64", "int64") or dtype == "boolean" or dtype.startswith("string"):
            frame[name] = frame[name].astype(dtype)
    return frame
