"""The section "Effekt" of both reports: what the strategy did per område, beside what the
budget says.

Per område and year from the first agreement: the budget-based realised saving
(mart.besparelser, the agreement in force), the demography-adjusted one when
mart.besparelser has it, the change in net spending from the year before split into price,
demography, frequency and unit cost (mart.udgiftsudvikling; a waterfall chart per område
against the base year), and the saving against the counterfactual: the synthetic control
and the difference-in-differences (mart.kontrafaktisk) with the placebo test's p-value and
verdict. One sentence per område for the newest year a director can read aloud.
"""

from __future__ import annotations

import math
from html import escape

import duckdb
import pandas as pd

from assets.danish import mio

NAME = "Effekt"
TITLE = (
    "Strategiens effekt pr. område: budgetbaseret besparelse (faste priser), "
    "udgiftsudviklingen og besparelsen mod det kontrafaktiske forløb (løbende priser)"
)
COLUMNS = {
    "budgetbaseret_besparelse": ("Realiseret besparelse, budgetmetoderne", "kr"),
    "demografireguleret_besparelse": ("Heraf demografireguleret", "kr"),
    "aendring_fra_aaret_foer": ("Ændring i nettoforbrug fra året før", "kr"),
    "heraf_pris": ("Heraf pris", "kr"),
    "heraf_demografi": ("Heraf demografi", "kr"),
    "heraf_hyppighed": ("Heraf hyppighed (modtagere pr. indbygger)", "kr"),
    "heraf_enhedsomkostning": ("Heraf enhedsomkostning (kr. pr. modtager)", "kr"),
    "besparelse_syntetisk_kontrol": ("Besparelse mod syntetisk kontrol", "kr"),
    "besparelse_forskel_i_forskelle": ("Besparelse, forskel-i-forskelle", "kr"),
}  # p_vaerdi and vurdering: their headers are mart.kontrafaktisk's contract
WATERFALL_SQL = """
SELECT omraade, aar, fra_aar, nettoforbrug_fra, del_pris, del_demografi, del_hyppighed,
       del_enhedsomkostning, nettoforbrug
FROM mart.udgiftsudvikling
WHERE sammenlignet_med = 'basisåret' AND del_pris IS NOT NULL
QUALIFY aar = max(aar) OVER (PARTITION BY omraade)
ORDER BY omraade
"""
STEPS = {
    "Pris": "del_pris",
    "Demografi": "del_demografi",
    "Hyppighed": "del_hyppighed",
    "Enhedsomkostning": "del_enhedsomkostning",
}


# The demography-adjusted saving only where mart.besparelser has a column
# demografireguleret (empty otherwise, never 0): read through the row as JSON, so the query
# is the same whether or not the column exists.
SQL = """
WITH i_kraft AS (
    SELECT omraade, aar, max(budgetaftale) AS budgetaftale
    FROM mart.besparelser GROUP BY omraade, aar
),
budget AS (
    SELECT b.omraade, b.aar, sum(b.realiseret_besparelse) AS budgetbaseret_besparelse,
           sum(TRY_CAST(to_json(b) ->> 'demografireguleret' AS DECIMAL(18, 2)))
               AS demografireguleret_besparelse
    FROM mart.besparelser b JOIN i_kraft k USING (omraade, aar, budgetaftale)
    GROUP BY b.omraade, b.aar
),
udvikling AS (
    SELECT omraade, aar, aendring AS aendring_fra_aaret_foer, del_pris AS heraf_pris,
           del_demografi AS heraf_demografi, del_hyppighed AS heraf_hyppighed,
           del_enhedsomkostning AS heraf_enhedsomkostning
    FROM mart.udgiftsudvikling WHERE sammenlignet_med = 'året før'
),
kontra AS (
    SELECT omraade, aar, -forskel_kr AS besparelse_syntetisk_kontrol,
           -did_forskel_kr AS besparelse_forskel_i_forskelle, p_vaerdi, vurdering
    FROM mart.kontrafaktisk WHERE periode = 'efter'
),
foerste AS (
    SELECT min(TRY_CAST(left(budgetaftale, 4) AS INTEGER)) AS aar FROM mart.besparelser
)
SELECT omraade, aar, budgetbaseret_besparelse, demografireguleret_besparelse,
       aendring_fra_aaret_foer, heraf_pris, heraf_demografi, heraf_hyppighed,
       heraf_enhedsomkostning, besparelse_syntetisk_kontrol, besparelse_forskel_i_forskelle,
       p_vaerdi, vurdering
FROM udvikling
FULL JOIN budget USING (omraade, aar)
FULL JOIN kontra USING (omraade, aar)
WHERE aar >= (SELECT aar FROM foerste)
  AND coalesce(budgetbaseret_besparelse, aendring_fra_aaret_foer,
               besparelse_syntetisk_kontrol) IS NOT NULL
ORDER BY omraade, aar
"""


def newest(frame: pd.DataFrame) -> pd.DataFrame:
    """Each område's newest year with a counterfactual, else its newest year: the rows the
    report shows (the appendix shows every year)."""
    if frame.empty:
        return frame
    known = frame["besparelse_syntetisk_kontrol"].map(_known)
    rows = [
        (one[known[one.index]] if known[one.index].any() else one).index[-1]
        for _, one in frame.groupby("omraade", sort=True)
    ]
    return frame.loc[rows].reset_index(drop=True)


def _known(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _p(value: object) -> str:
    """A p-value with two decimals, Danish: 0.0102 → '0,01'."""
    return f"{float(value):.2f}".replace(".", ",") if _known(value) else "–"


def _saving(amount: float) -> str:
    return f"{mio(abs(amount))} mio. kr. {'mindre' if amount >= 0 else 'mere'}"


def sentence(area: str, rows: pd.DataFrame) -> str:
    """One sentence for one område: the counterfactual of its newest year with one, or
    what is missing, then the budget's figure for the same year."""
    known = rows[rows["besparelse_syntetisk_kontrol"].map(_known)]
    if known.empty:
        last = rows.iloc[-1]
        text = (
            f"Effekt {int(last.aar)}, {area}: ingen sammenligning med andre kommuner "
            "(Danmarks Statistiks tal for året mangler)"
        )
    else:
        last = known.iloc[-1]
        verdict = str(last.vurdering)
        text = f"Effekt {int(last.aar)}, {area}: "
        if verdict.startswith("kan ikke bruges"):
            text += (
                "den syntetiske kontrol kan ikke bruges (den rammer kommunen for dårligt "
                "før aftalen)"
            )
        else:
            text += (
                f"kommunen brugte {_saving(float(last.besparelse_syntetisk_kontrol))} end "
                f"lignende kommuner vægtet sammen (p = {_p(last.p_vaerdi)}"
                + ("" if verdict.startswith("kan bruges:") else "; kan skyldes tilfældigheder")
                + ")"
            )
        if _known(last.besparelse_forskel_i_forskelle):
            text += (
                f", forskel-i-forskelle siger {_saving(float(last.besparelse_forskel_i_forskelle))}"
            )
    if _known(last.budgetbaseret_besparelse):
        text += (
            f"; budgettet viser en realiseret besparelse på "
            f"{mio(float(last.budgetbaseret_besparelse))} mio. kr."
        )
    return text.rstrip(".") + "."


def headlines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The sentences, when there is a counterfactual at all (Danmarks Statistik's files
    delivered); without one, the agreements' headlines say what the budget says."""
    if not con.execute("SELECT count(*) FROM mart.kontrafaktisk").fetchone()[0]:
        return []
    frame = con.execute(SQL).df()
    return [sentence(area, one) for area, one in frame.groupby("omraade", sort=True)]


def waterfall(row) -> str:
    """The change from the base year to the newest year as an inline SVG waterfall: the
    base year's net spending, the four parts (green down, red up) and the newest year."""
    steps = _steps(row)
    width, height, left, bottom, pad = 560, 240, 60, 30, 16
    high = max(max(a, b) for _, a, b in steps)
    low = min(min(a, b) for _, a, b in steps[1:-1])
    low = max(0.0, low - (high - low) * 0.5)  # the bars start near the moves, not at 0

    def y(v: float) -> float:
        return pad + (high - v) / ((high - low) or 1) * (height - bottom - pad)

    slot = (width - left - 10) / len(steps)
    title = f"{row.omraade}: nettoforbrug {int(row.fra_aar)} → {int(row.aar)} (mio. kr.)" + (
        f"; søjlerne starter ved {mio(low)} mio. kr., ikke 0" if low > 0 else ""
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
    ]
    for i, (label, start, end) in enumerate(steps):
        first_or_last = i in (0, len(steps) - 1)
        colour = "#555555" if first_or_last else ("#1b7837" if end < start else "#b2182b")
        base = low if first_or_last else start
        top_y, base_y = sorted((y(end), y(base)))
        x = left + i * slot + slot * 0.15
        shown = mio(end if first_or_last else end - start)
        parts.append(
            f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{max(base_y - top_y, 0.5):.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {shown} mio. kr.</title></rect>"
            f'<text class="value" x="{x + slot * 0.35:.1f}" y="{top_y - 3:.1f}" '
            f'text-anchor="middle" font-size="9">{shown}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 14}" '
            f'text-anchor="middle" font-size="10">{escape(label)}</text>'
        )
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(parts)}</svg></figure>"


def _drawable(row) -> bool:
    values = [row.nettoforbrug_fra, row.nettoforbrug, *(getattr(row, c) for c in STEPS.values())]
    return all(_known(v) and math.isfinite(float(v)) for v in values)


def html_charts(frame: pd.DataFrame) -> str:
    """A waterfall per område (``frame``: WATERFALL_SQL's rows; one that cannot be drawn,
    with a missing or infinite figure, is left out)."""
    return "".join(waterfall(row) for row in frame.itertuples(index=False) if _drawable(row))


def _steps(row) -> list[tuple[str, float, float]]:
    """(label, start, end) of each bar: the base year, the four parts, the newest year."""
    steps = [(f"{int(row.fra_aar)}", 0.0, float(row.nettoforbrug_fra))]
    level = float(row.nettoforbrug_fra)
    for label, column in STEPS.items():
        delta = float(getattr(row, column))
        steps.append((label, level, level + delta))
        level += delta
    return [*steps, (f"{int(row.aar)}", 0.0, float(row.nettoforbrug))]


def workbook_charts(sheet, data, frame: pd.DataFrame, row: int) -> int:
    """A waterfall per område below the table, as Excel draws one without its own chart
    type: stacked bars on an invisible base, the rise red and the fall green; returns the
    last row the charts cover."""
    from openpyxl.chart import BarChart, Reference

    drawable = [r for r in frame.itertuples(index=False) if _drawable(r)]
    for n, one in enumerate(drawable):
        steps = _steps(one)
        ends = (0, len(steps) - 1)  # the two years: whole bars; the parts float
        block = pd.DataFrame(
            {
                "Trin": [label for label, _, _ in steps],
                "Grundlag": [0.0 if i in ends else min(a, b) for i, (_, a, b) in enumerate(steps)],
                "Niveau": [b if i in ends else 0.0 for i, (_, a, b) in enumerate(steps)],
                "Stigning": [
                    b - a if i not in ends and b >= a else 0.0 for i, (_, a, b) in enumerate(steps)
                ],
                "Fald": [
                    a - b if i not in ends and b < a else 0.0 for i, (_, a, b) in enumerate(steps)
                ],
            }
        )
        col, head, last = data.block(f"Effekt: {one.omraade}", block)
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
        chart.title = f"{one.omraade}: nettoforbrug {int(one.fra_aar)} → {int(one.aar)}"
        chart.add_data(
            Reference(data.sheet, min_col=col + 1, max_col=col + 4, min_row=head, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(data.sheet, min_col=col, min_row=head + 1, max_row=last))
        chart.series[0].graphicalProperties.noFill = True  # the invisible base
        chart.series[0].graphicalProperties.line.noFill = True
        for series, colour in zip(chart.series[1:], ("555555", "B2182B", "1B7837"), strict=True):
            series.graphicalProperties.solidFill = colour
        chart.y_axis.numFmt = "#,##0.0,,"
        chart.y_axis.title = "mio. kr."
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.legend = None
        chart.width, chart.height = 15, 7.5
        sheet.add_chart(chart, f"{'AH'[n % 2]}{row + 16 * (n // 2)}")
    return row + 16 * ((len(drawable) + 1) // 2)
