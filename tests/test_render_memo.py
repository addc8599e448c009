"""`panelsite serve` renders again only the pages whose inputs changed, and the site it gives is
the one a full build gives: the same pages, files, navigation and problems, after any edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.charts import ChartCache
from generator.check_memo import CheckMemo
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
        self.loader, self.memo, self.checks = DatasetLoader(), RenderMemo(), CheckMemo()

    def rebuild(self) -> GeneratedSite:
        project = load_project(self.root / "site_config.yml", loader=self.loader, checks=self.checks)
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


def test_a_kept_page_is_hashed_again_only_when_its_text_or_files_are_other_objects(monkeypatch):
    """While a kept page holds the very `str` and `bytes` its hash was worked out from, the hash holds
    and is not worked out again; a file put in their place is hashed, and a different one refused."""
    from types import SimpleNamespace

    from generator import render_memo

    hashed: list[str] = []
    real = render_memo._digest

    def counted(text: str, assets: dict[str, bytes]) -> str:
        hashed.append(text)
        return real(text, assets)

    monkeypatch.setattr(render_memo, "_digest", counted)
    page: Any = SimpleNamespace(path="events/party.md", template="event.md.j2", title="Party")
    page.own_inputs = lambda: ("record",)
    memo = RenderMemo()
    memo.begin(("shared",))
    memo.put(page, "# Party\n", {"events/party.csv": b"a,b\n"}, ())
    memo.end()
    assert len(hashed) == 1
    for _ in range(3):
        memo.begin(("shared",))
        assert memo.get(page) is not None
        memo.end()
    assert len(hashed) == 1, "the same objects: not hashed again"
    memo._pages[page.path].assets["events/party.csv"] = bytes(bytearray(b"a,b\n"))  # equal bytes, another object
    memo.begin(("shared",))
    assert memo.get(page) is not None
    memo.end()
    assert len(hashed) == 2, "another object is hashed (and, being the same bytes, kept)"
    memo._pages[page.path].assets["events/party.csv"] = b"=HYPERLINK(1)\n"
    memo.begin(("shared",))
    assert memo.get(page) is None, "a file changed in the memo's own entry is rendered again"
    memo.end()
