"""rapporter/styregruppe.html: a self-contained page (no network) with the headline table."""

from __future__ import annotations

import html
from pathlib import Path

import duckdb

from assets.reports.summary import level_text, mio, summary_rows

PAGE = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Forebyggelsesstrategien – styregruppe</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
td, th {{ padding: 4px 10px; border-bottom: 1px solid #ccc; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
@page {{ size: A4; margin: 15mm; }}
</style></head><body>
<h1>Forebyggelsesstrategien – status for styregruppen</h1>
<p>Beløb i mio. kr., {level}. "Budgetteret i alt" dækker aftalens fire år; de øvrige
kolonner de år, der er opgjort (regnskab eller forventet regnskab).</p>
<table><thead><tr><th>Spor</th><th>Budgetaftale</th><th>Budgetteret i alt</th>
<th>Budgetteret til dato</th><th>Realiseret</th><th>Investering</th>
<th>Forbrugt investering</th><th>Nettoeffekt</th><th>Opgjorte år</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""


def write_html(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    rows = summary_rows(con)
    level = rows[0][-1] if rows else "løbende priser"
    body = "\n".join(
        "<tr>"
        + f"<td>{spor}</td><td>{html.escape(aftale)}</td>"
        + "".join(f'<td class="n">{mio(v)}</td>' for v in values)
        + f"<td>{html.escape(years or '–')}</td></tr>"
        for spor, aftale, *values, years, _ in rows
    )
    text = PAGE.format(level=level_text(level), rows=body)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
