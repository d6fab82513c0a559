"""rapporter/styregruppe.html: one self-contained page (no network) for a committee agenda.

The same content as the workbook, in the same unit (mio. kr.): headlines, the overview with
totals and reasons, then every table, the tracks and initiatives grouped per track. Charts
are inline SVG with axis ticks and value labels; the print layout is A4 landscape, with
the status colours kept and each table's header repeated on every page.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from assets.danish import mio, neutral_lines
from assets.reports import comparison, effect, formats
from assets.reports.content import APPENDIX_NOTE, SERIES_COLOURS, TREND, UNIT, Content, Table
from assets.reports.content import column as content_column
from runtime.resources import write_text

STYLE = """
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, sans-serif; margin: 1em 1.5em; color: #222;
       font-size: 13px; max-width: 100%; overflow-wrap: break-word; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; }
h2 { margin: 1.2em 0 0.3em; border-bottom: 2px solid #446; font-size: 1.25em; }
h3 { margin: 1em 0 0.3em; font-size: 1.1em; } h4 { margin: 0.8em 0 0.2em; }
h2, h3, h4, p.meta, figcaption { break-after: avoid; }
p { margin: 0.3em 0; }
p.headline { font-size: 1.1em; font-weight: bold; }
p.aendring { font-weight: bold; color: #335; }
span.grøn, span.gul, span.rød { padding: 0 0.4em; border-radius: 3px; }
nav.indhold ol { margin: 0.3em 0; padding: 0; list-style: none; display: flex;
                 flex-wrap: wrap; gap: 0.2em 1.2em; }
nav.indhold a { color: #235; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.3em 0 0.8em; font-size: 0.9em; }
th, td { padding: 2px 6px; border-bottom: 1px solid #ccc; text-align: left; vertical-align: top; }
th { background: #eef; max-width: 9em; }
td { max-width: 24em; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; } td.bred { min-width: 17em; } td.mellem { min-width: 11em; }
td.hash { word-break: break-all; min-width: 8em; }
tr.total td { font-weight: bold; border-top: 2px solid #446; }
.grøn { background: #c6efce; } .gul { background: #ffeb9c; } .rød { background: #ffc7ce; }
.meta { color: #555; }
.blok { break-inside: avoid; }
figure { margin: 0.3em 0.5em 0.3em 0; display: inline-block; vertical-align: top;
         break-inside: avoid; max-width: 100%; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; font-size: 0.9em; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 8pt; }
  section.table { break-before: page; }
  nav.indhold a { text-decoration: none; }
  thead { display: table-header-group; }
  tr, figure, p.headline { break-inside: avoid; }
  .scroll { overflow: visible; }
  figure { width: 32%; } figure svg { width: 100%; height: auto; }
  table { font-size: 7pt; margin: 0.2em 0 0.5em; width: 100%; }
  td { max-width: none; }
  th, td { padding: 0 3px; line-height: 1.15; } th { max-width: 7em; }
  td.bred { min-width: 14em; } td.mellem { min-width: 9em; }
  table.mange { font-size: 6.5pt; } table.mange th { max-width: 5.5em; }
  h2 { margin-top: 0; } h3 { margin: 0.5em 0 0.2em; }
}
"""
AXIS_LIMIT = 1e15  # a figure beyond (a broken mart) is drawn at the axis' end, labelled true
PALETTE = ["#8da0cb", "#1b7837", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]


def _e(text: object) -> str:
    return html.escape("–" if text is None or text != text else neutral_lines(str(text)))


def display(value: object, kind: str) -> str:
    """A mart value as the page shows it (Danish, the column's unit), HTML-escaped."""
    shown = formats.text(value, kind)
    return _e(value) if shown is None else shown


def _head(column: str) -> tuple[str, str]:
    header, kind = content_column(column)
    return formats.header(header, kind), kind


MANY = 15  # a table of more columns prints in a smaller font, to fit the page's width
# text columns that get room on the screen (their class: its min-width in STYLE)
WIDE = {
    "forklaring": "bred",
    "kommentar": "bred",
    "advarsel": "bred",
    "begrundelse": "bred",
    "spornavn": "mellem",
    "indsats": "mellem",
}


def table_html(name: str, frame: pd.DataFrame, total_rows: set[int] = frozenset()) -> str:
    kinds = [_head(c) for c in frame.columns]

    def cls(kind: str) -> str:
        return ' class="n"' if formats.unit(kind).numeric else ""

    many = ' class="mange"' if len(frame.columns) > MANY else ""  # smaller when printed
    out = [f'<table data-tabel="{_e(name)}"{many}><thead><tr>']
    out += [f"<th{cls(k)}>{_e(h)}</th>" for h, k in kinds]
    out.append("</tr></thead><tbody>")
    for n, row in enumerate(frame.itertuples(index=False)):
        out.append('<tr class="total">' if n in total_rows else "<tr>")
        for column, value, (_, kind) in zip(frame.columns, row, kinds, strict=True):
            text = display(value, kind)
            if column == "status" and text in ("grøn", "gul", "rød"):
                text = f'<span class="{text}">{text}</span>'
                out.append(f'<td class="{_e(value)}">{text}</td>')
            elif column in WIDE:  # long text: wide enough to take a few lines, not ten
                out.append(f'<td class="{WIDE[column]}">{text}</td>')
            elif column == "sha256":  # a 64-character name: broken anywhere, never wide
                out.append(f'<td class="hash">{text}</td>')
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


CHAR = 5.6  # the width of a character of a 10 px label, a little more than the average


def x_labels(labels: list[str], xs: list[float], room: float, y: float) -> str:
    """The x-axis labels at ``xs``, ``room`` px apart, never over each other: written
    straight when they fit, else turned 45 degrees, and thinned to every n-th where even
    turned they would touch (the first and then every n-th)."""
    longest = max((len(label) for label in labels), default=0) * CHAR
    turned = longest > room * 0.95
    every = max(1, math.ceil(12 / room)) if turned else 1  # 12 px: a turned label's height
    out = []
    for i in range(0, len(labels), every):
        if turned:
            out.append(
                f'<text x="{xs[i]:.1f}" y="{y:.1f}" text-anchor="end" font-size="10" '
                f'transform="rotate(-45 {xs[i]:.1f} {y:.1f})">{_e(labels[i])}</text>'
            )
        else:
            out.append(
                f'<text x="{xs[i]:.1f}" y="{y:.1f}" text-anchor="middle" '
                f'font-size="10">{_e(labels[i])}</text>'
            )
    return "".join(out)


def label_room(labels: list[str], room: float) -> int:
    """The px below the axis the labels need: one line, or turned, their length."""
    longest = max((len(label) for label in labels), default=0) * CHAR
    return 20 if longest <= room * 0.95 else int(longest * 0.71) + 14


def bar_chart(labels: list[str], series: dict[str, list[float | None]], title: str) -> str:
    """A grouped bar chart as inline SVG: values in kr., axis and labels in mio. kr."""
    width, left, top_pad = 560, 56, 18
    room = (width - left - 10) / max(len(labels), 1)
    bottom = label_room(labels, room) + 26  # the labels, then the legend
    height = 180 + bottom
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
    for g, _label in enumerate(labels):
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
                f"<title>{_e(name)} {_e(labels[g])}: {mio(v)} {UNIT}</title></rect>"
                f'<text class="value" x="{x + bar / 2:.1f}" y="{top_y - 3:.1f}" '
                f'text-anchor="middle" font-size="9">{mio(v)}</text>'
            )
    centres = [left + g * group + group * 0.5 for g in range(len(labels))]
    parts.append(x_labels(labels, centres, group, height - bottom + 14))
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
    every: int = 1,
    colours: dict[str, str] = SERIES_COLOURS,
) -> str:
    """Lines as inline SVG: axis ticks in mio. kr. (or ``fmt``), every label (or every
    ``every``-th: the months' January), never over each other (x_labels), the last value
    of each line written at its end."""
    width, left, top_pad, right = 560, 56, 14, 44
    step = (width - left - right) / max(len(labels) - 1, 1)
    shown = labels[::every]
    bottom = label_room(shown, step * every) + 26
    height = 194 + bottom
    series = {name: _floats(vs) for name, vs in series.items()}
    values = [v for vs in series.values() for v in vs if v is not None]
    grid = ticks(min([*values, 0.0]), max([*values, 1.0]))
    low, top = grid[0], grid[-1]
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
    xs = [left + i * step for i in range(0, len(labels), every)]
    parts.append(x_labels(shown, xs, step * every, height - bottom + 14))
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
                f"{area}: nettoforbrug pr. måned ({UNIT}), opgjort til {content.as_of_text}",
                every=12,
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
        f"Nettoforbrug pr. område og år ({content.table('Årsoversigt').level}, {UNIT}), "
        f"{formats.span(frame['aar'])}",
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


def _answer(text: str) -> str:
    """A headline with its status word in the status' colour."""
    head, sep, status = text.rpartition("; status ")
    word = status.rstrip(".")
    if not sep or word not in ("grøn", "gul", "rød"):
        return f'<p class="headline">{_e(text)}</p>'
    return f'<p class="headline">{_e(head)}; status <span class="{word}">{word}</span>.</p>'


def _overview(content: Content) -> str:
    """Page 1: the answer per agreement, what changed since the last follow-up, the
    overview with its I alt rows, and its charts."""
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
                f"Budgetaftale {agreement}: besparelse til dato ({UNIT}), opgjort til "
                f"{content.as_of_text}",
            )
        )
    headlines = "".join(_answer(h) for h in content.headlines)
    # what moved since the last closed follow-up, or which follow-up the figures are
    changes = "".join(f'<p class="aendring">{_e(c)}</p>' for c in content.changes)
    changes = changes or f'<p class="aendring">{_e(content.follow_up)}</p>'
    return (
        f'<section id="overblik">{headlines}{changes}'
        f'<div class="blok"><h2>Overblik pr. spor og budgetaftale</h2>'
        f'<div class="scroll">{table_html("Overblik", overview, totals)}</div></div>'
        f'<p class="meta">{_e(content.follow_up) if content.changes else ""}</p>'
        f'<p class="meta">{_e(content.relation)}</p>'
        f"{''.join(charts)}</section>"
    )


def anchor(name: str) -> str:
    """A section's id: its name in lower case, letters kept ('budgetopfølgning')."""
    return "".join(c if c.isalnum() else "-" for c in name.lower())


def _contents(tables: list[Table], extra: list[tuple[str, str]]) -> str:
    """The table of contents: a link per section, in the order they follow."""
    links = [(anchor(t.name), t.name) for t in tables]
    for after, name in extra:  # a section without a table (Udvikling) after its table
        at = next((i for i, (a, _) in enumerate(links) if a == after), len(links) - 1) + 1
        links.insert(at, (anchor(name), name))
    items = "".join(f'<li><a href="#{_e(a)}">{_e(n)}</a></li>' for a, n in links)
    return f'<nav class="indhold" aria-label="Indhold"><ol>{items}</ol></nav>'


def _track_chart(content: Content, spor: int) -> str:
    years = content.track_years[content.track_years["spor"] == spor]
    labels = [  # short, so that they turn less: '23-26 · 2026*'
        f"{str(r.budgetaftale)[2:5]}{str(r.budgetaftale)[7:]} · {int(r.aar)}"
        + ("*" if int(r.aar) in content.forecast_years else "")
        for r in years.itertuples()
    ]
    return bar_chart(
        labels,
        {
            "Budgetteret": _floats(years["budgetteret_besparelse"]),
            "Realiseret": _floats(years["realiseret_besparelse"]),
        },
        f"Spor {spor}: besparelse pr. aftale og år ({UNIT}), opgjort til "
        f"{content.as_of_text} (aftale 2023-2026 = 23-26; * = forventet regnskab)",
    )


def _section(content: Content, table: Table) -> str:
    level = f"{table.level} · beløb i {UNIT} · " if table.level else ""
    parts = [
        f'<section class="table" id="{_e(anchor(table.name))}"><h2>{_e(table.name)}: '
        f'{_e(table.title)}</h2><p class="meta">{level}opgjort til {_e(content.as_of_text)}</p>'
    ]
    if table.note:
        parts.append(f'<p class="meta">{_e(table.note)}</p>')
    if table.name == comparison.NAME:
        parts += [f'<p class="sammenligning">{_e(c)}</p>' for c in content.comparisons]
    if table.name == effect.NAME and not table.appendix:
        parts += [f'<p class="sammenligning">{_e(c)}</p>' for c in content.effects]
    frame = table.frame
    if "spor" in frame and table.name in ("Spor", "Indsatsstatus", "Indsatser", "Investeringer"):
        for spor, one in frame.groupby("spor", sort=True):  # a table per track
            name = content.track_names.get(int(spor), f"Spor {spor}")
            parts.append(f"<h3>{_e(name)}</h3>{_scroll(table.name, one)}")
        if table.name == "Spor":  # the tracks' charts side by side, on the tables' page
            tracks = sorted(frame["spor"].dropna().unique())
            charts = "".join(_track_chart(content, int(s)) for s in tracks)
            parts.append(f'<div class="blok">{charts}</div>')
    else:
        parts.append(_scroll(table.name, frame))
    if table.name == "Årsoversigt" and not content.area_years.empty:
        parts.append(_area_chart(content))
    if table.name == comparison.NAME:
        parts.append(comparison.html_charts(frame, line_chart))
    if table.name == effect.NAME and not table.appendix and not content.waterfalls.empty:
        parts.append(f'<div class="blok">{effect.html_charts(content.waterfalls)}</div>')
    parts.append("</section>")
    if table.name == "Årsoversigt" and not content.months.empty:
        parts.append(_trend(content))
    return "".join(parts)


def _scroll(name: str, frame: pd.DataFrame) -> str:
    """A table that scrolls within its own box on a narrow screen, never the page; its I alt
    rows (the budget follow-up's per year) in bold."""
    return f'<div class="scroll">{table_html(name, frame, totals(frame))}</div>'


def totals(frame: pd.DataFrame) -> set[int]:
    """The positions of a table's I alt rows (an område of 'I alt')."""
    if "omraade" not in frame:
        return set()
    return {i for i, a in enumerate(frame["omraade"]) if a == "I alt"}


def _current_note(content: Content) -> str:
    return "" if content.level == "løbende priser" else " (budgetopfølgningen i løbende priser)"


def render(content: Content, appendix: bool = False) -> str:
    """The report (page 1 the answer, then a section per table), or with ``appendix`` its
    appendix: the tables a reader looks figures up in."""
    tables = content.part(appendix)
    title = f"{content.title}, bilag" if appendix else content.title
    extra = [] if appendix or content.months.empty else [("årsoversigt", "Udvikling")]
    first = f'<p class="meta">{_e(APPENDIX_NOTE)}</p>' if appendix else _overview(content)
    return (
        '<!doctype html><html lang="da"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Forebyggelsesstrategien – {_e(title)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>Forebyggelsesstrategien – {_e(title)}</h1>"
        f'<p class="meta">Beløb i {UNIT}, {_e(content.level_text)}{_current_note(content)}. '
        f"Forbrug opgjort til {_e(content.as_of_text)}. Status: grøn ≥ 95 %, "
        "gul ≥ 75 %, ellers rød af det budgetterede i de opgjorte år; (forventet) = året "
        "er opgjort som forventet regnskab.</p>"
        f"{_contents(tables, extra)}{first}"
        f"{''.join(_section(content, t) for t in tables)}"
        "</body></html>"
    )


def write_html(content: Content, path: Path, appendix: bool = False) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    write_text(tmp, render(content, appendix))  # a link planted at the name is never followed
    tmp.replace(path)
    return path
