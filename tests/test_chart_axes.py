"""Time charts tell the truth about time: both ends named, gaps left open, a new series marked.

Checked on what is written into the SVG: its text, and the geometry of each line's path.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from generator.charts.kinds import line_chart, tick_label
from generator.charts.kpi_charts import alt_text, line_spec
from generator.charts.layout import overlapping_ticks
from generator.charts.render import figure_to_svg
from generator.charts.style import STYLES, variant
from generator.models import Kpi
from tests.conftest import FIXTURE, REPO

SVG = "{http://www.w3.org/2000/svg}"
LAYOUTS = [(edition, narrow) for edition in ("standard", "young") for narrow in (False, True)]
LAYOUT_IDS = [f"{edition}-{'narrow' if narrow else 'wide'}" for edition, narrow in LAYOUTS]


def _kpi(frequency: str, values: list[tuple[str, float]], starts: tuple[str, ...] = (), **extra) -> Kpi:
    return Kpi.model_validate(
        {
            "id": "k",
            "title": "Foster carers approved",
            "definition": "d",
            "theme": "t",
            "unit": "count",
            "polarity": "information only",
            "frequency": frequency,
            "source": {"doc": "s"},
            "values": [{"period": p, "value": v} | ({"new_series": True} if p in starts else {}) for p, v in values],
        }
        | extra
    )


def _draw(kpi: Kpi, edition: str = "standard", narrow: bool = False, area: str = "Northby") -> tuple[str, object]:
    spec = line_spec(kpi, edition, area)
    figure = line_chart(spec, variant(STYLES[edition], narrow))
    return figure_to_svg(figure, spec.title, alt_text(kpi, spec, edition, area)).decode(), figure


def _texts(svg: str) -> str:
    """Every drawn text, one per line (a two-line tick label reads as its words with a space)."""
    root = ET.fromstring(svg)
    lines = []
    for group in root.iter(f"{SVG}g"):
        pieces = [t.text or "" for t in group.findall(f"{SVG}text")]
        if pieces:
            lines.append(" ".join(p.strip() for p in pieces))
    return "\n".join(lines)


def _ends(spec) -> tuple[str, str]:
    xs = [x for s in spec.series for x, _ in s.points]
    return tick_label(int(round(min(xs))), spec.x_unit), tick_label(int(round(max(xs))), spec.x_unit)


def _group(svg: str, gid: str) -> ET.Element:
    root = ET.fromstring(svg)
    found = [g for g in root.iter(f"{SVG}g") if g.get("id") == gid]
    assert found, f"no group {gid}"
    return found[0]


def _subpaths(group: ET.Element) -> list[list[tuple[float, float]]]:
    """The pen strokes of a group's line: each M starts one, each L extends it."""
    path = group.find(f"{SVG}path")
    assert path is not None
    strokes: list[list[tuple[float, float]]] = []
    for op, x, y in re.findall(r"([ML])\s+(-?[\d.]+)\s+(-?[\d.]+)", path.get("d", "")):
        if op == "M":
            strokes.append([])
        strokes[-1].append((float(x), float(y)))
    return strokes


def _markers(group: ET.Element) -> list[float]:
    return sorted(float(u.get("x", "nan")) for u in group.iter(f"{SVG}use"))


def _segments(group: ET.Element) -> list[tuple[float, float]]:
    return [(a[0], b[0]) for stroke in _subpaths(group) for a, b in zip(stroke, stroke[1:], strict=False)]


# --- Both ends named, at every width ----------------------------------------------------------------


def _demo_kpis():
    from generator.pipeline import load_project

    found = []
    for config in (REPO / "site_config.yml", FIXTURE / "site_config.yml"):
        project = load_project(config)
        found += [(project.settings.area_name, k) for k in project.dataset.kpis.values()]
    return found


DEMO = _demo_kpis()


@pytest.mark.parametrize(("area", "kpi"), DEMO, ids=[k.id + "-" + a for a, k in DEMO])
def test_every_time_chart_names_its_first_and_last_period_at_every_layout(area, kpi):
    for edition, narrow in LAYOUTS:
        svg, figure = _draw(kpi, edition, narrow, area)
        first, last = _ends(line_spec(kpi, edition, area))
        texts = _texts(svg)
        assert first in texts and last in texts, (edition, narrow, first, last, texts)
        assert overlapping_ticks(figure) == [], (edition, narrow)


@pytest.mark.parametrize(("edition", "narrow"), LAYOUTS, ids=LAYOUT_IDS)
def test_a_long_monthly_series_names_where_it_starts(edition, narrow):
    """The case the issue found: young at 320 px showed only 'Dec 2022'."""
    kpi = _kpi("monthly", [("2016-01", 424), ("2016-02", 430), ("2022-11", 540), ("2022-12", 551)])
    texts = _texts(_draw(kpi, edition, narrow)[0])
    assert "Jan 2016" in texts and "Dec 2022" in texts, texts


@pytest.mark.parametrize(("edition", "narrow"), LAYOUTS, ids=LAYOUT_IDS)
def test_two_adjacent_quarters_are_both_named_without_overlapping(edition, narrow):
    kpi = _kpi("quarterly", [("2022/23 Q2", 10), ("2022/23 Q3", 12)])
    svg, figure = _draw(kpi, edition, narrow)
    texts = _texts(svg)
    assert "2022/23 Q2" in texts and "2022/23 Q3" in texts, texts
    assert overlapping_ticks(figure) == []


# --- Gaps ----------------------------------------------------------------------------------------------

ANNUAL_WITH_GAP = [("2014/15", 10), ("2015/16", 12), ("2016/17", 11), ("2020/21", 15), ("2021/22", 17)]


@pytest.mark.parametrize(("edition", "narrow"), LAYOUTS, ids=LAYOUT_IDS)
def test_years_missing_are_drawn_as_a_gap(edition, narrow):
    svg, _ = _draw(_kpi("annual", ANNUAL_WITH_GAP), edition, narrow)
    main = _group(svg, "series:0")
    xs = _markers(main)
    assert len(xs) == 5, "every value keeps its marker"
    before, after = xs[2], xs[3]  # 2016/17 and 2020/21
    assert len(_subpaths(main)) == 2
    for x0, x1 in _segments(main):
        assert not (min(x0, x1) <= before + 0.01 and max(x0, x1) >= after - 0.01), "a line crosses the gap"
    assert "no figures between 2016/17 and 2020/21" in svg


def test_a_missing_month_in_a_monthly_series_is_a_gap_and_one_step_is_not():
    kpi = _kpi("monthly", [("2022-01", 1), ("2022-02", 2), ("2022-03", 3), ("2022-06", 4), ("2022-07", 5)])
    svg, _ = _draw(kpi)
    strokes = _subpaths(_group(svg, "series:0"))
    assert [len(s) for s in strokes] == [3, 2]
    assert "between March 2022 and June 2022" in svg


def test_a_month_end_snapshot_next_to_a_month_is_joined():
    kpi = _kpi("monthly", [("2016-10", 1), ("2016-12-01", 2), ("2016-12", 3)])  # 1 December: the end of November
    strokes = _subpaths(_group(_draw(kpi)[0], "series:0"))
    assert [len(s) for s in strokes] == [3]


def test_an_occasional_series_is_joined_at_its_own_pace_and_broken_where_it_skips():
    # Every two years, then four: the four-year stretch is the gap.
    kpi = _kpi("occasional", [("2012", 1), ("2014", 2), ("2016", 3), ("2020", 4), ("2022", 5)])
    strokes = _subpaths(_group(_draw(kpi)[0], "series:0"))
    assert [len(s) for s in strokes] == [3, 2]


def test_a_comparator_missing_a_year_is_broken_too():
    kpi = _kpi(
        "annual",
        [("2018/19", 5), ("2019/20", 6), ("2020/21", 7), ("2021/22", 8), ("2022/23", 9)],
        benchmarks=[
            {
                "name": "england",
                "values": [
                    {"period": p, "value": v}
                    for p, v in (("2018/19", 4), ("2019/20", 5), ("2020/21", 6), ("2022/23", 7))
                ],
            }
        ],
    )
    svg, _ = _draw(kpi)
    assert [len(s) for s in _subpaths(_group(svg, "series:1"))] == [3, 1]
    assert [len(s) for s in _subpaths(_group(svg, "series:0"))] == [5]


# --- A new series ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("edition", "narrow"), LAYOUTS, ids=LAYOUT_IDS)
def test_a_new_series_starts_a_new_line_with_a_marked_break(edition, narrow):
    values = [("2018/19", 10), ("2019/20", 12), ("2020/21", 11), ("2021/22", 30), ("2022/23", 32)]
    svg, figure = _draw(_kpi("annual", values, starts=("2021/22",)), edition, narrow)
    main = _group(svg, "series:0")
    xs = _markers(main)
    assert [len(s) for s in _subpaths(main)] == [3, 2]
    for x0, x1 in _segments(main):
        assert not (min(x0, x1) <= xs[2] + 0.01 and max(x0, x1) >= xs[3] - 0.01), "a line joins across the break"
    rule = _group(svg, "break:0:0").find(f"{SVG}path")
    assert rule is not None
    assert "stroke-dasharray" in rule.get("style", ""), "the break is dashed, not told by colour alone"
    (rule_x,) = {float(x) for x in re.findall(r"[ML]\s+(-?[\d.]+)", rule.get("d", ""))}
    assert xs[2] < rule_x < xs[3], "the rule stands between the last old value and the first new one"
    words = "New way of counting" if edition == "young" else "New method"
    assert words in _texts(svg).replace("\n", " ")
    assert overlapping_ticks(figure) == []
    desc = ET.fromstring(svg).find(f"{SVG}desc")
    assert desc is not None and "new series starts in 2021/22" in (desc.text or "")


def test_young_words_for_a_break_and_a_gap():
    kpi = _kpi(
        "annual",
        [("2015/16", 1), ("2018/19", 2), ("2019/20", 3), ("2020/21", 4)],
        starts=("2020/21",),
        young={"title": "Foster carers", "explanation": "How many."},
    )
    spec = line_spec(kpi, "young")
    text = alt_text(kpi, spec, "young")
    assert "The line has gaps where we have no numbers." in text
    assert "We started counting in a new way in 2020/21, so the line starts again." in text


def test_a_value_flagged_new_series_at_the_start_draws_no_break():
    svg, _ = _draw(_kpi("annual", [("2020/21", 1), ("2021/22", 2)], starts=("2020/21",)))
    assert 'id="break:' not in svg
    assert [len(s) for s in _subpaths(_group(svg, "series:0"))] == [2]


@pytest.mark.parametrize(("edition", "narrow"), LAYOUTS, ids=LAYOUT_IDS)
def test_the_break_words_touch_no_other_text(edition, narrow):
    from generator.charts.layout import renderer, visible_texts

    values = [("2014/15", 11), ("2015/16", 6.7), ("2016/17", 11.5), ("2021/22", 3.9)]
    kpi = _kpi("annual", values, starts=("2021/22",), target=15)
    _, figure = _draw(kpi, edition, narrow)
    rend = renderer(figure)
    texts = visible_texts(figure, rend)
    (label,) = [t for t in texts if (getattr(t, "get_gid", lambda: "")() or "").startswith("break-label:")]
    box = label.get_window_extent(rend)
    axes = figure.axes[0].bbox
    assert axes.x0 <= box.x0 and box.x1 <= axes.x1, "the words stay over the plot"
    for other in texts:
        if other is not label:
            assert not box.overlaps(other.get_window_extent(rend)), other


def test_the_description_names_the_words_the_chart_shows_at_a_break():
    kpi = _kpi("annual", [("2019/20", 1), ("2020/21", 2), ("2021/22", 3)], starts=("2021/22",))
    for edition, words in (("standard", "New method"), ("young", "New way of counting")):
        svg, _ = _draw(kpi, edition, True)
        desc = ET.fromstring(svg).find(f"{SVG}desc")
        assert desc is not None and f"marked '{words}'" in (desc.text or ""), edition
