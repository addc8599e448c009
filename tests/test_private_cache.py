"""Derived text kept between builds: private to the user, JSON only, never stale."""

import os
import stat

from generator import private_cache, young_checks
from generator.private_cache import JsonStore, private_folder

PAGE = "---\ntitle: A page\n---\n\n# A page\n\nWe met on *Monday*. It was fun.\n\n| a | b |\n|---|---|\n| one | two |\n"


def test_the_folder_is_refused_unless_only_the_user_may_use_it(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = private_folder()
    assert folder is not None and stat.S_IMODE(os.lstat(folder).st_mode) == 0o700
    folder.chmod(0o777)
    assert private_folder() is None
    folder.chmod(0o700)
    folder.rmdir()
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    folder.symlink_to(tmp_path / "elsewhere")
    assert private_folder() is None  # a link planted in its place is not followed


def test_values_are_kept_by_input_and_by_code(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    store = JsonStore("test", "v1")
    assert store.get("text") is None
    store.put("text", ["a", "b"])
    assert store.get("text") == ["a", "b"]
    assert store.get("other text") is None
    assert JsonStore("test", "v2").get("text") is None
    for path in (tmp_path / f"panelsite-cache-{os.getuid()}").glob("test-*.json"):
        path.write_text("{not json", encoding="utf-8")
    assert store.get("text") is None


def test_young_text_from_the_store_is_the_text_made_afresh(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(young_checks, "_TEXT_STORE", JsonStore("young-text", "test"))
    fresh = young_checks._main_text(PAGE)
    assert fresh == ["A page", "We met on Monday. It was fun.", "a", "b", "one", "two"]
    assert young_checks.main_text(PAGE) == fresh  # made, then kept
    young_checks._TEXT_STORE.put(PAGE, ["planted"])
    assert young_checks.main_text(PAGE) == ["planted"]  # the kept value is what is used...
    young_checks._TEXT_STORE.put(PAGE, {"not": "blocks"})
    assert young_checks.main_text(PAGE) == fresh  # ...unless it is not a list of text
