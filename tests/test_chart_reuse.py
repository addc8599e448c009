"""What chart drawing keeps from one chart to the next changes no byte: a chart drawn on a kept figure
(`kinds.kept_figures`) is the chart drawn on a new one, whatever the figure held before, and the SVG
written with the text sizes remembered is what Matplotlib's own `savefig` writes."""

import contextlib
import io

import matplotlib
import pytest

from generator.charts import ChartCache, kinds, render_kpi_charts
from generator.charts.render import RC, SVG_METADATA, _matplotlib_svg, figure_to_svg
from generator.charts.style import STYLES
from generator.editions import Edition
from generator.pipeline import load_project
from tests.conftest import REPO


def _every_chart(order, area_name: str) -> dict[tuple[Edition, str], bytes]:
    drawn = {}
    for edition, kpi in order:
        for chart in render_kpi_charts(kpi, edition, ChartCache(None), area_name):
            for name, svg in chart.files:
                drawn[edition, name] = svg
    return drawn


def test_every_demo_chart_is_the_same_on_a_kept_figure_in_either_order(monkeypatch):
    project = load_project(REPO / "site_config.yml")
    kpis = project.dataset.kpis
    order = [(Edition.STANDARD, kpi) for kpi in kpis.values()]
    order += [(Edition.YOUNG, kpis[key]) for key in project.settings.young_kpis if key in kpis]
    assert any(kpi.breakdowns for _, kpi in order), "bar charts should be among those drawn"
    area = project.settings.area_name
    kinds.forget_kept_figures()
    with monkeypatch.context() as patched:  # nothing kept: each chart is drawn on a figure of its own
        patched.setattr("generator.charts.kpi_charts.kept_figures", contextlib.nullcontext)
        new = _every_chart(order, area)
        assert not kinds._KEPT
    kinds.forget_kept_figures()
    forwards = _every_chart(order, area)
    backwards = _every_chart(order[::-1], area)
    assert len(new) >= 60
    assert [name for name in new if forwards[name] != new[name]] == []
    assert [name for name in new if backwards[name] != new[name]] == []


def test_a_figure_drawn_outside_kept_figures_is_its_own():
    chart = kinds.LineChart("A", "Number", (kinds.Series("Here", "main", ((0.0, 1.0), (1.0, 2.0))),), "year")
    style = STYLES["standard"]
    first, second = kinds.line_chart(chart, style), kinds.line_chart(chart, style)
    assert first is not second  # a caller outside the block may keep and compare its figures
    with kinds.kept_figures():
        kept, again = kinds.line_chart(chart, style), kinds.line_chart(chart, style)
    assert kept is again and kept is not first


def test_a_bar_chart_after_one_of_another_length_on_the_same_figure():
    # one bar and two bars make charts of the same height, so they share a kept figure
    one = kinds.BarChart("One place", "Children", (("Foster care", 12.0),))
    two = kinds.BarChart("Two places", "Children", (("Foster care", 12.0), ("Kinship care", 30.0)))
    style = STYLES["standard"]
    new = {chart.title: figure_to_svg(kinds.bar_chart(chart, style), chart.title, "") for chart in (one, two)}
    figures = set()
    with kinds.kept_figures():
        for chart in (two, one, two):
            figure = kinds.bar_chart(chart, style)
            figures.add(id(figure))
            assert figure_to_svg(figure, chart.title, "") == new[chart.title], chart.title
    assert len(figures) == 1


def test_a_line_chart_with_a_legend_then_one_without():
    crowded = kinds.LineChart(
        "Crowded",
        "Per cent",
        tuple(
            kinds.Series(f"Place {n}", "main" if n == 0 else "benchmark-1", ((0.0, 50.0), (4.0, 50.0 + n / 10)))
            for n in range(4)
        ),
        "year",
    )
    plain = kinds.LineChart("Plain", "Per cent", (kinds.Series("Here", "main", ((0.0, 10.0), (4.0, 20.0))),), "year")
    style = STYLES["young"]
    new = {chart.title: figure_to_svg(kinds.line_chart(chart, style), chart.title, "") for chart in (crowded, plain)}
    assert "legend" in new["Crowded"].decode()
    with kinds.kept_figures():
        for chart in (crowded, plain, crowded):
            assert figure_to_svg(kinds.line_chart(chart, style), chart.title, "") == new[chart.title], chart.title


def test_the_svg_written_is_what_savefig_writes_for_every_demo_chart(monkeypatch):
    project = load_project(REPO / "site_config.yml")
    written: list[tuple[str, str]] = []

    def both_ways(figure):
        ours = _matplotlib_svg(figure)
        buffer = io.StringIO()
        with matplotlib.rc_context(RC):
            figure.savefig(buffer, format="svg", metadata=SVG_METADATA)
        written.append((ours, buffer.getvalue()))
        return ours

    monkeypatch.setattr("generator.charts.render._matplotlib_svg", both_ways)
    for kpi in project.dataset.kpis.values():
        render_kpi_charts(kpi, Edition.STANDARD, ChartCache(None), project.settings.area_name)
    assert len(written) >= 40
    assert sum(ours != theirs for ours, theirs in written) == 0
    assert sum("<text" in ours for ours, _ in written) == len(written)  # texts written as text, measured


def test_past_the_limit_the_figure_made_longest_ago_is_let_go(monkeypatch):
    monkeypatch.setattr(kinds, "MAX_KEPT", 2)
    kinds.forget_kept_figures()
    style = STYLES["standard"]
    charts = [
        kinds.BarChart(f"{n} places", "Children", tuple((f"Place {i}", float(i)) for i in range(n))) for n in (2, 5, 9)
    ]
    with kinds.kept_figures():
        figures = [kinds.bar_chart(chart, style) for chart in charts]  # three heights, so three figures
    kept = [figure for figure, _ in kinds._KEPT.values()]
    assert len(kept) == 2 and kept == figures[1:]
    kinds.forget_kept_figures()


def test_texts_lay_out_the_same_when_the_renderer_tells_their_font_heights():
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.figure import Figure

    from generator.charts import font_heights, layout

    figure = Figure(figsize=(6, 4))
    axes = figure.add_subplot()
    texts = [
        axes.text(0.1, 0.5, words, fontsize=size, fontweight=weight)
        for words in ("Children in care", "Two\nlines of text", "Mar 2019\n2019/20 Q3", "£2,000, once")
        for size in (9, 12, 15.5)
        for weight in ("normal", "bold")
    ]
    font_heights._HEIGHTS.clear()
    told = layout._measuring_renderer()(600, 400, figure.dpi)
    plain = RendererAgg(600, 400, figure.dpi)  # Matplotlib reads the font's tables itself
    for text in texts:
        assert text.get_window_extent(told).bounds == text.get_window_extent(plain).bounds, text.get_text()
    assert len(font_heights._HEIGHTS) == 6  # three sizes, two weights: the heights were told, not read


@pytest.mark.parametrize("style", [STYLES["standard"], STYLES["young"]])
def test_a_chart_after_one_with_an_axis_offset_is_the_chart_on_a_new_figure(style):
    """Large values give an axis an offset ("1e7") that drawing writes into the figure; the next chart on
    the kept figure must not measure it. Each chart is compared with one drawn on a figure nothing has
    drawn before."""
    big_bars = kinds.BarChart("Spend by place", "Pounds", (("A", 1.5e7), ("B", 3e6)))
    small_bars = kinds.BarChart("Count by place", "Children", (("A", 15.0), ("B", 3.0)))
    big_line = kinds.LineChart("Spend", "Pounds", (kinds.Series("Here", "main", ((0.0, 1.2e7), (4.0, 2.5e7))),), "year")
    small_line = kinds.LineChart(
        "Count", "Children", (kinds.Series("Here", "main", ((0.0, 12.0), (4.0, 25.0))),), "year"
    )
    draw = {kinds.BarChart: kinds.bar_chart, kinds.LineChart: kinds.line_chart}
    new = {}
    for chart in (big_bars, small_bars, big_line, small_line):
        kinds.forget_kept_figures()
        new[chart.title] = figure_to_svg(draw[type(chart)](chart, style), chart.title, "")
    assert b"1e7" in new["Spend by place"] or b"1e7" in new["Spend"]  # the case this test is about
    kinds.forget_kept_figures()
    with kinds.kept_figures():
        for chart in (big_bars, small_bars, big_line, small_line, big_bars, small_bars):
            svg = figure_to_svg(draw[type(chart)](chart, style), chart.title, "")
            assert svg == new[chart.title], chart.title
    kinds.forget_kept_figures()
