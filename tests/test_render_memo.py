"""`panelsite serve` renders again only the pages whose inputs changed, and the site it gives is
the one a full build gives: the same pages, files, navigation and problems, after any edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.charts import ChartCache
from generator.dataset import DatasetLoader
from generator.pipeline import GeneratedSite, generate, load_project
from generator.render_memo import RenderMemo
from tests.conftest import copy_fixture, write

EVENT = "data/events/2017-05-11-thank-you.yml"
KPI = "data/kpis/care-leavers-in-education-employment-training.yml"


def replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def override_template(root: Path) -> None:
    """A council's own event template (a theme override) changes every event page."""
    packaged = Path(__file__).resolve().parent.parent / "theme" / "templates" / "event.md.j2"
    write(root, "theme/templates/event.md.j2", packaged.read_text(encoding="utf-8") + "\nOverridden by the council.\n")


# Each edit changes text that other pages may show too (titles, names, meanings, sources).
EDITS: dict[str, Callable[[Path], None]] = {
    "event title": replace(EVENT, "title: ", "title: Renamed "),
    "kpi title": replace(KPI, "title: ", "title: Renamed "),
    "kpi value": replace(KPI, "value: 73.0}", "value: 63.0}"),
    "meeting": replace("data/meetings/2017-07-18.yml", "title: ", "title: Renamed "),
    "update title": replace("data/updates/2017-06-lac-council.yml", "title: ", "title: Renamed "),
    "pledge promise": replace("data/pledge.yml", "text: ", "text: Renamed "),
    "glossary meaning": replace("data/glossary.yml", "meaning: ", "meaning: Renamed "),
    "source title": replace("data/sources.yml", "title: ", "title: Renamed "),
    "entitlement": replace("data/entitlements/money.yml", "title: ", "title: Renamed "),
    "settings": replace("site_config.yml", "council: ", "council: Renamed "),
    "template override": override_template,
    "broken record": replace(EVENT, "title:", "titel:"),
}


@pytest.fixture(scope="module")
def charts() -> ChartCache:
    """One in-memory chart cache for every build here (charts are cached by what shapes them)."""
    return ChartCache(None)


def full_build(root: Path, edition: str, charts: ChartCache) -> GeneratedSite:
    return generate(load_project(root / "site_config.yml"), edition, charts)


class Served:
    """What `panelsite serve` keeps between rebuilds of one edition: the loader and the memo."""

    def __init__(self, root: Path, edition: str, charts: ChartCache) -> None:
        self.root, self.edition, self.charts = root, edition, charts
        self.loader, self.memo = DatasetLoader(), RenderMemo()

    def rebuild(self) -> GeneratedSite:
        project = load_project(self.root / "site_config.yml", loader=self.loader)
        return generate(project, self.edition, self.charts, memo=self.memo)


def assert_same_site(kept: GeneratedSite, full: GeneratedSite) -> None:
    assert kept.pages == full.pages
    assert kept.assets == full.assets
    assert kept.nav == full.nav
    assert [p.format() for p in kept.problems] == [p.format() for p in full.problems]


@pytest.mark.parametrize("edition", ["standard", "young"])
@pytest.mark.parametrize("change", list(EDITS))
def test_a_rebuild_after_an_edit_is_the_full_build(tmp_path, change, edition, charts):
    root = copy_fixture(tmp_path / "project")
    served = Served(root, edition, charts)
    memo = served.memo
    first = served.rebuild()
    assert memo.reused == 0 and memo.rendered > 0
    EDITS[change](root)
    again = served.rebuild()
    assert_same_site(again, full_build(root, edition, charts))
    if change == "broken record":
        assert again.problems.has_errors
    elif edition == "standard":  # the young edition shows records' own plain words, not always these
        assert again.pages != first.pages or again.assets != first.assets, "the edit shows somewhere"


def test_editing_one_event_renders_only_the_pages_made_from_it(tmp_path, charts):
    root = copy_fixture(tmp_path / "project")
    served = Served(root, "standard", charts)
    rebuild, memo = served.rebuild, served.memo
    first = rebuild()
    generated = memo.rendered
    again = rebuild()
    assert (memo.rendered, memo.reused) == (0, generated), "nothing changed, nothing is rendered"
    assert again.pages == first.pages and again.assets == first.assets
    EDITS["event title"](root)
    rebuild()
    # The event's page and the events index; every other generated page is kept.
    assert (memo.rendered, memo.reused) == (2, generated - 2)


def test_a_changed_setting_renders_every_page_again(tmp_path, charts):
    root = copy_fixture(tmp_path / "project")
    served = Served(root, "standard", charts)
    rebuild, memo = served.rebuild, served.memo
    rebuild()
    generated = memo.rendered
    EDITS["settings"](root)
    rebuild()
    assert (memo.rendered, memo.reused) == (generated, 0)


def test_a_deleted_record_leaves_no_page_behind(tmp_path, charts):
    root = copy_fixture(tmp_path / "project")
    rebuild = Served(root, "standard", charts).rebuild
    assert "events/2017-05-11-thank-you.md" in rebuild().pages
    (root / EVENT).unlink()
    again = rebuild()
    assert "events/2017-05-11-thank-you.md" not in again.pages
    assert_same_site(again, full_build(root, "standard", charts))


def test_a_kpi_edit_works_out_the_figures_of_that_kpi_alone(tmp_path, charts, monkeypatch):
    """The scorecard shows every KPI's figures; after one KPI's edit only its figures are worked out again
    (and `test_a_rebuild_after_an_edit_is_the_full_build` checks the pages are still the full build's)."""
    from generator.pages import kpis

    worked_out: list[str] = []
    real = kpis.kpi_view

    def counted(kpi, *args):
        worked_out.append(kpi.id)
        return real(kpi, *args)

    monkeypatch.setattr(kpis, "kpi_view", counted)
    root = copy_fixture(tmp_path / "project")
    served = Served(root, "standard", charts)
    served.rebuild()
    assert len(worked_out) > 1
    worked_out.clear()
    EDITS["kpi value"](root)
    served.rebuild()
    assert worked_out == [Path(KPI).stem]
    worked_out.clear()
    EDITS["settings"](root)  # what every page reads: every KPI's figures again
    served.rebuild()
    assert len(worked_out) > 1
