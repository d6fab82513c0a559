"""The section "Sammenligning med andre kommuner" of both reports.

The municipality's own rows of mart.benchmark: spending per inhabitant against the
comparison group's median and quartiles per område (a line chart per område), its rank
among all municipalities and in the group, and the gap to the median and lower quartile in
mio. kr. The page and the workbook draw the same series from the same frame.
"""

from __future__ import annotations

import duckdb
import pandas as pd
from openpyxl.chart import LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from assets.danish import mio, number
from assets.reports.formats import span

NAME = "Sammenligning"
TITLE = "Sammenligning med andre kommuner: forbrug pr. indbygger, rang og afstand til gruppen"
SQL = """
SELECT omraade, aar, kommune, aldersgruppe, kr_pr_indbygger,
       gruppens_nedre_kvartil, gruppens_median, gruppens_oevre_kvartil,
       CASE WHEN rang IS NOT NULL THEN rang || ' af ' || antal_kommuner END AS rang_alle,
       CASE WHEN rang_i_gruppen IS NOT NULL
            THEN rang_i_gruppen || ' af ' || antal_i_gruppen END AS rang_gruppe,
       over_median_kr, over_nedre_kvartil_kr, over_behovskorrigeret_median_kr, prisniveau
FROM mart.benchmark
WHERE egen_kommune
  -- the newest five years (the accounts from 2015 are the synthetic control's, Effekt)
  AND aar > (SELECT max(aar) FROM mart.benchmark WHERE egen_kommune) - 5
ORDER BY omraade, aar
"""
# the comparison's own columns; mart.benchmark's come from its contract
COLUMNS = {
    "rang_alle": ("Rang blandt alle kommuner (1 = lavest)", "tekst"),
    "rang_gruppe": ("Rang i gruppen (1 = lavest)", "tekst"),
}
SERIES = {
    "Kommunen": "kr_pr_indbygger",
    "Gruppens median": "gruppens_median",
    "Nedre kvartil": "gruppens_nedre_kvartil",
    "Øvre kvartil": "gruppens_oevre_kvartil",
}
COLOURS = {
    "Kommunen": "#1b7837",
    "Gruppens median": "#333333",
    "Nedre kvartil": "#8da0cb",
    "Øvre kvartil": "#d95f02",
}
AXIS = "kr. pr. indbygger"


def kroner(value: object) -> str:
    """Whole kroner, Danish: 1200.0 → '1.200'; nothing → '–'."""
    if value is None or pd.isna(value):
        return "–"
    return ("-" if float(value) < 0 else "") + number(round(abs(float(value))))


def headlines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One sentence per område for the newest year: rank and the gap to the median."""
    frame = con.execute(SQL).df()
    out = []
    for area, one in frame.groupby("omraade", sort=True):
        last = one.sort_values("aar").iloc[-1]
        text = (
            f"Sammenligning {int(last.aar)}, {area}: {last.kommune} brugte "
            f"{kroner(last.kr_pr_indbygger)} kr. pr. indbygger ({last.aldersgruppe} år)"
        )
        if last.rang_alle:
            text += f", nr. {last.rang_alle} kommuner (1 = lavest)"
        out.append(text + _gap(last) + ".")
    return out


def _known(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _gap(last) -> str:
    """The gap to the group's median: need-adjusted when the need index is delivered,
    otherwise the plain one, said to be unadjusted."""
    if _known(last.over_behovskorrigeret_median_kr):
        gap = last.over_behovskorrigeret_median_kr
        more = "mindre" if gap >= 0 else "mere"
        return (
            "; med gruppens median, korrigeret for udgiftsbehov, ville kommunen bruge "
            f"{mio(abs(gap))} mio. kr. {more}"
        )
    if _known(last.over_median_kr):
        gap = last.over_median_kr
        more = "mindre" if gap >= 0 else "mere"
        return (
            f"; med gruppens median ville kommunen bruge {mio(abs(gap))} mio. kr. {more} "
            "(ikke korrigeret for udgiftsbehov)"
        )
    return ""


def per_area(frame: pd.DataFrame):
    """(område, years, {series: values}) for each område's chart."""
    for area, one in frame.groupby("omraade", sort=True):
        years = [str(int(y)) for y in one["aar"]]
        yield area, years, {name: one[column].to_list() for name, column in SERIES.items()}


def html_charts(frame: pd.DataFrame, line_chart) -> str:
    return "".join(
        line_chart(years, series, f"{area} ({AXIS}), {span(years)}", fmt=kroner, colours=COLOURS)
        for area, years, series in per_area(frame)
    )


def workbook_charts(sheet: Worksheet, data, frame: pd.DataFrame, row: int) -> int:
    """A line chart per område below the table; returns the last row they cover."""
    for n, (area, years, series) in enumerate(per_area(frame)):
        block = pd.DataFrame({"År": years, **series})
        col, head, last = data.block(f"Sammenligning: {area}", block)
        chart = LineChart()
        chart.title = f"{area} ({AXIS}), {span(years)}"
        chart.add_data(
            Reference(data.sheet, min_col=col + 1, max_col=col + 4, min_row=head, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(data.sheet, min_col=col, min_row=head + 1, max_row=last))
        chart.y_axis.title = AXIS
        chart.y_axis.numFmt = "#,##0"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
        for s, name in zip(chart.series, SERIES, strict=True):
            s.smooth = False
            s.graphicalProperties.line.solidFill = COLOURS[name].lstrip("#")
        chart.width, chart.height = 15, 7.5
        sheet.add_chart(chart, f"{'AH'[n % 2]}{row + 16 * (n // 2)}")
    areas = frame["omraade"].nunique()
    return row + 16 * ((areas + 1) // 2)
