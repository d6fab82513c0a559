"""Rejection reasons in Danish, each pointing at a file, sheet, Excel row and column."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from assets.danish import neutral


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. ``sentence`` is for problems with no cell to point at."""

    file: str
    expected: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    show_value: bool = True
    sentence: str | None = None

    @property
    def where(self) -> tuple[str, int, str]:
        return (self.sheet or "", self.row or 0, self.column or "")

    def text(self) -> str:
        """The message on one line, control characters escaped (a cell may hold any)."""
        return neutral(self._text())

    def _text(self, rows: str | None = None) -> str:
        if self.sentence:
            return f"Fil '{self.file}': {self.sentence}"
        where = [f"Fil '{self.file}'"]
        if self.sheet is not None:
            where.append(f"ark '{self.sheet}'")
        if rows is not None:
            where.append(rows)
        elif self.row is not None:
            where.append(f"række {self.row}")
        if self.column is not None:
            where.append(f"kolonne '{self.column}'")
        if not self.show_value:
            what = ""
        elif _missing(self.value):
            what = "værdien mangler; "
        else:
            what = f"værdien '{_show(self.value)}' kan ikke bruges; "
        return f"{', '.join(where)}: {what}forventet {self.expected}."


def _spans(rows: list[int], shown: int = 6) -> str:
    """[2, 3, 4, 7] → '2-4, 7'; after ``shown`` spans the rest as '…'."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    text = [str(a) if a == b else f"{a}-{b}" for a, b in spans]
    return ", ".join(text[:shown]) + (", …" if len(text) > shown else "")


def grouped(problems: list[Problem]) -> list[str]:
    """The problems as lines, those that differ only in their row as one line naming the
    rows (a month 13 in 42 rows is one line, not 42)."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        value = _show(p.value) if p.show_value and not _missing(p.value) else None
        key = (p.file, p.sheet, p.column, value, p.expected, p.sentence, p.row is None)
        groups.setdefault(key, []).append(p)
    lines = []
    for found in groups.values():
        first = found[0]
        if len(found) == 1 or first.row is None:
            lines += dict.fromkeys(p.text() for p in found)
        else:
            rows = [p.row for p in found]
            where = f"rækkerne {_spans(rows)} ({len(set(rows))} rækker)"
            lines.append(neutral(first._text(where)))
    return lines


def _show(value: object) -> str:
    """Cells as the user typed them: Excel's 9.0 is shown as 9."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def from_schema_errors(
    err: pa.errors.SchemaErrors,
    frame: pd.DataFrame,
    model: type[pa.DataFrameModel],
    file: str,
    headers: dict[str, str],
    raw: pd.DataFrame,
) -> list[Problem]:
    """pandera's failure cases → one Problem per (row, column), with the cell as delivered.

    ``frame`` is the validated frame (with kilde_ark/kilde_raekke), ``headers`` maps a
    field to the header the file used, and ``raw`` holds the cells before parsing.
    """
    columns = model.to_schema().columns
    seen: set[tuple[int, str]] = set()
    out = []
    for case in err.failure_cases.itertuples(index=False):
        if case.index is None or pd.isna(case.index):
            continue
        if case.schema_context == "DataFrameSchema":  # a row rule: "field: what is wrong"
            field, _, expected = str(case.check).partition(": ")
        else:
            field = case.column
            if case.check == "field_uniqueness":
                expected = f"{columns[field].description} (værdien står flere gange)"
            else:
                expected = columns[field].description or "en værdi"
        key = (int(case.index), headers.get(field, field))  # År and Måned may share a column
        if key in seen or field not in frame.columns:
            continue
        seen.add(key)
        row = frame.loc[case.index]
        value = raw.at[case.index, field] if field in raw.columns else row[field]
        out.append(
            Problem(
                file=file,
                sheet=row["kilde_ark"],
                row=int(row["kilde_raekke"]),
                column=headers.get(field, field),
                value=value,
                expected=expected,
            )
        )
    return out
