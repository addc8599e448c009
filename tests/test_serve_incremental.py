"""`serve` re-reads only the data files that changed; the result is the same as a fresh load."""

import os
import shutil
from pathlib import Path

import pytest

from generator.dataset import DatasetLoader, load_dataset
from generator.pipeline import Project, load_project
from tests.conftest import copy_fixture

EVENT = "data/events/2017-05-11-thank-you.yml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_fixture(tmp_path / "project")


def fresh(root: Path):
    return load_dataset(root / "data", root)


def assert_same(incremental, full) -> None:
    """Records, documents, origins, invalid records and every located problem, in order."""
    (dataset, problems), (expected, expected_problems) = incremental, full
    assert dataset == expected
    assert dataset.documents == expected.documents
    assert dataset.origins == expected.origins
    assert [p.format() for p in problems] == [p.format() for p in expected_problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_editing_one_file_parses_only_it_and_matches_a_full_load(root):
    loader = DatasetLoader()
    first = loader.load(root / "data", root)
    assert loader.parsed == len(first[0].documents)
    assert_same(first, fresh(root))
    edit(root / EVENT, "Thank-you event for young people", "Thank-you party, renamed")
    again = loader.load(root / "data", root)
    assert loader.parsed == 1
    assert again[0].events["2017-05-11-thank-you"].title == "Thank-you party, renamed"
    assert_same(again, fresh(root))
    loader.load(root / "data", root)
    assert loader.parsed == 0


def test_an_edit_that_breaks_a_record_gives_the_located_error_and_fixing_it_clears_it(root):
    loader = DatasetLoader()
    loader.load(root / "data", root)
    edit(root / EVENT, "title:", "titel:")
    broken = loader.load(root / "data", root)
    assert loader.parsed == 1
    assert "2017-05-11-thank-you" not in broken[0].events
    assert any(p.file == EVENT and "titel" in p.format() for p in broken[1].errors)
    assert_same(broken, fresh(root))
    edit(root / EVENT, "titel:", "title:")
    fixed = loader.load(root / "data", root)
    assert not fixed[1].errors
    assert_same(fixed, fresh(root))


def test_a_same_size_edit_with_the_old_modification_time_is_still_seen(root):
    loader = DatasetLoader()
    loader.load(root / "data", root)
    path = root / EVENT
    before = path.stat()
    edit(path, "Thank-you event", "Thank-you EVENT")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    dataset, _ = loader.load(root / "data", root)
    assert dataset.events["2017-05-11-thank-you"].title.startswith("Thank-you EVENT")


def test_deleting_and_adding_files_reruns_the_cross_record_checks(root):
    loader = DatasetLoader()
    loader.load(root / "data", root)
    meeting = root / "data/meetings/2017-07-18.yml"
    saved = meeting.read_text(encoding="utf-8")
    meeting.unlink()
    deleted = loader.load(root / "data", root)
    assert loader.parsed == 0
    assert "2017-07-18" not in deleted[0].meetings
    assert "data/meetings/2017-07-18.yml" not in deleted[0].documents
    assert deleted[1].errors, "an update or meeting refers to the deleted meeting"
    assert_same(deleted, fresh(root))
    meeting.write_text(saved, encoding="utf-8")
    shutil.copy(root / EVENT, root / "data/events/2017-05-11-thank-you-again.yml")
    added = loader.load(root / "data", root)
    assert loader.parsed == 2
    assert "2017-07-18" in added[0].meetings and "2017-05-11-thank-you-again" in added[0].events
    assert_same(added, fresh(root))


def test_a_file_replaced_by_a_link_outside_the_project_is_refused_again(root, tmp_path):
    loader = DatasetLoader()
    loader.load(root / "data", root)
    outside = tmp_path / "outside.yml"
    shutil.copy(root / EVENT, outside)
    (root / EVENT).unlink()
    (root / EVENT).symlink_to(outside)
    linked = loader.load(root / "data", root)
    assert any("outside the project" in p.message for p in linked[1].errors)
    assert_same(linked, fresh(root))


def test_other_limits_parse_everything_again(root):
    from generator.yamlio import Limits

    loader = DatasetLoader()
    first = loader.load(root / "data", root)
    small = loader.load(root / "data", root, limits=Limits(file_size=100))
    assert loader.parsed == len(first[0].documents)
    assert small[1].errors and all("limit" in p.message for p in small[1].errors)
    assert_same(small, load_dataset(root / "data", root, limits=Limits(file_size=100)))


def test_a_project_loaded_with_a_kept_loader_is_the_same_as_a_fresh_one(root):
    loader = DatasetLoader()
    config = root / "site_config.yml"
    first = load_project(config, loader=loader)
    assert isinstance(first, Project)
    edit(root / EVENT, "Thank-you event for young people", "Thank-you party, renamed")
    again, full = load_project(config, loader=loader), load_project(config)
    assert isinstance(again, Project) and isinstance(full, Project)
    assert loader.parsed == 1
    assert again.dataset == full.dataset
    assert [p.format() for p in again.problems] == [p.format() for p in full.problems]
