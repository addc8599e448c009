"""Page kind: performance indicators — the scorecard and one page per KPI, with its charts and CSV.

Every number a template shows is worked out here (`KpiView`), so a template only places text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import kpi_words, metrics
from ..chart_pool import draw_in_parallel
from ..charts import ChartTextOutside, RenderedChart, csv_text, render_kpi_charts, table_rows
from ..charts.kpi_charts import UNIT_LABELS
from ..comparators import Comparator, find
from ..errors import Problem
from ..models.kpi import Kpi, Value
from ..open_data import kpi_csv, kpi_meta_csv
from .kind import Build, Output, Page, documented


@dataclass(frozen=True)
class Status:
    """A status against target, in words and a shape as well as colour."""

    key: str = documented("'green', 'amber' or 'red' (for the CSS class).")
    shape: str = documented("●, ▲ or ■.")
    word: str = documented("'On target', 'Close to target' or 'Off target'.")


@dataclass(frozen=True)
class Direction:
    """Which way the latest figure moved against its comparison base."""

    arrow: str = documented("↑, ↓ or →.")
    word: str = documented("'Up', 'Down' or 'No change'.")


@dataclass(frozen=True)
class BenchmarkView:
    """A comparator's latest figure beside the area's own for the same period."""

    name: str = documented("The comparator's name as the KPI gives it ('england').")
    heading: str = documented("Its name to start a line or head a column ('Statistical neighbours').")
    value: str = documented("Its figure, formatted ('71.6%').")
    period: str = documented("The period of that figure ('2021/22').")
    relation: str = documented("'Northby was above it (73.0%), which is better', or why there is no comparison.")


@dataclass(frozen=True)
class BreakdownRow:
    """One group of a breakdown."""

    label: str = documented("The group.")
    value: str = documented("Its figure, formatted.")


@dataclass(frozen=True)
class KpiView:
    """A KPI with every figure its pages state, worked out once."""

    kpi: Kpi = documented(
        "The record: `id`, `title`, `ref`, `headline`, `definition`, `polarity`, `frequency`, "
        "`source`, `notes`, `breakdowns`, `young`."
    )
    summary: str = documented(
        "The computed summary: latest against like, peak or low, year to date, target, configured comparators."
    )
    latest: Value = documented("The latest value (`value`, `period.label`, `provisional`).")
    latest_text: str = documented("The latest figure with its count where given ('45.0% (9 of 20)').")
    latest_number: str = documented("The latest figure alone ('45.0%').")
    latest_period: str = documented("The latest value's period in words ('2022/23, to December').")
    status: Status | None = documented("Status against target, or none when no target applies.")
    not_judged: bool = documented(
        "True when the KPI has a target that does not judge the latest value (set after it was reported, "
        "or for the measure before a break): its status is 'Not judged', not 'No target'."
    )
    change: str = documented("'Down from 574 a year earlier (31 December 2021)', or why there is no comparison.")
    direction: Direction | None = documented("Which way it moved, or none for a first value.")
    judgement: metrics.Judged | None = documented(
        "'better', 'worse' or 'same' (a `Judged`, compared as text), or none when the KPI is information only."
    )
    series_break: str | None = documented(
        "When the latest figure's series starts at a break (the measure changed), that period in words "
        "('in 2020/21'); none when it runs from the first figure."
    )
    compared_with: str | None = documented(
        "What the change and judgement compare with: 'a year earlier', 'the month before', or none for a first value."
    )
    young_change: str | None = documented(
        "The young edition's sentence on the change: 'That is better than a year earlier.', or none when "
        "there is no earlier number to compare with or the KPI is information only."
    )
    target: str | None = documented(
        "The target that applies to the latest value, with its period ('10.0% for 2022/23'); or, when the "
        "KPI's bare target does not judge it, why ('15.0%, set on 27 June 2017 for the measure as it was "
        "then (it changed in 2020/21), so not applied'); or none."
    )
    target_value: str | None = documented(
        "The target figure alone; 'Set later' or 'Set for the old measure' when the bare target does not "
        "judge the latest value; or none."
    )
    year_to_date: str | None = documented("'44.0% (41.0% at the same point a year earlier)', or none.")
    previous_year: str | None = documented("The previous year's figure, formatted, or none.")
    benchmarks: tuple[BenchmarkView, ...] = documented("Each benchmark the KPI gives, in its order.")
    withheld: tuple[tuple[str, str, str], ...] = documented(
        "Each period whose figure is not published, oldest first: (period in words, GSS symbol, its meaning)."
    )
    withheld_latest: str | None = documented(
        "When the newest period's figure is not published: 'December 2023: confidential: held back so that no "
        "one can be identified'; else none (the latest figure shown is then the newest)."
    )
    band_text: str = documented("'on target >= 66, close to target >= 58, off target < 58', or ''.")
    breakdowns: tuple[tuple[str, tuple[BreakdownRow, ...]], ...] = documented(
        "Each breakdown's rows, in the order of `kpi.breakdowns` (title first)."
    )

    def benchmark(self, name: str) -> BenchmarkView | None:
        """The benchmark of this comparator name, or none."""
        return next((b for b in self.benchmarks if b.name == name), None)

    def benchmarks_for(self, comparators: Sequence[Comparator]) -> list[tuple[Comparator, BenchmarkView]]:
        """(comparator, its figure) for those of `comparators` the KPI gives, in their order."""
        found = ((c, self.benchmark(c.name)) for c in comparators)
        return [(c, b) for c, b in found if b is not None]


@dataclass(frozen=True)
class KpiGlance:
    """A KPI's latest figure, status and direction alone: a line of a meeting pack's scorecard."""

    kpi: Kpi = documented("The record, as it stood on the day.")
    latest: Value = documented("The latest value then (`value`, `period.label`, `provisional`).")
    latest_text: str = documented("The latest figure with its count where given ('45.0% (9 of 20)').")
    status: Status | None = documented("Status against target, or none when no target applies.")
    direction: Direction | None = documented("Which way it moved, or none for a first value.")


def kpi_glance(kpi: Kpi) -> KpiGlance:
    """The few figures a scorecard line states, without the summary and comparisons of `kpi_view`."""
    last = metrics.latest(kpi)
    return KpiGlance(
        kpi, last, metrics.format_with_count(last, kpi.unit), _status(kpi), _direction(metrics.direction(kpi))
    )


def _status(kpi: Kpi, rag: str | None = None) -> Status | None:
    rag = rag or metrics.rag_status(kpi)
    return Status(rag, kpi_words.RAG_SHAPES[rag], kpi_words.RAG_WORDS[rag]) if rag else None


def _direction(moved: metrics.Moved | None) -> Direction | None:
    return Direction(kpi_words.DIRECTION_ARROWS[moved], kpi_words.DIRECTION_WORDS[moved]) if moved else None


def kpi_view(kpi: Kpi, area: str, comparators: Sequence[Comparator]) -> KpiView:
    """Every figure a KPI's pages state, with comparators named as site_config.yml configures them:
    the figures are worked out once (`metrics.figures_of`) and said by `generator.kpi_words`."""
    unit = kpi.unit
    figures = metrics.figures_of(kpi, comparators)
    last, base = figures.latest, figures.base
    benchmarks = []
    for given in kpi.benchmarks:
        found = figures.comparison(given.name)
        if found is None:
            continue
        benchmarks.append(
            BenchmarkView(
                given.name,
                find(comparators, given.name).heading,
                metrics.format_value(found.value.value, unit),
                kpi_words.period_label(found.value),
                kpi_words.benchmark_relation_text(kpi, found, area),
            )
        )
    held = sorted(kpi.withheld, key=lambda w: w.period.end)
    newest = held[-1] if held and held[-1].period.end > last.period.end else None
    return KpiView(
        withheld=tuple((w.period.label, w.symbol, w.meaning) for w in held),
        withheld_latest=f"{newest.period.label}: {newest.meaning}" if newest else None,
        kpi=kpi,
        summary=kpi_words.summary(figures, area, comparators),
        latest=last,
        latest_text=metrics.format_with_count(last, unit),
        latest_number=metrics.format_value(last.value, unit),
        latest_period=kpi_words.period_label(last),
        status=_status(kpi, figures.status),
        not_judged=figures.withheld is not None,
        change=kpi_words.change_text(figures),
        direction=_direction(figures.direction),
        judgement=figures.judgement,
        series_break=kpi_words.period_words(start) if (start := figures.series_start) else None,
        compared_with=kpi_words.BASE_WORDS[base.kind] if base else None,
        young_change=kpi_words.young_change(figures),
        target=kpi_words.target_text(figures),
        target_value=kpi_words.target_value_text(figures),
        year_to_date=kpi_words.year_to_date_text(kpi),
        previous_year=metrics.format_value(kpi.previous_year.value, unit) if kpi.previous_year else None,
        benchmarks=tuple(benchmarks),
        band_text=kpi_words.band_text(kpi),
        breakdowns=tuple(
            (b.title, tuple(BreakdownRow(i.label, metrics.format_value(i.value, b.unit)) for i in b.items))
            for b in kpi.breakdowns
        ),
    )


@dataclass(frozen=True)
class ScorecardContext:
    """performance/index.md (kpi_index.md.j2): every indicator the edition shows, grouped by theme."""

    kpis: tuple[KpiView, ...] = documented("The indicators, in the young edition only those `young_kpis` lists.")
    themes: tuple[tuple[str, tuple[KpiView, ...]], ...] = documented(
        "(theme, indicators) pairs: configured `scorecard_themes` first, each sorted by reference."
    )
    data_as_at: str = documented("The end of the latest period any indicator reports ('31 December 2022').")
    comparators: tuple[Comparator, ...] = documented(
        "The configured comparators with `in_summary: true`: the scorecard's benchmark columns (`name`, `heading`)."
    )
    open_data: tuple[str, str] | None = documented(
        "Site paths of every figure as one CSV in the EES long layout and of its `.meta.csv` "
        "(standard edition; None in the young edition).",
        default=None,
    )


@dataclass(frozen=True)
class KpiContext:
    """performance/<id>.md (kpi.md.j2): one indicator, its charts, table and CSV download."""

    kpi: Kpi = documented("The record (see `view.kpi`).")
    view: KpiView = documented("Every figure the page states.")
    charts: tuple[RenderedChart, ...] = documented(
        "Each chart: `filename` (wide), `file('-narrow')`, `alt`, `title`; each file follows the page's colour scheme."
    )
    rows: tuple[dict[str, str], ...] = documented(
        "The table: `period_label`, `series`, `value`, `numerator`, "
        "`denominator`, `provisional`, `source`, `note`, `main`, and `new_series` ('yes' on the area's "
        "value that starts a new series after the measure changed)."
    )
    csv_href: str = documented("The CSV download, relative to the page.")
    unit_label: str = documented("The unit in words ('Percent', 'Rate per 10,000 children').")


class KpiPages:
    """The scorecard and the KPI pages; charts are drawn in parallel first on a cold build."""

    name = "performance"
    templates: dict[str, type] = {"kpi_index.md.j2": ScorecardContext, "kpi.md.j2": KpiContext}

    def plan(self, build: Build) -> list[Page]:
        """The scorecard, then one page per indicator."""
        kpis = _shown(build)
        if not kpis:
            return []
        settings = build.settings
        area, comparators = settings.area_name, tuple(settings.comparators)
        worked_out: dict[str, KpiView] = {}

        def view_of(kpi: Kpi) -> KpiView:
            """Each KPI's figures are worked out once, for the scorecard and its own page alike."""
            if kpi.id not in worked_out:
                work = lambda: kpi_view(kpi, area, comparators)  # noqa: E731
                memo = build.memo  # `serve` keeps each view while its record is unchanged
                worked_out[kpi.id] = memo.remember(f"kpi_view {kpi.id}", (kpi,), work) if memo else work()
            return worked_out[kpi.id]

        def scorecard(output: Output) -> ScorecardContext:
            views = tuple(view_of(k) for k in kpis)
            by_id = {v.kpi.id: v for v in views}
            themes = tuple(
                (theme, tuple(by_id[k.id] for k in group))
                for theme, group in metrics.by_theme(list(kpis), settings.scorecard_themes)
            )
            open_data = None if build.young else (build.urls.kpi_open_data(), build.urls.kpi_open_meta())
            return ScorecardContext(
                views,
                themes,
                metrics.data_as_at(list(kpis)),
                tuple(c for c in comparators if c.in_summary),
                open_data,
            )

        title = "How are we doing?" if build.young else "Performance"
        # Besides the settings every page reads, the scorecard is made from the indicators it
        # shows and each indicator's page from its own record (see `generator.render_memo`).
        pages = [Page(build.urls.performance(), "kpi_index.md.j2", title, scorecard, True, inputs=tuple(kpis))]
        for kpi in kpis:
            title = (kpi.young.title if kpi.young else kpi.title) if build.young else kpi.title
            pages.append(
                Page(
                    build.urls.kpi(kpi.id),
                    "kpi.md.j2",
                    title,
                    lambda output, kpi=kpi: self._kpi_context(build, kpi, view_of(kpi), output),
                    inputs=(kpi,),
                )
            )
        return pages

    def prepare(self, build: Build, pages: Sequence[Page]) -> int:
        """Draw every chart the cache lacks, in parallel; the pages then take them from the cache."""
        if build.cache is None:
            return 0
        return draw_in_parallel(
            _shown(build),
            build.edition,
            build.cache,
            area_name=build.settings.area_name,
            comparators=tuple(build.settings.comparators),
        )

    def files(self, build: Build) -> dict[str, bytes]:
        """The whole KPI data set as open data (standard edition); charts and each KPI's CSV are
        written as each page's context is built."""
        if build.young or not build.dataset.kpis:
            return {}
        kpis = build.dataset.kpis
        return {
            build.urls.kpi_open_data(): kpi_csv(kpis, build.settings).encode("utf-8"),
            build.urls.kpi_open_meta(): kpi_meta_csv(kpis).encode("utf-8"),
        }

    def _kpi_context(self, build: Build, kpi: Kpi, view: KpiView, output: Output) -> KpiContext:
        dataset, settings, urls = build.dataset, build.settings, build.urls
        area, comparators = settings.area_name, tuple(settings.comparators)
        charts: list[RenderedChart] = []
        if build.cache is not None:
            try:
                charts = render_kpi_charts(kpi, build.edition, build.cache, area, comparators, summary=view.summary)
            except ChartTextOutside as exc:
                doc = dataset.documents[dataset.origin("kpis", kpi.id)]
                line, column = doc.where(("title",))
                output.problems.add(
                    Problem(doc.display, line, column, "title", str(exc), hint="shorten the title or labels")
                )
        breaks = {str(v.period) for v in kpi.values if v.new_series}
        rows = [
            dict(row, new_series="yes" if row["main"] == "yes" and row["period"] in breaks else "no")
            for row in table_rows(kpi, dataset.source_title, area, comparators)
        ]
        for chart in charts:
            for filename, svg in chart.files:
                output.assets[urls.kpi_chart(filename)] = svg
        output.assets[urls.kpi_csv(kpi.id)] = csv_text(rows).encode("utf-8")
        return KpiContext(
            kpi,
            view,
            tuple(charts),
            tuple(rows),
            f"data/{kpi.id}.csv",
            UNIT_LABELS[kpi.unit],
        )


def _shown(build: Build) -> list[Kpi]:
    kpis = build.dataset.kpis
    if build.young:
        return [kpis[k] for k in build.settings.young_kpis if k in kpis]
    return list(kpis.values())


KIND = KpiPages()
