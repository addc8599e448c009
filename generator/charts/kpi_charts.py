"""Charts, alt text, data tables and CSV for a KPI: every chart ships with its words and its data."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .. import metrics
from ..models.kpi import Kpi, Unit, Value
from .kinds import BarChart, LineChart, Series, bar_chart, line_chart
from .render import ChartCache, figure_to_svg
from .style import STYLES

UNIT_LABELS = {Unit.PERCENT: "Percent", Unit.COUNT: "Number", Unit.RATE_PER_10000: "Rate per 10,000 children",
               Unit.DAYS: "Days", Unit.GBP: "Pounds", Unit.NUMBER: "Number"}
SERIES_LABELS = {
    "england": "England",
    "statistical neighbours": "Statistical neighbours",
    "yorkshire and the humber": "Yorkshire & Humber",
    "best statistical neighbour": "Best neighbour",
    "top quartile": "Top quartile",
}
CSV_COLUMNS = ("period", "series", "value", "numerator", "denominator", "provisional", "source")


@dataclass(frozen=True)
class RenderedChart:
    filename: str
    svg: bytes
    alt: str
    title: str


def _x(value: Value) -> float:
    end = value.period.end
    return round(end.year + (end.timetuple().tm_yday - 1) / 366, 4)


def line_spec(kpi: Kpi, edition: str) -> LineChart:
    style = STYLES[edition]
    name = "Rotherham"
    values = metrics.sorted_values(kpi.values)
    series = [Series(name, "main", tuple((_x(v), v.value) for v in values))]
    if style.show_benchmarks:
        for benchmark in kpi.benchmarks:
            points = tuple((_x(v), v.value) for v in metrics.sorted_values(benchmark.values))
            label = SERIES_LABELS.get(benchmark.name, benchmark.name.capitalize())
            series.append(Series(label, benchmark.name, points))
    if kpi.target is not None:
        xs = [x for s in series for x, _ in s.points]
        series.append(Series(f"Target {metrics.format_value(kpi.target, kpi.unit)}", "target",
                             ((min(xs), kpi.target), (max(xs), kpi.target))))
    tick_values = values + [v for b in kpi.benchmarks if style.show_benchmarks for v in b.values]
    ticks = tuple(sorted({_x(v): v.period.short_label for v in tick_values}.items()))
    title = kpi.young.title if edition == "young" and kpi.young else kpi.title
    return LineChart(title, UNIT_LABELS[kpi.unit], tuple(series), ticks)


def alt_text(kpi: Kpi, chart: LineChart) -> str:
    others = [s.name for s in chart.series[1:]]
    text = f"Line chart. {metrics.summary(kpi)}"
    if others:
        text += f" Also shown: {', '.join(others)}."
    return text


def render_kpi_charts(kpi: Kpi, edition: str, cache: ChartCache) -> list[RenderedChart]:
    """The KPI's line chart and, in the standard edition, a bar chart per breakdown."""
    style = STYLES[edition]
    spec = line_spec(kpi, edition)
    alt = alt_text(kpi, spec)
    charts = [RenderedChart(f"{kpi.id}.svg",
                            cache.get_or_render(spec, style, lambda: figure_to_svg(line_chart(spec, style),
                                                                                     spec.title, alt)),
                            alt, spec.title)]
    if edition == "standard":
        for index, breakdown in enumerate(kpi.breakdowns, start=1):
            bars = BarChart(f"{breakdown.title}, {breakdown.period.label}", UNIT_LABELS[breakdown.unit],
                            tuple((item.label, item.value) for item in breakdown.items))
            largest = max(breakdown.items, key=lambda item: item.value)
            bar_alt = (f"Bar chart. {breakdown.title}, {breakdown.period.label}: {len(breakdown.items)} groups; "
                       f"the largest is {largest.label} "
                       f"({metrics.format_value(largest.value, breakdown.unit)}).")
            svg = cache.get_or_render(bars, style, lambda b=bars, a=bar_alt: figure_to_svg(bar_chart(b, style),
                                                                                           b.title, a))
            charts.append(RenderedChart(f"{kpi.id}-breakdown-{index}.svg", svg, bar_alt, bars.title))
    return charts


def table_rows(kpi: Kpi, source_title) -> list[dict[str, str]]:
    """Every value of the KPI and its benchmarks, for the HTML table and the CSV."""
    rows = []
    for series_name, values, default_source in [("Rotherham", kpi.values, kpi.source)] + [
            (SERIES_LABELS.get(b.name, b.name.capitalize()), b.values, b.source or kpi.source) for b in kpi.benchmarks]:
        for value in metrics.sorted_values(values):
            citation = value.source or default_source
            rows.append({
                "period": str(value.period),
                "period_label": value.period.label,
                "series": series_name,
                "value": metrics.format_number(value.value, kpi.unit),
                "raw_value": f"{value.value:g}",
                "numerator": "" if value.numerator is None else str(value.numerator),
                "denominator": "" if value.denominator is None else str(value.denominator),
                "provisional": "yes" if value.provisional else "no",
                "source": source_title(citation.doc) + (f", {citation.where}" if citation.where else ""),
                "note": value.note or "",
            })
    return rows


def csv_text(rows: list[dict[str, str]]) -> str:
    """Tidy CSV: one row per period and series."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row["period"], row["series"], row["raw_value"], row["numerator"], row["denominator"],
                         row["provisional"], row["source"]])
    return buffer.getvalue()
