"""A KPI value saved while `panelsite serve` runs reaches every page that shows it, and only the
pages that changed are rebuilt: what the rebuild keeps from the last build is never stale."""

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from generator.pipeline import generate, load_project
from tests.conftest import write

KPI = "data/kpis/care-leavers-in-education-employment-training.yml"
KPI_PAGE = "performance/care-leavers-in-education-employment-training.md"
SCORECARD = "performance/index.md"


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    return project_with_charts


def save_value(root: Path, value: str) -> None:
    text = (root / KPI).read_text(encoding="utf-8")
    assert '{period: "2022-12", value: 73.0}' in text
    write(root, KPI, text.replace('{period: "2022-12", value: 73.0}', f'{{period: "2022-12", value: {value}}}'))


def rebuild(plugin, config) -> tuple[dict[str, str | bytes], set[str]]:
    """One `serve` rebuild through the plugin: the site's pages and files, and the files MkDocs rebuilds."""
    config = plugin.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    plugin.on_post_build(config=config)
    return {**plugin.site.pages, **plugin.site.assets}, {f.src_uri for f in files if f.generated_by and f.is_modified()}


def test_a_saved_kpi_value_shows_on_its_page_and_the_scorecard_and_nothing_is_stale(project):
    config = load_config(str(project / "site_config.yml"))
    plugin = config.plugins["panelsite"]
    plugin.on_startup(command="serve", dirty=True)
    before, _ = rebuild(plugin, config)
    assert "64.4%" not in str(before[KPI_PAGE]) and "64.4%" not in str(before[SCORECARD])

    save_value(project, "64.4")
    after, changed = rebuild(plugin, config)
    assert "64.4%" in str(after[KPI_PAGE]), "the KPI's own page shows the saved value"
    assert "64.4%" in str(after[SCORECARD]), "the scorecard shows the saved value"
    assert {KPI_PAGE, SCORECARD} <= changed, "both pages are rebuilt"
    assert len(changed) < len(plugin.site.pages) / 2, "the pages that did not change are not rebuilt"
    # Everything the rebuild kept is what a fresh build of the saved data makes.
    fresh = generate(load_project(project / "site_config.yml"), "standard", plugin.cache)
    assert after == {**fresh.pages, **fresh.assets}

    save_value_back = (project / KPI).read_text(encoding="utf-8").replace("value: 64.4}", "value: 73.0}")
    write(project, KPI, save_value_back)
    again, changed = rebuild(plugin, config)
    assert again == before, "saving the old value back gives the old site"
    assert {KPI_PAGE, SCORECARD} <= changed
