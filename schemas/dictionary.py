"""The data dictionary of the mart tables, generated from their contracts.

    python -m schemas.dictionary > docs/dataordbog.md

A test compares the committed file with this output, so the two cannot drift apart.
"""

from __future__ import annotations

from schemas.marts import Contract, contracts

TYPES = {
    "DECIMAL": "beløb (DECIMAL)",
    "DOUBLE": "tal",
    "INTEGER": "heltal",
    "VARCHAR": "tekst",
    "BOOLEAN": "ja/nej",
    "DATE": "dato",
    "TIMESTAMP": "tidspunkt",
    "LIST": "liste",
}


def table_doc(contract: Contract) -> str:
    key = ", ".join(f"`{k}`" for k in contract.key)
    lines = [
        f"## mart.{contract.table}",
        "",
        contract.description,
        "",
        *([f"Nøgle: {key}.", ""] if key else []),
        "| kolonne | overskrift | type | enhed | kan være tom | betydning |",
        "|---|---|---|---|---|---|",
    ]
    for name, c in contract.columns.items():
        cells = [f"`{name}`", c.header, TYPES[c.type], c.unit or "–"]
        cells += ["ja" if c.nullable else "nej", c.description]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def dictionary() -> str:
    head = (
        "# Dataordbog for mart-tabellerne\n\n"
        "Genereret af `python -m schemas.dictionary` ud fra kontrakterne "
        "`assets/marts/sql/<tabel>.toml` (fælles kolonner i `_common.toml`); ret dér, ikke "
        "her. Beløb er DECIMAL med to decimaler (kroner og øre); rapporten viser dem i "
        "mio. kr.\n"
    )
    return head + "\n" + "\n".join(table_doc(c) for c in contracts().values())


if __name__ == "__main__":
    print(dictionary(), end="")
