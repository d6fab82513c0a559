"""rapporter/styregruppe.html: one self-contained page (no network) for a committee agenda.

Three levels: the steering group's overview per track and agreement, each track per year,
and each initiative per agreement and year. Charts are inline SVG; amounts are Danish
(1.234,5 mio. kr.); the print layout is A4.
"""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

import pandas as pd

from assets.reports.content import Content

STYLE = """
body { font-family: "Segoe UI", Arial, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 2px solid #446; }
h3 { margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ccc; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.grøn { background: #c6efce; } .gul { background: #ffeb9c; } .rød { background: #ffc7ce; }
.meta { color: #555; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; } h2 { break-before: page; } table { font-size: 9pt; } }
"""


def mio(amount: object) -> str:
    """Kroner → '12,3' (mio. kr., Danish)."""
    if amount is None or (not isinstance(amount, str) and pd.isna(amount)):
        return "–"
    text = f"{Decimal(str(amount)) / 1_000_000:,.1f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def pct(share: object) -> str:
    if share is None or pd.isna(share):
        return "–"
    return f"{float(share) * 100:.0f} %"


def _e(text: object) -> str:
    return html.escape(
        "–" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    )


def _table(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    def cell(tag: str, i: int, value: str) -> str:
        cls = ' class="n"' if i in numeric else ""
        return f"<{tag}{cls}>{value}</{tag}>"

    out = ["<table><thead><tr>", *(cell("th", i, h) for i, h in enumerate(head)), "</tr></thead>"]
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>")
    return "".join(out) + "</table>"


def _status(text: str) -> str:
    return f'<span class="{_e(text)}">{_e(text)}</span>'


def bar_chart(labels: list[str], series: dict[str, list[float | None]], title: str) -> str:
    """A grouped bar chart as inline SVG (values in kr., axis in mio. kr.)."""
    colors = ["#8da0cb", "#1b7837", "#d95f02"]
    width, height, left, bottom = 720, 260, 60, 40
    values = [v for vs in series.values() for v in vs if v is not None]
    top = max([*values, 1.0])
    low = min([*values, 0.0])
    span = top - low
    group = (width - left - 10) / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)

    def y(v: float) -> float:
        return 10 + (top - v) / span * (height - bottom - 10)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{_e(title)}">',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width}" y2="{y(0):.1f}" stroke="#333"/>',
    ]
    for tick in (low, top):
        parts.append(
            f'<text x="{left - 5}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="10">{mio(tick)}</text>'
        )
    for g, label in enumerate(labels):
        x0 = left + g * group + group * 0.1
        for s, (name, vs) in enumerate(series.items()):
            v = vs[g]
            if v is None:
                continue
            top_y, base_y = sorted((y(v), y(0)))
            parts.append(
                f'<rect x="{x0 + s * bar:.1f}" y="{top_y:.1f}" width="{bar:.1f}" '
                f'height="{max(base_y - top_y, 0.5):.1f}" fill="{colors[s % 3]}">'
                f"<title>{_e(name)} {_e(label)}: {mio(v)} mio. kr.</title></rect>"
            )
        parts.append(
            f'<text x="{x0 + group * 0.4:.1f}" y="{height - bottom + 14}" '
            f'text-anchor="middle" font-size="10">{_e(label)}</text>'
        )
    for s, name in enumerate(series):
        parts.append(
            f'<rect x="{left + s * 150}" y="{height - 14}" width="10" height="10" '
            f'fill="{colors[s % 3]}"/><text x="{left + s * 150 + 14}" '
            f'y="{height - 5}" font-size="11">{_e(name)}</text>'
        )
    return f"<figure><figcaption>{_e(title)}</figcaption>{''.join(parts)}</svg></figure>"


def _floats(values) -> list[float | None]:
    return [None if v is None or pd.isna(v) else float(v) for v in values]


def _overview(content: Content) -> str:
    rows = [
        [
            _e(r.spor),
            _e(r.budgetaftale),
            mio(r.budget_i_alt),
            mio(r.budget_til_dato),
            mio(r.realiseret_til_dato),
            pct(r.maalopfyldelse),
            _status(r.status),
            mio(r.investering),
            mio(r.forbrugt_investering),
            mio(r.nettoeffekt),
            _e(r.opgjorte_aar),
        ]
        for r in content.overview.itertuples()
    ]
    head = [
        "Spor",
        "Budgetaftale",
        "Budgetteret i alt",
        "Budgetteret til dato",
        "Realiseret til dato",
        "Målopfyldelse",
        "Status",
        "Investering",
        "Forbrugt investering",
        "Nettoeffekt",
        "Opgjorte år",
    ]
    table = _table(head, rows, numeric={2, 3, 4, 5, 7, 8, 9})
    labels = [f"Spor {r.spor} {r.budgetaftale}" for r in content.overview.itertuples()]
    chart = bar_chart(
        labels,
        {
            "Budgetteret til dato": _floats(content.overview["budget_til_dato"]),
            "Realiseret til dato": _floats(content.overview["realiseret_til_dato"]),
        },
        "Budgetteret og realiseret besparelse til dato pr. spor og budgetaftale (mio. kr.)",
    )
    return f'<section id="styregruppe"><h2>Styregruppen: overblik</h2>{table}{chart}</section>'


def _track(content: Content, spor: int) -> str:
    years = content.sheets["Spor"][1]
    years = years[years["spor"] == spor]
    rows = [
        [
            _e(r.budgetaftale),
            _e(r.aar),
            mio(r.budgetteret_besparelse),
            mio(r.realiseret_besparelse),
            mio(r.budgetteret_investering),
            mio(r.forbrugt_investering),
            mio(r.nettoeffekt_realiseret),
            f"{r.indsatser_opgjort} af {r.indsatser}",
        ]
        for r in years.itertuples()
    ]
    head = [
        "Budgetaftale",
        "År",
        "Budgetteret besparelse",
        "Realiseret besparelse",
        "Budgetteret investering",
        "Forbrugt investering",
        "Nettoeffekt",
        "Indsatser opgjort",
    ]
    newest = years[years["budgetaftale"] == years["budgetaftale"].max()]
    chart = bar_chart(
        [str(a) for a in newest["aar"]],
        {
            "Budgetteret": _floats(newest["budgetteret_besparelse"]),
            "Realiseret": _floats(newest["realiseret_besparelse"]),
        },
        f"Spor {spor}: besparelser pr. år, aftale {years['budgetaftale'].max()} (mio. kr.)",
    )
    initiatives = content.initiatives[content.initiatives["spor"] == spor]
    parts = [
        f'<section id="spor-{spor}"><h2>Spor {spor}</h2>',
        _table(head, rows, numeric={2, 3, 4, 5, 6}),
        chart,
    ]
    for indsats_id, one in initiatives.groupby("indsats_id", sort=True):
        first = one.iloc[0]
        parts.append(
            f'<h3 id="indsats-{_e(indsats_id)}">{_e(indsats_id)} {_e(first.indsats)}</h3>'
            f'<p class="meta">Område: {_e(first.omraade)} · Metode: {_e(first.metode)}</p>'
        )
        rows = [
            [
                _e(r.budgetaftale),
                _e(r.aar),
                mio(r.budgetteret_besparelse),
                mio(r.realiseret_besparelse),
                mio(r.afvigelse),
                pct(r.maalopfyldelse),
                _status(r.status),
                _e(r.opgjort_som),
                mio(r.budgetteret_investering),
                mio(r.forbrugt_investering),
            ]
            for r in one.itertuples()
        ]
        parts.append(
            _table(
                [
                    "Budgetaftale",
                    "År",
                    "Budgetteret",
                    "Realiseret",
                    "Afvigelse",
                    "Målopfyldelse",
                    "Status",
                    "Opgjort som",
                    "Investering",
                    "Forbrugt investering",
                ],
                rows,
                numeric={2, 3, 4, 5, 8, 9},
            )
        )
    parts.append("</section>")
    return "".join(parts)


def render(content: Content) -> str:
    tracks = "".join(_track(content, s) for s in sorted(content.overview["spor"].unique()))
    return (
        '<!doctype html><html lang="da"><head><meta charset="utf-8">'
        "<title>Forebyggelsesstrategien – styregruppen</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Forebyggelsesstrategien – status for styregruppen</h1>"
        f'<p class="meta">Beløb i mio. kr., {_e(content.level_text)}. Forbrug opgjort til '
        f"{_e(content.as_of_text)}. Status: grøn ≥ 95 %, gul ≥ 75 %, ellers rød af det "
        "budgetterede i de opgjorte år.</p>"
        f"{_overview(content)}{tracks}</body></html>"
    )


def write_html(content: Content, path: Path) -> Path:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(content), encoding="utf-8")
    tmp.replace(path)
    return path
