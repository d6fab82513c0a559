"""The data dictionary of the mart tables, generated from their pandera models.

    python -m schemas.dictionary > docs/dataordbog.md

A test compares the committed file with this output, so the two cannot drift apart.
"""

from __future__ import annotations

from schemas.marts import MART_MODELS

TYPES = {
    "Int64": "heltal",
    "int64": "heltal",
    "float64": "beløb/tal",
    "str": "tekst",
    "string[python]": "tekst",
    "boolean": "ja/nej",
    "datetime64[ns]": "dato",
    "object": "liste",
}


def table_doc(name: str) -> str:
    schema = MART_MODELS[name].to_schema()
    lines = [
        f"## mart.{name}",
        "",
        schema.description or "",
        "",
        "| kolonne | type | betydning |",
        "|---|---|---|",
    ]
    for column, spec in schema.columns.items():
        kind = TYPES.get(str(spec.dtype), str(spec.dtype))
        lines.append(f"| `{column}` | {kind} | {spec.description or ''} |")
    return "\n".join(lines) + "\n"


def dictionary() -> str:
    head = (
        "# Dataordbog for mart-tabellerne\n\n"
        "Genereret af `python -m schemas.dictionary` ud fra pandera-modellerne i "
        "`schemas/marts.py`; ret dér, ikke her. Beløb er i kr. som DECIMAL(18,2).\n"
    )
    return head + "\n" + "\n".join(table_doc(name) for name in MART_MODELS)


if __name__ == "__main__":
    print(dictionary(), end="")
