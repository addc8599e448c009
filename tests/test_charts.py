import re

import pytest

from generator import charts
from generator.charts.kinds import LineChart, Series, bar_chart, line_chart, tick_label
from generator.charts.kpi_charts import BarChart, alt_text, line_spec, to_x
from generator.charts.layout import (
    ChartTextOutside,
    label_pairing,
    overlapping_ticks,
    renderer,
    settled,
    texts_outside,
    wrapped,
)
from generator.charts.render import ChartCache, figure_to_svg
from generator.charts.style import DARK, LIGHT, STYLES, css_px_at, variant
from generator.colours import contrast_ratio
from generator.comparators import DEFAULT_COMPARATORS, Comparator
from generator.models import Kpi
from tests.conftest import FIXTURE, REPO, copy_fixture

KPI = Kpi.model_validate(
    {
        "id": "cla",
        "title": "Children looked after",
        "definition": "d",
        "theme": "t",
        "unit": "count",
        "polarity": "information only",
        "frequency": "monthly",
        "source": {"doc": "s"},
        "values": [{"period": "2016-01", "value": 424}, {"period": "2022-12", "value": 551}],
        "benchmarks": [
            {"name": "england", "values": [{"period": "2016-01", "value": 400}, {"period": "2022-12", "value": 420}]}
        ],
        "breakdowns": [
            {
                "title": "By type of home",
                "period": "2018-12-31",
                "unit": "count",
                "source": {"doc": "s"},
                "items": [{"label": "Foster care", "value": 400}, {"label": "Residential", "value": 50}],
            }
        ],
    }
)


def _svg(edition="standard", cache=None):
    return charts.render_kpi_charts(KPI, edition, cache or ChartCache(None), "Northby")


def test_svg_has_title_desc_and_real_text():
    svg = _svg()[0].svg.decode()
    assert '<title id="chart-title">Children looked after</title>' in svg
    assert '<desc id="chart-desc">Line chart. Children looked after: 551 in December 2022' in svg
    assert 'role="img"' in svg
    assert re.search(r"<text[^>]*>.*Northby", svg), "labels are text, not paths, and name the configured area"
    assert "England" in svg


def test_charts_are_byte_identical_across_renders():
    first = [f for c in _svg() for f in c.files]
    second = [f for c in _svg() for f in c.files]
    assert first == second
    assert b"<dc:date>" not in first[0][1]


def test_one_chart_is_two_files_wide_and_narrow_and_breakdown_in_standard_only():
    """Issue 26: a chart is drawn once per layout, not once per colour scheme (it was four files)."""
    rendered = _svg()
    assert [name for name, _ in rendered[0].files] == ["cla.svg", "cla-narrow.svg"]
    assert [name for c in rendered for name, _ in c.files] == [
        "cla.svg",
        "cla-narrow.svg",
        "cla-breakdown-1.svg",
        "cla-breakdown-1-narrow.svg",
    ]
    assert [c.filename for c in _svg("young")] == ["cla.svg"]
    assert [name for name, _ in _svg("young")[0].files] == ["cla.svg", "cla-narrow.svg"]


@pytest.mark.parametrize("edition", ["standard", "young"])
def test_every_colour_is_a_class_with_a_light_and_a_dark_value(edition):
    """No colour is written on a drawn element: each is a class, and the chart's own stylesheet gives it the
    light scheme's colour and, for a dark page, the dark scheme's (the same two palettes as before)."""
    for chart in _svg(edition):
        for name, data in chart.files:
            svg = data.decode()
            assert not re.search(r'style="[^"]*(?:fill|stroke): ?#', svg), name
            sheet = re.search(r'<style type="text/css">(\.[^<]*)</style>', svg).group(1)
            light, dark = sheet.split("@media (prefers-color-scheme: dark){")
            assert f".f-bg{{fill:{LIGHT.background}}}" in light
            assert f".f-bg{{fill:{DARK.background}}}" in dark
            assert f".f-text{{fill:{LIGHT.text}}}" in light and f".f-text{{fill:{DARK.text}}}" in dark
            assert f".f-c0{{fill:{LIGHT.palette[0].lower()}}}" in light
            assert f".f-c0{{fill:{DARK.palette[0].lower()}}}" in dark
            used = set(re.findall(r'class="([^"]*)"', svg))
            assert {"f-bg", "f-text"} <= {c for group in used for c in group.split()}


def test_a_colour_outside_the_palettes_is_refused():
    from generator.charts.style import UnthemedColour, themed

    with pytest.raises(UnthemedColour):
        themed('<svg><desc>d</desc><path style="fill: #123456"/></svg>')
    assert themed('<svg><desc>d</desc><path style="fill: #ffffff; stroke-width: 2"/></svg>') == (
        '<svg><desc>d</desc><style type="text/css">.f-bg{fill:#ffffff}@media (prefers-color-scheme: dark)'
        '{.f-bg{fill:#1e2129}}</style><path class="f-bg" style="stroke-width: 2"/></svg>'
    )


def test_young_chart_is_simpler_and_speaks_young_words():
    young = Kpi.model_validate(
        KPI.model_dump() | {"young": {"title": "Children in our care", "explanation": "How many we look after."}}
    )
    spec = line_spec(young, "young", "Northby")
    assert [s.name for s in spec.series] == ["Northby"]
    assert spec.title == "Children in our care"
    assert alt_text(young, spec, "young") == (
        "A line chart: Children in our care. The latest number is 551. This was in December 2022. "
        "The line has gaps where we have no numbers."
    )
    assert STYLES["young"].font_size > STYLES["standard"].font_size


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_palette_contrast_against_the_background(scheme):
    for colour in scheme.palette + (scheme.text,):
        assert contrast_ratio(colour, scheme.background) >= 3, colour


def test_light_palette_neighbours_differ_by_3_to_1():
    palette = LIGHT.palette
    for first, second in zip(palette, palette[1:] + palette[:1], strict=True):
        assert contrast_ratio(first, second) >= 3, (first, second)


def test_alt_text_names_every_series():
    assert alt_text(KPI, line_spec(KPI, "standard")).endswith("Also shown: England.")


def test_cache_counts_renders_and_reuse(tmp_path):
    cache = ChartCache(tmp_path / "charts")
    _svg(cache=cache)
    assert (cache.rendered, cache.reused) == (4, 0)
    cache.save()
    fresh = ChartCache(tmp_path / "charts")
    _svg(cache=fresh)
    assert (fresh.rendered, fresh.reused) == (0, 4)


def test_figure_to_svg_escapes_title():
    svg = figure_to_svg(line_chart(line_spec(KPI, "standard"), STYLES["standard"]), "<b>&", "d").decode()
    assert '<title id="chart-title">&lt;b&gt;&amp;</title>' in svg


def test_csv_is_tidy():
    rows = charts.table_rows(KPI, lambda doc: "Source paper", "Northby")
    text = charts.csv_text(rows)
    assert text.splitlines()[0] == "period,series,value,numerator,denominator,provisional,source"
    assert "2022-12,Northby,551,,,no,Source paper" in text
    assert "2022-12,England,420,,,no,Source paper" in text


def test_other_frequencies_are_left_to_the_table():
    mixed = Kpi.model_validate(
        KPI.model_dump()
        | {
            "values": [
                {"period": "2013/14", "value": 12},
                {"period": "2022-10", "value": 42.9},
                {"period": "2022-12", "value": 44.4},
            ],
            "benchmarks": [],
        }
    )
    spec = line_spec(mixed, "standard")
    assert spec.x_unit == "month"
    assert [y for _, y in spec.series[0].points] == [42.9, 44.4]
    assert "Figures for periods of another length are in the table." in alt_text(mixed, spec)


@pytest.mark.parametrize(
    ("x", "unit", "label"),
    [
        (2019 * 12 + 2, "month", "Mar 2019"),
        (2021, "financial_year", "2021/22"),
        (2018, "year", "2018"),
        (2022 * 4 + 2, "quarter", "2022/23 Q3"),
    ],
)
def test_one_tick_format_per_frequency(x, unit, label):
    assert tick_label(x, unit) == label


def test_period_ends_fall_on_whole_steps():
    import datetime as dt

    assert to_x(dt.date(2022, 3, 31), "financial_year") == 2021
    assert to_x(dt.date(2022, 12, 31), "quarter") == 2022 * 4 + 2
    assert to_x(dt.date(2019, 3, 31), "month") == 2019 * 12 + 2


def test_unbreakable_text_outside_the_figure_is_an_error():
    wide = BarChart("T" * 300, "Number", (("a", 1), ("b", 2)))
    figure = bar_chart(wide, STYLES["standard"])
    assert texts_outside(figure)
    assert not settled(figure)  # so the chart code measures it again, and refuses it
    long = Kpi.model_validate(KPI.model_dump() | {"title": "W" * 300})
    with pytest.raises(ChartTextOutside, match="text outside the figure"):
        charts.render_kpi_charts(long, "standard", ChartCache(None))


def test_clipped_chart_text_is_a_located_build_problem(tmp_path):
    from generator.pipeline import generate, load_project

    root = copy_fixture(tmp_path / "project")
    path = root / "data/kpis/children-looked-after.yml"
    path.write_text(path.read_text().replace("title: Children looked after", "title: " + "W" * 300, 1))
    project = load_project(root / "site_config.yml")
    site = generate(project, "standard", ChartCache(None))
    found = [p.format() for p in site.problems.errors]
    assert any(
        line.startswith("data/kpis/children-looked-after.yml:1:") and "text outside the figure" in line
        for line in found
    ), found


# --- Every chart of the demo data and the fixture: clipping, label pairing, text size -------------


def _all_kpis():
    from generator.pipeline import load_project

    found = []
    for config in (REPO / "site_config.yml", FIXTURE / "site_config.yml"):
        project = load_project(config)
        found += [(config.parent.name, project.settings.area_name, k) for k in project.dataset.kpis.values()]
    return found


ALL = _all_kpis()
IDS = [f"{where}-{kpi.id}" for where, _, kpi in ALL]


def _figures(kpi, area, edition):
    for narrow in (False, True):
        style = variant(STYLES[edition], narrow)
        yield style, line_chart(line_spec(kpi, edition, area), style)
        if edition == "standard":
            for breakdown in kpi.breakdowns:
                bars = BarChart(
                    f"{breakdown.title}, {breakdown.period.label}",
                    "Number",
                    tuple((item.label, item.value) for item in breakdown.items),
                )
                yield style, bar_chart(bars, style)


@pytest.mark.parametrize(("where", "area", "kpi"), ALL, ids=IDS)
def test_every_chart_keeps_its_text_inside_and_its_labels_by_their_points(where, area, kpi):
    for edition in ("standard", "young"):
        for style, figure in _figures(kpi, area, edition):
            assert texts_outside(figure) == [], (edition, style.narrow)
            assert settled(figure), (edition, style.narrow)  # so the chart code need not measure it again
            assert overlapping_ticks(figure) == [], (edition, style.narrow)
            for pair in label_pairing(figure):
                assert pair.own <= pair.nearest_other + 0.5, (edition, style.narrow, pair)


@pytest.mark.parametrize(("where", "area", "kpi"), ALL[:3], ids=IDS[:3])
def test_ticks_are_evenly_spaced_in_one_format(where, area, kpi):
    figure = line_chart(line_spec(kpi, "standard", area), STYLES["standard"])
    renderer(figure)
    ticks = figure.axes[0].get_xticks()
    steps = [round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(set(steps[1:])) <= 1, "evenly spaced after the first period, which is always named"
    assert not steps[1:] or steps[1] / 2 <= steps[0] < steps[1] * 1.5, "no inner tick crowds the first"
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    shapes = {re.sub(r"[A-Za-z]", "a", re.sub(r"\d", "9", label)) for label in labels}
    assert len(shapes) == 1, labels


def test_narrow_chart_text_is_at_least_12_css_px_at_320():
    # At 320 px wide the content column is 288 px (16 px padding each side); charts fill it.
    for edition in ("standard", "young"):
        narrow = variant(STYLES[edition], True)
        assert css_px_at(narrow, 288) >= 12, edition
        assert css_px_at(variant(STYLES[edition], False), 288) < 12, "the wide drawing alone would fail"


REGIONAL = (
    *DEFAULT_COMPARATORS[:2],
    Comparator(name="north west", label="the North West", short_label="North West", in_summary=True),
    *DEFAULT_COMPARATORS[2:],
)
"""A council's comparators with a region drawn on its charts (the demo's region is configuration, not code)."""


def test_each_drawn_comparator_has_its_own_dashes_and_marker_whatever_it_is_called():
    kpi = Kpi.model_validate(
        KPI.model_dump()
        | {
            "benchmarks": [
                {"name": n, "values": [{"period": "2021/22", "value": v}]}
                for n, v in (("england", 100), ("statistical neighbours", 400), ("north west", 700))
            ]
        }
    )
    spec = line_spec(kpi, "standard", "Northby", REGIONAL)
    assert [s.name for s in spec.series][:4] == ["Northby", "England", "Statistical neighbours", "North West"]
    lines = [
        line
        for line in line_chart(spec, STYLES["standard"]).axes[0].get_lines()
        if str(line.get_gid()).startswith("series:")
    ]
    markers = [str(line.get_marker()) for line in lines if line.get_marker() not in (None, "None", "")]
    assert len(markers) == 4 and len(set(markers)) == 4, markers


def test_benchmark_label_sits_beside_its_own_point():
    kpi = Kpi.model_validate(
        {
            "id": "eet",
            "title": "Care leavers in work or learning",
            "definition": "d",
            "theme": "t",
            "unit": "percent",
            "polarity": "higher is better",
            "frequency": "monthly",
            "source": {"doc": "s"},
            "target": 66,
            "values": [
                {"period": "2022-10", "value": 72.0},
                {"period": "2022-11", "value": 73.7},
                {"period": "2022-12", "value": 73.0},
            ],
            "benchmarks": [
                {"name": n, "values": [{"period": "2021/22", "value": v}]}
                for n, v in (("england", 55), ("statistical neighbours", 35), ("north west", 15), ("top quartile", 45))
            ],
        }
    )
    figure = line_chart(line_spec(kpi, "standard", "Northby", REGIONAL), STYLES["standard"])
    pairs = {p.label.replace("\n", " "): p for p in label_pairing(figure)}
    assert set(pairs) == {"Northby", "England", "Statistical neighbours", "North West", "Target 66.0%"}, (
        "at most four lines and the target: the top quartile is left to the table"
    )
    for pair in pairs.values():
        assert pair.own < pair.nearest_other, pair


def test_points_closer_than_a_line_of_text_get_a_legend():
    kpi = Kpi.model_validate(
        KPI.model_dump()
        | {
            "benchmarks": [
                {"name": "england", "values": [{"period": "2021/22", "value": 300}]},
                {"name": "statistical neighbours", "values": [{"period": "2021/22", "value": 301}]},
                {"name": "north west", "values": [{"period": "2021/22", "value": 302}]},
            ]
        }
    )
    figure = line_chart(line_spec(kpi, "standard", "Northby", REGIONAL), STYLES["standard"])
    legend = figure.axes[0].get_legend()
    assert legend is not None
    names = [t.get_text() for t in legend.get_texts()]
    assert names[-3:] == ["England", "Statistical neighbours", "North West"], "in the configured order"
    assert texts_outside(figure) == []
    assert all(p.own <= p.nearest_other for p in label_pairing(figure))


def test_pairing_check_can_fail():
    figure = line_chart(line_spec(KPI, "standard", "Northby"), STYLES["standard"])
    axes = figure.axes[0]
    labels = [t for t in axes.texts if (t.get_gid() or "").startswith("label:")]
    labels[0].set_gid(labels[1].get_gid())  # pretend the first label belongs to the other series
    labels[1].set_gid("label:0")
    pairs = label_pairing(figure)
    assert any(p.own > p.nearest_other for p in pairs)


def test_overlapping_tick_labels_are_found():
    figure = line_chart(line_spec(KPI, "young", "Northby"), variant(STYLES["young"], True))
    axes = figure.axes[0]
    assert overlapping_ticks(figure) == []
    low, high = axes.get_xlim()
    axes.set_xticks([low + (high - low) * i / 8 for i in range(9)], ["Dec 2020"] * 9)
    assert overlapping_ticks(figure)


@pytest.mark.parametrize("style", [STYLES["standard"], variant(STYLES["young"], narrow=True)])
def test_a_title_wraps_as_filling_each_line_word_by_word_would(style):
    """`wrapped` finds each line's words by halving; the lines are those of the plain greedy fill."""
    title = "57 children came into care from October to December 2022, slightly more than a year before."
    figure = line_chart(LineChart(title, "Number", (Series("Here", "main", ((0.0, 1.0), (4.0, 2.0))),), "year"), style)
    shown = next(t for t in figure.axes[0].texts + [figure.axes[0]._left_title] if t.get_gid() == "chart-title")
    rend = renderer(figure)
    seen = set()
    for room in (20, 80, 150, 260, 400, 2000):
        lines: list[str] = []
        for word in title.split():  # the plain greedy fill, measured the same way
            shown.set_text(f"{lines[-1]} {word}" if lines else word)
            if lines and shown.get_window_extent(rend).width <= room:
                lines[-1] += f" {word}"
            else:
                lines.append(word)
        assert wrapped(shown, rend, title, room) == "\n".join(lines), room
        seen.add(len(lines))
    assert len(seen) >= 4  # one word a line, a few lines, and one line
