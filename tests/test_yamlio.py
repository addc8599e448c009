from pathlib import Path

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
