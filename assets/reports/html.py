"""rapporter/styregruppe.html: one self-contained page (no network) for a committee agenda.

The same content as the workbook, in the same unit (mio. kr.): headlines, the overview with
totals and reasons, then every table, the tracks and initiatives grouped per track. Charts
are inline SVG with axis ticks and value labels; the print layout is A4 landscape, with
the status colours kept and each table's header repeated on every page.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from pathlib import Path

import pandas as pd

from assets.danish import date, decimal, mio, neutral_lines, number, percent, yes_no
from assets.reports import comparison, effect
from assets.reports.content import SERIES_COLOURS, TREND, UNIT, Content, Table
from assets.reports.content import column as content_column
from runtime.resources import write_text

STYLE = """
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Segoe UI", Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 2px solid #446; }
h3 { margin-top: 1.5em; }
p.headline { font-size: 1.15em; font-weight: bold; margin: 0.3em 0; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ccc; text-align: left; vertical-align: top; }
th { background: #eef; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; } th { max-width: 8em; } td { max-width: 22em; }
tr.total td { font-weight: bold; border-top: 2px solid #446; }
.grøn { background: #c6efce; } .gul { background: #ffeb9c; } .rød { background: #ffc7ce; }
.meta { color: #555; }
figure { margin: 0.5em 0; display: inline-block; break-inside: avoid; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  section.table { break-before: page; }
  thead { display: table-header-group; }
  tr, figure, p.headline { break-inside: avoid; }
  figure { width: 48%; } figure svg { width: 100%; height: auto; }
  #overblik figure { width: 36%; }
  table { font-size: 8pt; }
}
"""
AXIS_LIMIT = 1e15  # a figure beyond (a broken mart) is drawn at the axis' end, labelled true
PALETTE = ["#8da0cb", "#1b7837", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]


def _e(text: object) -> str:
    return html.escape("–" if text is None or text != text else neutral_lines(str(text)))


def display(value: object, kind: str) -> str:
    """A mart value as the page shows it (Danish, mio. kr.), HTML-escaped."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, float) and not math.isfinite(value):
        return "–"  # infinity is no figure
    if kind == "kr":
        return mio(value)
    if kind == "pct":
        return percent(value)
    if kind == "janej":
        return yes_no(value)
    if kind == "dato" and isinstance(value, (dt.date, pd.Timestamp)):
        return date(value)
    if kind == "antal":
        return number(int(value))
    if kind == "tal":
        return decimal(float(value))
    return _e(value)


def _head(column: str) -> tuple[str, str]:
    header, kind = content_column(column)
    return header + (f" ({UNIT})" if kind == "kr" else ""), kind


def table_html(name: str, frame: pd.DataFrame, total_rows: set[int] = frozenset()) -> str:
    kinds = [_head(c) for c in frame.columns]

    def cls(kind: str) -> str:
        return ' class="n"' if kind in ("kr", "pct", "antal", "tal") else ""

    out = [f'<table data-tabel="{_e(name)}"><thead><tr>']
    out += [f"<th{cls(k)}>{_e(h)}</th>" for h, k in kinds]
    out.append("</tr></thead><tbody>")
    for n, row in enumerate(frame.itertuples(index=False)):
        out.append('<tr class="total">' if n in total_rows else "<tr>")
        for column, value, (_, kind) in zip(frame.columns, row, kinds, strict=True):
            text = display(value, kind)
            if column == "status" and text in ("grøn", "gul", "rød"):
                text = f'<span class="{text}">{text}</span>'
                out.append(f'<td class="{_e(value)}">{text}</td>')
            else:
                out.append(f"<td{cls(kind)}>{text}</td>")
        out.append("</tr>")
    return "".join(out) + "</tbody></table>"


def _axis(value: float, default: float) -> float:
    """A bound of the axis: finite, within ±AXIS_LIMIT."""
    return min(max(value, -AXIS_LIMIT), AXIS_LIMIT) if math.isfinite(value) else default


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis ticks covering [low, high]: steps of 1, 2 or 5 × 10^n. Any input gives
    an axis: NaN or infinite bounds fall back to 0 and 1, huge ones stop at ±AXIS_LIMIT."""
    low, high = sorted((_axis(low, 0.0), _axis(high, 1.0)))
    high = max(high, low + 1.0)
    span = max(high - low, 1.0)
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    return [first + i * step for i in range(math.ceil((high - first) / step) + 1)]


def bar_chart(labels: list[str], series: dict[str, list[float | None]], title: str) -> str:
    """A grouped bar chart as inline SVG: values in kr., axis and labels in mio. kr."""
    width, height, left, bottom, top_pad = 560, 260, 56, 46, 18
    series = {name: _floats(vs) for name, vs in series.items()}
    values = [v for vs in series.values() for v in vs if v is not None]
    grid = ticks(min([*values, 0.0]), max([*values, 1.0]))
    low, top = grid[0], grid[-1]

    def y(v: float) -> float:
        v = min(max(v, low), top)  # beyond the axis (huge): drawn at its end
        return top_pad + (top - v) / (top - low) * (height - bottom - top_pad)

    group = (width - left - 10) / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">'
    ]
    for t in grid:
        parts.append(
            f'<line x1="{left}" y1="{y(t):.1f}" x2="{width}" y2="{y(t):.1f}" '
            f'stroke="{"#333" if t == 0 else "#ddd"}"/>'
            f'<text class="tick" x="{left - 5}" y="{y(t) + 4:.1f}" text-anchor="end" '
            f'font-size="10">{mio(t)}</text>'
        )
    for g, label in enumerate(labels):
        x0 = left + g * group + group * 0.1
        for s, (name, vs) in enumerate(series.items()):
            v = vs[g]
            if v is None:
                continue
            colour = SERIES_COLOURS.get(name, PALETTE[s % len(PALETTE)])
            top_y, base_y = sorted((y(v), y(0)))
            x = x0 + s * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{bar:.1f}" '
                f'height="{max(base_y - top_y, 0.5):.1f}" fill="{colour}">'
                f"<title>{_e(name)} {_e(label)}: {mio(v)} {UNIT}</title></rect>"
                f'<text class="value" x="{x + bar / 2:.1f}" y="{top_y - 3:.1f}" '
                f'text-anchor="middle" font-size="9">{mio(v)}</text>'
            )
        parts.append(
            f'<text x="{x0 + group * 0.4:.1f}" y="{height - bottom + 14}" '
            f'text-anchor="middle" font-size="10">{_e(label)}</text>'
        )
    for s, name in enumerate(series):
        colour = SERIES_COLOURS.get(name, PALETTE[s % len(PALETTE)])
        parts.append(
            f'<rect x="{left + s * 150}" y="{height - 14}" width="10" height="10" '
            f'fill="{colour}"/><text x="{left + s * 150 + 14}" '
            f'y="{height - 5}" font-size="11">{_e(name)}</text>'
        )
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}</svg></figure>"


def line_chart(
    labels: list[str],
    series: dict[str, list[float | None]],
    title: str,
    fmt=mio,
    every: int = 12,
    colours: dict[str, str] = SERIES_COLOURS,
) -> str:
    """Lines as inline SVG: axis ticks in mio. kr. (or ``fmt``), every twelfth label (or
    ``every``), the last value of each line written at its end."""
    width, height, left, bottom, top_pad, right = 560, 240, 56, 46, 14, 44
    series = {name: _floats(vs) for name, vs in series.items()}
    values = [v for vs in series.values() for v in vs if v is not None]
    grid = ticks(min([*values, 0.0]), max([*values, 1.0]))
    low, top = grid[0], grid[-1]
    step = (width - left - right) / max(len(labels) - 1, 1)
    gap = min(150, (width - left) // max(len(series), 1))  # the legend fits the width

    def y(v: float) -> float:
        v = min(max(v, low), top)  # beyond the axis (huge): drawn at its end
        return top_pad + (top - v) / (top - low) * (height - bottom - top_pad)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">'
    ]
    for t in grid:
        parts.append(
            f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - right}" y2="{y(t):.1f}" '
            f'stroke="{"#333" if t == 0 else "#ddd"}"/>'
            f'<text class="tick" x="{left - 5}" y="{y(t) + 4:.1f}" text-anchor="end" '
            f'font-size="10">{fmt(t)}</text>'
        )
    for i in range(0, len(labels), every):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
            f'font-size="10">{_e(labels[i])}</text>'
        )
    for s, (name, vs) in enumerate(series.items()):
        colour = colours.get(name, PALETTE[s % len(PALETTE)])
        vs = _floats(vs)
        points = [(left + i * step, y(v)) for i, v in enumerate(vs) if v is not None]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{_e(name)}</title></polyline>"
            f'<text class="value" x="{points[-1][0] + 3:.1f}" y="{points[-1][1] + 3:.1f}" '
            f'font-size="9" fill="{colour}">{fmt(vs[-1] if vs[-1] is not None else None)}</text>'
            f'<rect x="{left + s * gap}" y="{height - 14}" width="10" height="10" '
            f'fill="{colour}"/><text x="{left + s * gap + 14}" y="{height - 5}" '
            f'font-size="11">{_e(name)}</text>'
        )
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}</svg></figure>"


def _trend(content: Content) -> str:
    charts = []
    for area, one in content.months.groupby("omraade", sort=True):
        charts.append(
            line_chart(
                one["maaned"].to_list(),
                {name: _floats(one[column]) for name, column in TREND.items()},
                f"{area} ({UNIT} pr. måned)",
            )
        )
    return (
        '<section class="table" id="udvikling"><h2>Udvikling: månedligt nettoforbrug pr. '
        f'område mod budget og baseline</h2><p class="meta">løbende priser · beløb i {UNIT} · '
        f"opgjort til {_e(content.as_of_text)}. Budget: årets korrigerede budget fordelt "
        "ligeligt på månederne. Baseline: gennemsnitsmåneden i områdets første hele år.</p>"
        f"{''.join(charts)}</section>"
    )


def _area_chart(content: Content) -> str:
    frame = content.area_years
    return line_chart(
        [content.year_text(int(a)) for a in frame["aar"]],
        {c: _floats(frame[c]) for c in frame.columns if c != "aar"},
        f"Nettoforbrug pr. område ({content.table('Årsoversigt').level}, {UNIT})",
    )


def _floats(values) -> list[float | None]:
    """Numbers to draw: nothing, NaN and infinity are not drawn (None)."""
    out = []
    for v in values:
        try:
            number = float(v)
        except (TypeError, ValueError):
            number = math.nan
        out.append(number if math.isfinite(number) else None)
    return out


def _overview(content: Content) -> str:
    overview = content.overview
    totals = {i for i, s in enumerate(overview["spornavn"]) if s == "I alt"}
    charts = []
    for agreement, one in overview.drop(index=list(totals)).groupby("budgetaftale", sort=True):
        charts.append(
            bar_chart(
                [name.split(":")[0] for name in one["spornavn"]],
                {
                    "Budgetteret": _floats(one["budget_til_dato"]),
                    "Realiseret": _floats(one["realiseret_til_dato"]),
                },
                f"Budgetaftale {agreement}: besparelse til dato ({UNIT})",
            )
        )
    headlines = "".join(f'<p class="headline">{_e(h)}</p>' for h in content.headlines)
    return (
        f'<section id="overblik">{headlines}<p>{_e(content.follow_up)}</p>'
        f"<p>{_e(content.relation)}</p>"
        f"<h2>Overblik pr. spor og budgetaftale</h2>"
        f"{table_html('Overblik', overview, totals)}{''.join(charts)}</section>"
    )


def _track_chart(content: Content, spor: int) -> str:
    years = content.track_years[content.track_years["spor"] == spor]
    return bar_chart(
        [f"{r.budgetaftale} · {content.year_text(int(r.aar))}" for r in years.itertuples()],
        {
            "Budgetteret": _floats(years["budgetteret_besparelse"]),
            "Realiseret": _floats(years["realiseret_besparelse"]),
        },
        f"{content.track_names.get(spor, f'Spor {spor}')}: besparelse pr. aftale og år ({UNIT})",
    )


def _section(content: Content, table: Table) -> str:
    level = f"{table.level} · beløb i {UNIT} · " if table.level else ""
    parts = [
        f'<section class="table" id="{_e(table.name.lower())}"><h2>{_e(table.name)}: '
        f'{_e(table.title)}</h2><p class="meta">{level}opgjort til {_e(content.as_of_text)}</p>'
    ]
    frame = table.frame
    if "spor" in frame and table.name in ("Spor", "Indsatsstatus", "Indsatser", "Investeringer"):
        for spor, one in frame.groupby("spor", sort=True):
            name = content.track_names.get(int(spor), f"Spor {spor}")
            parts.append(f"<h3>{_e(name)}</h3>")
            if table.name == "Indsatser":  # a section per initiative
                for _, rows in one.groupby("indsats_id", sort=True):
                    first = rows.iloc[0]
                    parts.append(
                        f"<h4>{_e(first.indsats_id)} {_e(first.indsats)}</h4>"
                        f'<p class="meta">Område: {_e(first.omraade)} · Metode: '
                        f"{_e(first.metode)}</p>{table_html(table.name, rows)}"
                    )
            else:
                parts.append(table_html(table.name, one))
            if table.name == "Spor":
                parts.append(_track_chart(content, int(spor)))
    else:
        parts.append(table_html(table.name, frame))
    if table.name == "Årsoversigt" and not content.area_years.empty:
        parts.append(_area_chart(content))
    if table.name == comparison.NAME:
        parts.append(comparison.html_charts(frame, line_chart))
    if table.name == effect.NAME and not content.waterfalls.empty:
        parts.append(effect.html_charts(content.waterfalls))
    parts.append("</section>")
    if table.name == "Årsoversigt" and not content.months.empty:
        parts.append(_trend(content))
    return "".join(parts)


def _current_note(content: Content) -> str:
    return "" if content.level == "løbende priser" else " (budgetopfølgningen i løbende priser)"


def render(content: Content) -> str:
    return (
        '<!doctype html><html lang="da"><head><meta charset="utf-8">'
        f"<title>Forebyggelsesstrategien – {_e(content.title)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>Forebyggelsesstrategien – {_e(content.title)}</h1>"
        f'<p class="meta">Beløb i {UNIT}, {_e(content.level_text)}{_current_note(content)}. '
        f"Forbrug opgjort til {_e(content.as_of_text)}. Status: grøn ≥ 95 %, "
        "gul ≥ 75 %, ellers rød af det budgetterede i de opgjorte år; (forventet) = året "
        "er opgjort som forventet regnskab.</p>"
        f"{_overview(content)}{''.join(_section(content, t) for t in content.tables)}"
        "</body></html>"
    )


def write_html(content: Content, path: Path) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    write_text(tmp, render(content))  # a link planted at the name is never followed
    tmp.replace(path)
    return path
