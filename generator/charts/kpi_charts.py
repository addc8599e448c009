"""Charts, alt text, data tables and CSV for a KPI: every chart ships with its words and its data.

Each chart is drawn twice, wide and narrow (the page picks one with a `<picture>` media query in
em, so a narrow screen or a large text zoom gets the narrow drawing, whose text is at least 12 CSS px
at 320 px wide). Each file carries both colour schemes as CSS and follows the page's light or dark
setting, Material's toggle included (see `style.themed`).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from .. import kpi_words, metrics
from ..comparators import DEFAULT_COMPARATORS, Comparator, find
from ..editions import Edition
from ..models.kpi import Frequency, Kpi, Unit, Value
from ..output_safety import safe_rows
from .kinds import BarChart, LineChart, Series, bar_chart, kept_figures, line_chart
from .layout import ChartTextOutside, settled, texts_outside
from .render import ChartCache, ChartStore, figure_to_svg
from .style import STYLES, ChartStyle, variant

UNIT_LABELS = {
    Unit.PERCENT: "Percent",
    Unit.COUNT: "Number",
    Unit.RATE_PER_10000: "Rate per 10,000 children",
    Unit.DAYS: "Days",
    Unit.GBP: "Pounds",
    Unit.NUMBER: "Number",
}
CSV_COLUMNS = ("period", "series", "value", "numerator", "denominator", "provisional", "source")
CSV_NUMBERS = ("value", "numerator", "denominator")
"""CSV columns written from numbers: kept as numbers (a negative value stays negative), not quoted."""
CHART_BENCHMARKS = 3
"""At most this many comparators are drawn, those configured with `in_summary: true`, in their order
(four lines with the area's own, as the Analysis Function advises); the rest are in the table and
the page's list."""
UNIT_MONTHS = {"month": 1, "quarter": 3, "financial_year": 12, "year": 12}
FREQUENCY_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
GAP_SLACK = 1.5
"""Values further apart than 1.5 times the expected step are not joined: one missing period (twice the
step) is a gap, while a month-end snapshot taken on the 1st (a step and a day) is not."""
VARIANTS = (("", False), ("-narrow", True))
"""Each chart's renderings: (file name suffix, narrow)."""
REMOVED_RENDERINGS = {"-dark": "", "-dark-narrow": "-narrow"}
"""The dark drawings of 0.2, and the rendering that replaced each (one file serves both schemes)."""


@dataclass(frozen=True)
class RenderedChart:
    filename: str
    svg: bytes
    alt: str
    title: str
    files: tuple[tuple[str, bytes], ...] = ()  # every rendering: (filename, SVG bytes)

    def file(self, suffix: str) -> str:
        """The file name of one rendering: '' (wide) or '-narrow'.

        A council template written for 0.2 may still ask for a dark drawing; it gets a template error
        (located at its line by the pipeline) saying what to write instead, not a link to no file."""
        if suffix in REMOVED_RENDERINGS:
            raise jinja2.TemplateRuntimeError(
                f"chart.file('{suffix}') was removed in 0.3: each chart follows the page's light or dark scheme "
                f"by itself; delete the <picture> line that uses it (the other one, with "
                f"chart.file('{REMOVED_RENDERINGS[suffix]}'), stays)"
            )
        if suffix not in {s for s, _ in VARIANTS}:
            raise jinja2.TemplateRuntimeError(f"chart.file('{suffix}'): a chart has '' (wide) and '-narrow' files")
        return self.filename.removesuffix(".svg") + suffix + ".svg"


def series_label(name: str, comparators: Sequence[Comparator] = DEFAULT_COMPARATORS) -> str:
    """A benchmark's name in chart labels and table rows: its configured short label ('Core cities')."""
    return find(comparators, name).heading


def charted(comparators: Sequence[Comparator]) -> list[str]:
    """The comparator names a chart draws, in configured order."""
    return [c.name for c in comparators if c.in_summary][:CHART_BENCHMARKS]


def to_x(day: dt.date, unit: str) -> float:
    """A date as steps of the chart's unit, so that period ends fall on whole numbers."""
    months = day.year * 12 + day.month - 1 + day.day / monthrange(day.year, day.month)[1] - 1
    return round(
        {
            "month": months,
            "quarter": (months - 5) / 3,
            "financial_year": (months - 14) / 12,
            "year": (months - 11) / 12,
        }[unit],
        4,
    )


def _cadence(xs: Sequence[float]) -> float | None:
    """The longest step drawn as a line for a series with no set frequency (an occasional KPI, a
    comparator): 1.5 times its usual (median) spacing, and never less than 1.5 steps; None for fewer
    than three points, whose spacing says nothing."""
    steps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    if len(steps) < 2:
        return None
    return GAP_SLACK * max(1.0, statistics.median(steps))


def max_step(kpi: Kpi, unit: str, xs: Sequence[float]) -> float | None:
    """The longest step (in the chart's unit) the area's own line joins: the KPI's reporting frequency
    (monthly: a month, quarterly: a quarter, annual: a year; never less than one step of the chart),
    with `GAP_SLACK`; an occasional KPI uses its own usual spacing (`_cadence`)."""
    months = FREQUENCY_MONTHS.get(kpi.frequency)
    if months is None:
        return _cadence(xs)
    return GAP_SLACK * max(1.0, months / UNIT_MONTHS[unit])


def line_spec(
    kpi: Kpi, edition: Edition, area_name: str = "Our area", comparators: Sequence[Comparator] = DEFAULT_COMPARATORS
) -> LineChart:
    """The main series in the latest value's frequency only; benchmarks and the target beside it."""
    style = STYLES[edition]
    unit = metrics.frequency_group(metrics.latest(kpi).period)
    shown = metrics.shown_values(kpi)
    points = tuple((to_x(v.period.end, unit), v.value) for v in shown)
    breaks = tuple(to_x(v.period.end, unit) for v in shown[1:] if v.new_series)
    series = [Series(area_name, "main", points, max_step=max_step(kpi, unit, [x for x, _ in points]), breaks=breaks)]
    if style.show_benchmarks:
        drawn = charted(comparators)
        for place, benchmark in enumerate(
            sorted((b for b in kpi.benchmarks if b.name in drawn), key=lambda b: drawn.index(b.name)), start=1
        ):
            values = metrics.sorted_values(benchmark.values)
            points = tuple((to_x(v.period.end, unit), v.value) for v in values)
            same = all(metrics.frequency_group(v.period) == unit for v in values)
            series.append(
                Series(
                    series_label(benchmark.name, comparators),
                    f"benchmark-{place}",
                    points,
                    joined=same,
                    max_step=_cadence([x for x, _ in points]),
                )
            )
    per_value = [(to_x(v.period.end, unit), metrics.target_for(kpi, v)) for v in shown]
    targets = [(x, t) for x, t in per_value if t is not None]
    if targets:
        if len(targets) == 1 or len({t for _, t in targets}) == 1:
            xs = [x for s in series for x, _ in s.points]
            targets = [(min(xs), targets[-1][1]), (max(xs), targets[-1][1])]
        series.append(Series(kpi_words.target_label(targets[-1][1], kpi.unit), "target", tuple(targets)))
    title = kpi.young.title if edition == Edition.YOUNG and kpi.young else (kpi.headline or kpi.title)
    return LineChart(title, UNIT_LABELS[kpi.unit], tuple(series), unit, kpi_words.break_label(edition))


def gaps(kpi: Kpi, chart: LineChart) -> list[tuple[Value, Value]]:
    """The pairs of the area's own values (before, after) that its line does not join for want of figures."""
    shown = metrics.shown_values(kpi)
    main = chart.series[0]
    found = []
    for before, after in zip(shown, shown[1:], strict=False):
        x0, x1 = to_x(before.period.end, chart.x_unit), to_x(after.period.end, chart.x_unit)
        if not after.new_series and main.max_step is not None and x1 - x0 > main.max_step + 1e-6:
            found.append((before, after))
    return found


def alt_text(
    kpi: Kpi,
    chart: LineChart,
    edition: Edition = Edition.STANDARD,
    area_name: str = "Our area",
    comparators: Sequence[Comparator] = DEFAULT_COMPARATORS,
    summary: str | None = None,
) -> str:
    """The chart's text alternative (words from `generator.kpi_words`; `summary` when the page made it)."""
    young, starts = (
        edition == Edition.YOUNG and kpi.young is not None,
        [v for v in metrics.shown_values(kpi)[1:] if v.new_series],
    )
    shape = kpi_words.line_words(kpi, gaps(kpi, chart), starts, chart.break_label, young)
    others, more = [s.name for s in chart.series[1:]], len(metrics.shown_values(kpi)) < len(kpi.values)
    return kpi_words.line_chart_alt(kpi, edition, shape, others, more, area_name, comparators, summary)


def _render(spec, style: ChartStyle, draw, title: str, alt: str, cache: ChartStore) -> tuple[tuple[str, bytes], ...]:
    files = []
    for suffix, narrow in VARIANTS:
        one = variant(style, narrow)

        def make(one: ChartStyle = one) -> bytes:
            with kept_figures():  # the figure is written out before the next chart is drawn on it
                figure = draw(spec, one)
                outside = [] if settled(figure) else texts_outside(figure)  # `fit` measured it already
                if outside:
                    raise ChartTextOutside(title, outside)
                return figure_to_svg(figure, title, alt)

        files.append((suffix, cache.get_or_render(spec, one, make, (title, alt))))
    return tuple(files)


def render_kpi_charts(
    kpi: Kpi,
    edition: Edition,
    cache: ChartStore,
    area_name: str = "Our area",
    comparators: Sequence[Comparator] = DEFAULT_COMPARATORS,
    summary: str | None = None,
) -> list[RenderedChart]:
    """The KPI's line chart and, in the standard edition, a bar chart per breakdown (each wide and narrow).

    `summary` is the KPI's summary when its page made it already. Raises `ChartTextOutside` when some
    text would be cut off.
    """
    style = STYLES[edition]
    spec = line_spec(kpi, edition, area_name, comparators)
    alt = alt_text(kpi, spec, edition, area_name, comparators, summary)
    files = _render(spec, style, line_chart, spec.title, alt, cache)
    charts = [_rendered(f"{kpi.id}.svg", files, alt, spec.title)]
    if edition == Edition.STANDARD:
        for index, breakdown in enumerate(kpi.breakdowns, start=1):
            bars = BarChart(
                f"{breakdown.title}, {breakdown.period.label}",
                UNIT_LABELS[breakdown.unit],
                tuple((item.label, item.value) for item in breakdown.items),
            )
            bar_alt = kpi_words.breakdown_alt(breakdown)
            files = _render(bars, style, bar_chart, bars.title, bar_alt, cache)
            charts.append(_rendered(f"{kpi.id}-breakdown-{index}.svg", files, bar_alt, bars.title))
    return charts


def _rendered(filename: str, files: tuple[tuple[str, bytes], ...], alt: str, title: str) -> RenderedChart:
    base = filename.removesuffix(".svg")
    named = tuple((f"{base}{suffix}.svg", svg) for suffix, svg in files)
    return RenderedChart(filename, named[0][1], alt, title, named)


def chart_timings(
    kpis: list[Kpi],
    edition: Edition = Edition.STANDARD,
    area_name: str = "Our area",
    comparators: Sequence[Comparator] = DEFAULT_COMPARATORS,
) -> list[tuple[str, float]]:
    """CPU seconds to draw each KPI's charts (all renderings, no cache), for `make bench` (steady on a busy machine)."""
    timings = []
    for kpi in kpis:
        start = time.process_time()
        render_kpi_charts(kpi, edition, ChartCache(None), area_name, comparators)
        timings.append((kpi.id, time.process_time() - start))
    return timings


def table_rows(
    kpi: Kpi, source_title, area_name: str = "Our area", comparators: Sequence[Comparator] = DEFAULT_COMPARATORS
) -> list[dict[str, str]]:
    """Every value of the KPI and its benchmarks, for the HTML table and the CSV."""
    rows = []
    for series_name, values, default_source in [(area_name, kpi.values, kpi.source)] + [
        (series_label(b.name, comparators), b.values, b.source or kpi.source) for b in kpi.benchmarks
    ]:
        for value in metrics.sorted_values(values):
            citation = value.source or default_source
            rows.append(
                {
                    "period": str(value.period),
                    "period_label": kpi_words.period_label(value),
                    "series": series_name,
                    "main": "yes" if series_name == area_name and values is kpi.values else "no",
                    "value": metrics.format_number(value.value, kpi.unit),
                    "raw_value": f"{value.value:g}",
                    "numerator": "" if value.numerator is None else str(value.numerator),
                    "denominator": "" if value.denominator is None else str(value.denominator),
                    "provisional": "yes" if value.provisional else "no",
                    "source": source_title(citation.doc) + (f", {citation.where}" if citation.where else ""),
                    "note": value.note or "",
                }
            )
    return rows


def csv_text(rows: list[dict[str, str]]) -> str:
    """Tidy CSV: one row per period and series; no cell a spreadsheet would run (`output_safety`)."""
    keys = ["period", "series", "raw_value", "numerator", "denominator", "provisional", "source"]
    return safe_rows(CSV_COLUMNS, ([row[key] for key in keys] for row in rows), numeric=CSV_NUMBERS)


__all__ = ["RenderedChart", "Value", "chart_timings", "csv_text", "line_spec", "render_kpi_charts", "table_rows"]
