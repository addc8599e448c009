"""Charts drawn in parallel are byte for byte the charts drawn one after another."""

import pytest

from generator.chart_pool import draw_in_parallel
from generator.charts import ChartCache, render_kpi_charts
from generator.charts.kpi_charts import VARIANTS
from generator.pipeline import generate, load_project
from tests.conftest import REPO


def _project():
    return load_project(REPO / "site_config.yml")


@pytest.mark.slow
def test_same_bytes_serial_and_parallel():
    project = _project()
    kpis = list(project.dataset.kpis.values())[:6]
    for edition in ("standard", "young"):
        serial = ChartCache(None)
        for kpi in kpis:
            render_kpi_charts(kpi, edition, serial)
        parallel = ChartCache(None)
        drawn = draw_in_parallel(kpis, edition, parallel, workers=2)
        assert drawn == len(serial.memory) >= 6
        assert parallel.memory == serial.memory  # same keys, same bytes
        for kpi in kpis:  # the pages then find every chart in the cache
            render_kpi_charts(kpi, edition, parallel)
        assert parallel.rendered == drawn


def test_nothing_to_draw_when_cached():
    project = _project()
    kpis = list(project.dataset.kpis.values())[:2]
    cache = ChartCache(None)
    for kpi in kpis:
        render_kpi_charts(kpi, "standard", cache)
    assert draw_in_parallel(kpis, "standard", cache, workers=2) == 0


def test_generate_counts_charts_drawn_ahead_as_rendered():
    project = _project()
    site = generate(project, "young", ChartCache(None))
    # Each chart is drawn twice, wide and narrow; each file holds both colour schemes.
    assert site.charts_rendered == len(VARIANTS) * len(project.settings.young_kpis)
    assert site.charts_reused == 0


def test_tampered_entries_are_drawn_again_in_parallel(tmp_path):
    project = _project()
    kpis = list(project.dataset.kpis.values())[:3]
    folder = tmp_path / "charts"
    first = ChartCache(folder)
    for kpi in kpis:
        render_kpi_charts(kpi, "young", first)
    first.save()
    entries = sorted(p for p in folder.iterdir() if p.is_file())
    for entry in entries[:2]:
        entry.write_bytes(entry.read_bytes().replace(b"</svg>", b"<script>alert(1)</script></svg>"))
    for entry in entries[2:]:  # fewer entries than KPIs: not taken for a warm cache
        entry.unlink()
    again = ChartCache(folder)
    assert draw_in_parallel(kpis, "young", again, workers=2) == len(entries), "the tampered two are drawn too"
    assert all(b"<script" not in svg for svg in again.memory.values())


def test_the_young_editions_charts_are_drawn_in_parallel_after_the_standard_editions(tmp_path):
    """Issue 26: a cold build draws the standard edition first; its files in the cache folder must not make
    the young edition's missing charts look cached (they were then drawn one after another)."""
    project = _project()
    kpis = [project.dataset.kpis[k] for k in project.settings.young_kpis][:3]
    folder = tmp_path / "charts"
    standard = ChartCache(folder)
    assert draw_in_parallel(kpis, "standard", standard, workers=2) >= 2 * len(kpis)
    standard.save()  # as the standard edition's build does when it ends
    young = ChartCache(folder)
    assert draw_in_parallel(kpis, "young", young, workers=2) == len(VARIANTS) * len(kpis)
    young.save()
    again = ChartCache(folder)
    assert draw_in_parallel(kpis, "young", again, workers=2) == 0, "a warm cache: nothing drawn ahead"
