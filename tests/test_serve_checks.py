"""`panelsite serve` runs the checks of one data file at a time again only on the files a save changed,
and the problems are exactly those of a fresh load, in the same order, whatever the save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.check_memo import CheckMemo
from generator.dataset import DatasetLoader
from generator.dating import check_dating_words
from generator.pipeline import Project, load_project
from tests.conftest import copy_fixture
from tests.test_render_memo import replace

EVENT = "data/events/2017-05-11-thank-you.yml"


# Each save makes (or, saved back, clears) a finding of one of the checks kept between loads.
SAVES: dict[str, Callable[[Path], None]] = {
    "dating words": replace(
        EVENT, "  title: A party to say thank you", "  title: This winter, a party to say thank you"
    ),
    "phone number": replace(EVENT, "title: Thank-you event", "title: Call 01234 567890 for the event"),
    "control character": replace(EVENT, "title: Thank-you event for young people", 'title: "Thank-you\\a event"'),
}


def formatted(project: Project) -> list[str]:
    return [problem.format() for problem in project.problems]


def served_and_fresh(root: Path, loader: DatasetLoader, checks: CheckMemo) -> tuple[Project, Project]:
    kept = load_project(root / "site_config.yml", loader=loader, checks=checks)
    return kept, load_project(root / "site_config.yml")


@pytest.mark.parametrize("save", list(SAVES))
def test_problems_after_a_save_are_a_fresh_loads(tmp_path, save):
    root = copy_fixture(tmp_path / "project")
    loader, checks = DatasetLoader(), CheckMemo()
    first, _ = served_and_fresh(root, loader, checks)
    files = checks.checked
    assert files > 10, "the first load checks every file"
    again, _ = served_and_fresh(root, loader, checks)
    assert checks.checked == 0 and formatted(again) == formatted(first), "nothing saved, nothing checked again"
    saved = (root / EVENT).read_text(encoding="utf-8")
    SAVES[save](root)
    kept, fresh = served_and_fresh(root, loader, checks)
    assert formatted(kept) == formatted(fresh)
    assert formatted(kept) != formatted(first), "the save changed what the checks find"
    assert 0 < checks.checked <= 3, "only the saved file is checked again, once a check"
    (root / EVENT).write_text(saved, encoding="utf-8")
    back, _ = served_and_fresh(root, loader, checks)
    assert formatted(back) == formatted(first), "saved back, the finding is gone"


def test_a_later_day_finds_dating_words_in_files_it_kept(tmp_path):
    root = copy_fixture(tmp_path / "project")
    SAVES["dating words"](root)
    project = load_project(root / "site_config.yml")
    checks = CheckMemo()
    checks.begin()
    early = check_dating_words(project.dataset, dt.date(2017, 6, 1), checks)
    checks.end()
    checks.begin()
    late = check_dating_words(project.dataset, dt.date(2030, 1, 1), checks)
    checks.end()
    assert not early.items and late.items, "the day is an input: kept findings of another day are not used"
    assert [p.format() for p in late.items] == [
        p.format() for p in check_dating_words(project.dataset, dt.date(2030, 1, 1)).items
    ]
