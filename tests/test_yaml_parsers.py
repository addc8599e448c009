"""libyaml's C parser and the pure-Python parser give the same values, positions and messages."""

from pathlib import Path

import pytest
import yaml

from generator import yamlio
from tests.conftest import REPO

FILES = sorted([*REPO.glob("data/**/*.yml"), *REPO.glob("tests/**/*.yml")])


class _NothingKept:
    """No parsed files from earlier runs: each parser here must really parse."""

    def get(self, text: str, validate: object = None) -> None:
        return None

    def put(self, text: str, value: object) -> None:
        pass


@pytest.fixture(autouse=True)
def parse_every_time(monkeypatch):
    monkeypatch.setattr(yamlio, "_PARSED", _NothingKept())


def test_the_c_parser_is_used_where_present():
    assert (yamlio._CLoader is not None) == bool(yaml.__with_libyaml__)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_same_document_and_problems(path: Path):
    fast, fast_problems = yamlio.load(path, "x.yml")
    slow, slow_problems = yamlio.load(path, "x.yml", yamlio._Loader)
    assert [p.format() for p in fast_problems] == [p.format() for p in slow_problems]
    assert (fast is None) == (slow is None)
    if fast and slow:
        assert fast.data == slow.data
        assert fast.locations == slow.locations


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [1, 2\n",
        "a:\n\t- b\n",
        "a: 1\na: 2\n",
        "? [a]\n: 1\n",
        "a: &x 1\nb: *y\n",
        "- a\nb: c\n",
        "a: 'unclosed\n",
        "a: 2024-06-31\n",
        'a: "\\q"\n',
        "x: !!python/object:os.system ls\n",
    ],
)
def test_same_message_for_bad_yaml(tmp_path: Path, text: str):
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    fast = [p.format() for p in yamlio.load(path, "bad.yml")[1]]
    slow = [p.format() for p in yamlio.load(path, "bad.yml", yamlio._Loader)[1]]
    assert fast == slow
