import re

from generator import charts
from generator.charts.kinds import line_chart
from generator.charts.kpi_charts import alt_text, line_spec
from generator.charts.render import ChartCache, figure_to_svg
from generator.charts.style import BACKGROUND, PALETTE, STYLES, contrast_ratio
from generator.models import Kpi

KPI = Kpi.model_validate({
    "id": "cla", "title": "Children looked after", "definition": "d", "theme": "t", "unit": "count",
    "polarity": "information only", "frequency": "monthly", "source": {"doc": "s"},
    "values": [{"period": "2016-01", "value": 424}, {"period": "2022-12", "value": 551}],
    "benchmarks": [{"name": "england", "values": [{"period": "2016-01", "value": 400},
                                                  {"period": "2022-12", "value": 420}]}],
    "breakdowns": [{"title": "By type of home", "period": "2018-12-31", "unit": "count", "source": {"doc": "s"},
                    "items": [{"label": "Foster care", "value": 400}, {"label": "Residential", "value": 50}]}],
})


def _svg(edition="standard", cache=None):
    return charts.render_kpi_charts(KPI, edition, cache or ChartCache(None))


def test_svg_has_title_desc_and_real_text():
    svg = _svg()[0].svg.decode()
    assert '<title id="chart-title">Children looked after</title>' in svg
    assert '<desc id="chart-desc">Line chart. Children looked after rose from 424 in January 2016' in svg
    assert 'role="img"' in svg
    assert re.search(r"<text[^>]*>.*Rotherham", svg), "labels are text, not paths"
    assert "England" in svg


def test_charts_are_byte_identical_across_renders():
    first = [c.svg for c in _svg()]
    second = [c.svg for c in _svg()]
    assert first == second
    assert b"<dc:date>" not in first[0]


def test_breakdown_bar_chart_in_standard_only():
    assert [c.filename for c in _svg()] == ["cla.svg", "cla-breakdown-1.svg"]
    assert [c.filename for c in _svg("young")] == ["cla.svg"]


def test_young_chart_is_simpler():
    spec = line_spec(KPI, "young")
    assert [s.name for s in spec.series] == ["Rotherham"]
    assert STYLES["young"].font_size > STYLES["standard"].font_size


def test_palette_contrast():
    for colour in PALETTE:
        assert contrast_ratio(colour, BACKGROUND) >= 3
    for first, second in zip(PALETTE, PALETTE[1:] + PALETTE[:1], strict=True):
        assert contrast_ratio(first, second) >= 3


def test_alt_text_names_every_series():
    assert alt_text(KPI, line_spec(KPI, "standard")).endswith("Also shown: England.")


def test_cache_counts_renders_and_reuse(tmp_path):
    cache = ChartCache(tmp_path)
    _svg(cache=cache)
    assert (cache.rendered, cache.reused) == (2, 0)
    fresh = ChartCache(tmp_path)
    _svg(cache=fresh)
    assert (fresh.rendered, fresh.reused) == (0, 2)


def test_figure_to_svg_escapes_title():
    svg = figure_to_svg(line_chart(line_spec(KPI, "standard"), STYLES["standard"]), "<b>&", "d").decode()
    assert "<title id=\"chart-title\">&lt;b&gt;&amp;</title>" in svg


def test_csv_is_tidy():
    rows = charts.table_rows(KPI, lambda doc: "Source paper")
    text = charts.csv_text(rows)
    assert text.splitlines()[0] == "period,series,value,numerator,denominator,provisional,source"
    assert "2022-12,Rotherham,551,,,no,Source paper" in text
    assert "2022-12,England,420,,,no,Source paper" in text
