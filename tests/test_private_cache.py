"""Derived text kept between builds: private to the user, JSON only, never stale."""

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

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
    assert private_folder() == folder  # the user's own stale link is replaced by a real folder...
    assert not folder.is_symlink() and folder.is_dir() and (tmp_path / "elsewhere").is_dir()


def test_values_are_kept_by_input_and_by_code(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    store = JsonStore("test", "v1")
    assert store.get("text") is None
    store.put("text", ["a", "b"])
    assert store.get("text") == ["a", "b"]
    assert store.get("other text") is None
    assert JsonStore("test", "v2").get("text") is None
    (entry,) = _entries(tmp_path, "test")
    entry.write_text("{not json", encoding="utf-8")
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


def _entries(tmp_path, kind="young-text"):
    """The entry files of one kind of work in the user's folder under `tmp_path`."""
    return sorted(p for p in (tmp_path / f"panelsite-cache-{os.getuid()}" / kind).iterdir() if p.is_file())


def test_a_folder_or_link_planted_by_another_user_is_refused_and_not_followed(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    target = tmp_path / "attackers"
    target.mkdir(mode=0o700)
    root = tmp_path / f"panelsite-cache-{os.getuid() + 1}"
    root.symlink_to(target)
    monkeypatch.setattr(private_cache.os, "getuid", lambda: os.lstat(tmp_path).st_uid + 1)
    assert private_cache.safe_cache_dir("charts") is None  # the planted link is someone else's
    assert root.is_symlink() and list(target.iterdir()) == []  # nothing written through it
    root.unlink()
    root.mkdir(mode=0o700)  # a real folder, made first by someone else
    assert private_cache.safe_cache_dir("templates") is None
    assert list(root.iterdir()) == []


def test_a_named_cache_folder_is_made_private_component_by_component(tmp_path):
    folder = private_cache.safe_cache_dir(".cache/panelsite/charts", base=tmp_path)
    assert folder == tmp_path / ".cache" / "panelsite" / "charts"
    for part in (tmp_path / ".cache", tmp_path / ".cache" / "panelsite", folder):
        assert stat.S_IMODE(os.lstat(part).st_mode) == 0o700
    (tmp_path / "out").mkdir()
    (tmp_path / "x").symlink_to(tmp_path / "out")
    assert private_cache.safe_cache_dir("x/y", base=tmp_path) == tmp_path / "x" / "y"
    assert not (tmp_path / "out" / "y").exists()  # the link was replaced, not followed
    for bad in ("../up", "/abs"):
        try:
            private_cache.safe_cache_dir(bad, base=tmp_path)
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")


def test_read_checked_gives_back_only_a_sound_entry_and_deletes_the_rest(tmp_path):
    path = tmp_path / "entry"
    made_from = private_cache.entry_hash("input")
    assert private_cache.write_checked(path, made_from, b"[1, 2]")
    assert private_cache.read_checked(path, made_from, private_cache.json_value) == [1, 2]
    assert private_cache.read_checked(path, private_cache.entry_hash("other"), private_cache.json_value) is None
    assert not path.exists()  # made from something else: deleted, to be made again
    private_cache.write_checked(path, made_from, b"[1, 2]")
    path.write_bytes(path.read_bytes().replace(b"[1, 2]", b"[1, 3]"))
    assert private_cache.read_checked(path, made_from, private_cache.json_value) is None  # bytes changed
    private_cache.write_checked(path, made_from, b'{"a": 1}')
    assert private_cache.read_checked(path, made_from, lambda b: private_cache.json_value(b)["list"]) is None
    private_cache.write_checked(path, made_from, b"[NaN]")
    assert private_cache.read_checked(path, made_from, private_cache.json_value) is None
    (tmp_path / "real").write_bytes((tmp_path / "real").name.encode())
    path.symlink_to(tmp_path / "real")
    assert private_cache.read_checked(path, made_from, lambda b: b) is None  # a link is not read
    assert (tmp_path / "real").exists()


def test_a_tampered_young_text_entry_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(young_checks, "_TEXT_STORE", JsonStore("young-text", "test"))
    fresh = young_checks.main_text(PAGE)
    (entry,) = _entries(tmp_path)
    header, _, _ = entry.read_bytes().partition(b"\n")
    entry.write_bytes(header + b'\n["planted"]')  # the old hash no longer matches the bytes
    assert young_checks.main_text(PAGE) == fresh
    entry.write_text("[]", encoding="utf-8")  # no header at all
    assert young_checks.main_text(PAGE) == fresh


def test_an_entry_sealed_under_another_key_is_not_read(tmp_path, monkeypatch):
    """Someone who can write the cache but not read the user's key cannot make an entry the user reads:
    their entry, sealed with their own key, and one copied from another user's cache, are refused."""
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    path = tmp_path / "entry"
    made_from = private_cache.entry_hash("input")
    forged = private_cache.seal(b"k" * 32, made_from, b'["planted"]')
    path.write_bytes(b"panelsite-cache 2 " + f"{made_from} {forged}\n".encode() + b'["planted"]')
    assert private_cache.read_checked(path, made_from, private_cache.json_value) is None
    assert not path.exists()
    assert private_cache.write_checked(path, made_from, b'["mine"]')
    assert private_cache.read_checked(path, made_from, private_cache.json_value) == ["mine"]
    old_format = b"panelsite-cache 1 " + f"{made_from} {hashlib.sha256(b'[1]').hexdigest()}\n".encode() + b"[1]"
    path.write_bytes(old_format)  # an unsealed entry of the format before
    assert private_cache.read_checked(path, made_from, private_cache.json_value) is None


@pytest.mark.parametrize("planted", ["readable by others", "a link", "too short"])
def test_a_key_file_that_is_not_private_is_replaced_and_its_entries_made_again(tmp_path, monkeypatch, planted):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(private_cache, "_KEYS", {})
    path = tmp_path / "entry"
    made_from = private_cache.entry_hash("input")
    assert private_cache.write_checked(path, made_from, b"[1]")
    key_file = tmp_path / f"panelsite-cache-{os.getuid()}" / private_cache.KEY_FILE
    known = key_file.read_bytes()
    if planted == "readable by others":
        key_file.chmod(0o644)  # someone may have read it, or a copy carried it here
    elif planted == "a link":
        (tmp_path / "theirs").write_bytes(known)
        key_file.unlink()
        key_file.symlink_to(tmp_path / "theirs")
    else:
        key_file.write_bytes(b"short")
    monkeypatch.setattr(private_cache, "_KEYS", {})
    assert private_cache.read_checked(path, made_from, private_cache.json_value) is None
    assert not key_file.is_symlink() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes() != known and len(key_file.read_bytes()) == 32


def test_a_store_reads_only_what_its_manifest_lists(tmp_path):
    root = private_cache.safe_cache_dir("cache", base=tmp_path)
    store = private_cache.CheckedStore(root, "charts", "v1")
    made_from = store.made_from("chart")
    store.put("ab" * 16, made_from, b"<svg/>")
    assert store.get("ab" * 16, made_from, bytes) == b"<svg/>"  # made by this run
    assert private_cache.CheckedStore(root, "charts", "v1").get("ab" * 16, made_from, bytes) is None  # not listed
    store.save()
    again = private_cache.CheckedStore(root, "charts", "v1")
    assert again.get("ab" * 16, made_from, bytes) == b"<svg/>" and again.hits == 1
    assert private_cache.read_manifest(root) == {"charts": {"ab" * 16: made_from}}
    # One manifest for the folder: another kind of work lists its entries beside these.
    pages = private_cache.CheckedStore(root, "pages/standard", "v1")
    pages.put("cd" * 16, pages.made_from("page"), b"<p>")
    pages.save()
    assert set(private_cache.read_manifest(root)) == {"charts", "pages/standard"}
    assert sorted(p.name for p in root.iterdir() if p.is_file()) == [".manifest.lock", "manifest.json"]


def test_a_lasting_store_lists_its_entries_in_batches_and_at_exit(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    store = private_cache.LastingStore("parsed", "v1", batch=3)
    for n in range(2):
        store.put(f"{n:032x}", store.made_from(str(n)), b"[]")
    root = tmp_path / f"panelsite-cache-{os.getuid()}"
    assert private_cache.read_manifest(root) == {}
    store.put(f"{2:032x}", store.made_from("2"), b"[]")
    assert len(private_cache.read_manifest(root)["parsed"]) == 3
    store.put(f"{3:032x}", store.made_from("3"), b"[]")
    store.flush()  # what atexit calls
    assert len(private_cache.read_manifest(root)["parsed"]) == 4


def _entry_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_a_packed_store_keeps_a_run_s_entries_in_one_file_listed_in_the_manifest(tmp_path):
    root = private_cache.safe_cache_dir("cache", base=tmp_path)
    assert root is not None
    store = private_cache.PackedStore(root, "pages/standard", "v1")
    made = {n: store.made_from(str(n)) for n in range(3)}
    for n in range(3):
        store.put(made[n][:40], made[n], f"page {n}".encode())
    assert _entry_files(store.folder) == []  # held until the run saves
    store.save()
    (pack,) = _entry_files(store.folder)
    manifest = private_cache.read_manifest(root)
    assert manifest["pages/standard"] == {made[n][:40]: made[n] for n in range(3)}
    assert list(manifest["packs:pages/standard"]) == [pack]

    again = private_cache.PackedStore(root, "pages/standard", "v1")
    assert again.get(made[1][:40], made[1], bytes) == b"page 1"
    assert again.get(made[1][:40], again.made_from("other"), bytes) is None  # made from other inputs
    other_code = private_cache.PackedStore(root, "pages/standard", "v2")
    assert other_code.get(made[1][:40], other_code.made_from("1"), bytes) is None
    # A partial run adds a pack of what it made, and lets nothing go.
    new = again.made_from("3")
    again.put(new[:40], new, b"page 3")
    again.save(prune=False)
    assert len(_entry_files(store.folder)) == 2 and len(private_cache.read_manifest(root)["pages/standard"]) == 4
    # A complete run leaves one pack holding exactly what it used or made.
    complete = private_cache.PackedStore(root, "pages/standard", "v1")
    assert complete.get(new[:40], new, bytes) == b"page 3"
    assert complete.get(made[0][:40], made[0], bytes) == b"page 0"
    complete.save()
    assert len(_entry_files(store.folder)) == 1
    assert private_cache.read_manifest(root)["pages/standard"] == {new[:40]: new, made[0][:40]: made[0]}
    last = private_cache.PackedStore(root, "pages/standard", "v1")
    assert last.get(made[0][:40], made[0], bytes) == b"page 0"
    assert last.get(made[1][:40], made[1], bytes) is None  # let go by the complete run
    last.get(new[:40], new, bytes)
    before = _entry_files(store.folder)
    listed = (root / private_cache.MANIFEST).stat().st_ino
    last.save()
    assert _entry_files(store.folder) == before  # nothing changed: the pack is not written again,
    assert (root / private_cache.MANIFEST).stat().st_ino == listed  # nor the manifest


def test_a_packed_entry_is_read_only_from_a_sound_pack_the_manifest_lists_with_it(tmp_path):
    root = private_cache.safe_cache_dir("cache", base=tmp_path)
    assert root is not None
    first = private_cache.PackedStore(root, "search/young", "v1")
    made = first.made_from("page")
    first.put(made[:40], made, b"entries")
    first.save()
    (pack,) = _entry_files(first.folder)
    listed = private_cache.read_manifest(root)
    # Another pack of the user's own, sealed and whole, put in the listed one's place: refused.
    other = private_cache.PackedStore(root, "search/standard", "v1")
    other.put(made[:40], made, b"planted")
    other.save()
    (other_pack,) = _entry_files(other.folder)
    (other.folder / other_pack).replace(first.folder / pack)
    swapped = private_cache.PackedStore(root, "search/young", "v1")
    assert swapped.get(made[:40], made, bytes) is None and swapped.rejected == 1
    assert _entry_files(first.folder) == []  # deleted
    # A sound pack in the folder that the manifest does not list is not read.
    remade = private_cache.PackedStore(root, "search/young", "v1")
    remade.put(made[:40], made, b"entries")
    remade.save()
    assert len(_entry_files(first.folder)) == 1
    manifest = private_cache.read_manifest(root)
    assert manifest["search/young"] == listed["search/young"] == {made[:40]: made}
    manifest.pop("packs:search/young")
    payload = json.dumps(manifest).encode()
    private_cache.write_checked(root / private_cache.MANIFEST, private_cache._MANIFEST_MADE_FROM, payload)
    unlisted = private_cache.PackedStore(root, "search/young", "v1")
    assert unlisted.get(made[:40], made, bytes) is None and unlisted.rejected == 1


def test_a_pack_of_the_wrong_shape_holds_nothing():
    entries = {"ab" * 20: ("made", b"one"), "cd" * 20: ("made", b"two")}
    packed = private_cache._pack_bytes(entries)
    assert private_cache._pack_value(packed) == entries
    assert private_cache._pack_value(packed + b"x") is None  # the lengths do not add up
    assert private_cache._pack_value(packed[:-1]) is None
    index = json.dumps([["ab" * 20, "made", 3], ["ab" * 20, "made", 3]]).encode()
    assert private_cache._pack_value(private_cache._PACK + index + b"\none" + b"two") is None  # listed twice
    index = json.dumps([["../x", "made", 3]]).encode()
    assert private_cache._pack_value(private_cache._PACK + index + b"\none") is None
    with pytest.raises(ValueError):
        private_cache._pack_value(private_cache._PACK + b'[["ab", "made"]]\n')


def test_a_packed_store_writes_a_pack_for_every_pack_size_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache, "PACK_SIZE", 10)
    root = private_cache.safe_cache_dir("cache", base=tmp_path)
    assert root is not None
    store = private_cache.PackedStore(root, "pages/young", "v1")
    made = {n: store.made_from(str(n)) for n in range(3)}
    for n in range(3):
        store.put(made[n][:40], made[n], b"8 bytes" + str(n).encode())
    store.save()
    packs = _entry_files(store.folder)
    assert len(packs) == 2  # two entries reach 10 bytes; the third is a pack of its own
    again = private_cache.PackedStore(root, "pages/young", "v1")
    assert [again.get(made[n][:40], made[n], bytes) for n in range(3)] == [b"8 bytes0", b"8 bytes1", b"8 bytes2"]
    again.save()
    assert _entry_files(store.folder) == packs  # the packs hold exactly what was used: none written
    fewer = private_cache.PackedStore(root, "pages/young", "v1")
    assert fewer.get(made[0][:40], made[0], bytes) == b"8 bytes0"
    fewer.save()
    assert len(_entry_files(store.folder)) == 1 and _entry_files(store.folder) != packs
    assert private_cache.read_manifest(root)["pages/young"] == {made[0][:40]: made[0]}


def test_a_lasting_store_that_only_read_listed_entries_leaves_the_manifest_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(private_cache, "_KEYS", {})
    first = private_cache.LastingStore("parsed", "v1")
    made = first.made_from("a")
    first.put(made[:32], made, b"[]")
    first.flush()
    manifest = tmp_path / f"panelsite-cache-{os.getuid()}" / private_cache.MANIFEST
    written = manifest.stat().st_ino
    reader = private_cache.LastingStore("parsed", "v1")
    assert reader.get(made[:32], made, bytes) == b"[]"
    reader.flush()  # what atexit calls
    assert manifest.stat().st_ino == written  # not rewritten
    other = reader.made_from("b")
    reader.put(other[:32], other, b"{}")
    reader.flush()
    assert manifest.stat().st_ino != written
    assert set(private_cache.read_manifest(manifest.parent)["parsed"]) == {made[:32], other[:32]}
