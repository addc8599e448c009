from pathlib import Path

import pytest

from generator.yamlio import load


def _load(tmp_path: Path, text: str | bytes):
    path = tmp_path / "x.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load(path, "x.yml")


def test_keeps_line_and_column_of_every_value(tmp_path):
    doc, problems = _load(tmp_path, "a: 1\nlist:\n  - name: x\n    when: 2017-05-11\n")
    assert not len(problems)
    assert doc.where(("list", 0, "when")) == (4, 11)
    assert doc.key_where(("list", 0, "when")) == (4, 5)


def test_dates_stay_strings_so_bad_dates_get_a_location(tmp_path):
    doc, problems = _load(tmp_path, "date: 2024-06-31\n")
    assert doc.data == {"date": "2024-06-31"}
    assert not len(problems)


def test_duplicate_keys_are_errors(tmp_path):
    _, problems = _load(tmp_path, "title: a\nsummary: b\ntitle: c\n")
    assert problems.format() == "x.yml:3:1: title: duplicate key (first given on line 1)"


def test_tabs_are_explained(tmp_path):
    _, problems = _load(tmp_path, "title: a\n\tsummary: b\n")
    assert problems.format() == "x.yml:2:1: YAML syntax error: tabs are not allowed in YAML; indent with spaces"


def test_broken_yaml_is_located(tmp_path):
    _, problems = _load(tmp_path, "title: [a, b\nsummary: c\n")
    line = problems.format()
    assert line.startswith("x.yml:2:") and "YAML syntax error" in line


def test_empty_and_non_utf8_files(tmp_path):
    assert _load(tmp_path, "  \n")[1].format() == "x.yml:1:1: file is empty"
    assert (
        _load(tmp_path, b"title: caf\xe9\n")[1].format() == "x.yml:1:1: file is not valid UTF-8 text; save it as UTF-8"
    )


MANY_KINDS = """\
title: Café – “quoted” ☕
count: 12
share: 45.5
whole: 3.0
negative: -0.0
flag: true
nothing: null
date: 2024-06-31
'7': a key that looks like a number
list:
  - {name: x, when: 2017-05-11}
  - [1, 2.5, false]
anchored: &a {deep: [1]}
again: *a
merged:
  <<: *a
  more: yes
"""


@pytest.fixture
def parsed_store(tmp_path, monkeypatch):
    """An empty store of parsed files in this test's own private folder."""
    from generator import private_cache, yamlio

    monkeypatch.setattr(private_cache.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(yamlio, "_PARSED", private_cache.JsonStore("yaml", "test"))
    return tmp_path / "tmp"


def _parse_entries(folder):
    """The parse store's entry files (kind `yaml`) in the private folder under `folder`."""
    return sorted(p for p in folder.glob("panelsite-cache-*/yaml/*") if p.is_file() and not p.name.startswith("."))


def test_a_file_parsed_before_comes_back_the_same_without_composing(tmp_path, monkeypatch, parsed_store):
    from generator import yamlio

    fresh, problems = _load(tmp_path, MANY_KINDS)
    assert not problems.items

    def no_composing(*args, **kwargs):
        raise AssertionError("composed again")

    monkeypatch.setattr(yamlio, "_compose", no_composing)
    kept, problems = _load(tmp_path, MANY_KINDS)
    assert not problems.items
    assert kept == fresh
    assert repr(kept.data) == repr(fresh.data)  # the same types: 3.0 stays a float, -0.0 keeps its sign
    assert kept.where(("list", 1, 2)) == fresh.where(("list", 1, 2)) == (12, 14)
    with pytest.raises(AssertionError, match="composed again"):
        _load(tmp_path, MANY_KINDS + "extra: 1\n")  # changed text is parsed again


def test_a_file_with_a_problem_or_an_infinite_number_is_parsed_every_time(tmp_path, parsed_store):
    text = "title: a\ntitle: b\n"
    first = _load(tmp_path, text)[1].format()
    second = _load(tmp_path, text)[1].format()
    assert first == second == "x.yml:2:1: title: duplicate key (first given on line 1)"
    _load(tmp_path, "value: .nan\nlimit: .inf\n")  # not JSON's own values: parsed every time
    assert not list(_parse_entries(parsed_store))


@pytest.mark.parametrize(
    "planted",
    [
        b'{"data": {"a": 1}, "locations": "not a list"}',
        b'{"data": {"a": 1}, "locations": [[["a"], 1]]}',
        b'{"data": {"a": 1}, "locations": [[["a"], 0, 1], [[], 1, 1]]}',
        b'{"data": {"a": 1}, "locations": [[[{"x": 1}], 1, 1], [[], 1, 1]]}',
        b'{"data": {"a": 1}, "locations": [[["a"], 1, 1]]}',
        b'{"data": null, "locations": [[[], 1, 1]]}',
        b'["data", "locations"]',
        b"{cut short",
    ],
)
def test_a_parse_store_entry_of_the_wrong_shape_is_parsed_again_not_a_crash(tmp_path, parsed_store, planted):
    """Before issue 20 a kept entry of the wrong shape crashed every run (exit 3) until the folder went."""
    from generator import private_cache

    fresh, _ = _load(tmp_path, MANY_KINDS)
    (entry,) = _parse_entries(parsed_store)
    header, _, _ = entry.read_bytes().partition(b"\n")
    made_from = header.split(b" ")[2].decode()
    private_cache.write_checked(entry, made_from, planted)  # a well-formed entry holding the wrong shape
    kept, problems = _load(tmp_path, MANY_KINDS)
    assert not problems.items and kept == fresh
    entry.write_bytes(planted)  # and the same bytes with no header at all
    kept, problems = _load(tmp_path, MANY_KINDS)
    assert not problems.items and kept == fresh


def test_a_parse_store_entry_made_from_other_text_is_not_used(tmp_path, parsed_store):
    other, _ = _load(tmp_path, "title: other\n")
    (entry,) = _parse_entries(parsed_store)
    kept_other = entry.read_bytes()
    fresh, _ = _load(tmp_path, "title: mine\n")
    mine = next(path for path in _parse_entries(parsed_store) if path != entry)
    mine.write_bytes(kept_other)  # another file's entry swapped in under this file's name
    kept, problems = _load(tmp_path, "title: mine\n")
    assert not problems.items and kept.data == {"title": "mine"}
