"""A corpus of bad inputs: each gives its pinned one-line message, exit 1, no traceback, no site change.

Each file in tests/bad_inputs/ starts with two comment lines: `# target: <path in the project>` and
`# expect: <the exact first problem line>`. The file is copied to the target in a fresh project.
"""

import hashlib
from pathlib import Path

import pytest

from generator.cli import main

CASES = sorted((Path(__file__).parent / "bad_inputs").glob("*.yml"))


def header(case: Path) -> tuple[str, str]:
    lines = case.read_bytes().split(b"\n")
    target = lines[0].decode().removeprefix("# target: ").strip()
    expect = lines[1].decode().removeprefix("# expect: ").strip()
    return target, expect


def digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())).hexdigest()


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    from tests.conftest import copy_fixture

    root = copy_fixture(tmp_path_factory.mktemp("bad") / "project")
    assert main(["--config", str(root / "site_config.yml"), "build"]) == 0
    return root


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_input(case: Path, built_site: Path, capsys, tmp_path):
    import shutil

    root = tmp_path / "project"
    shutil.copytree(built_site, root)
    target, expect = header(case)
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    (root / target).write_bytes(case.read_bytes())
    before = digest(root / "site")
    config = str(root / "site_config.yml")

    assert main(["--config", config, "check"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert out.out.splitlines()[0] == expect

    assert main(["--config", config, "build"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert digest(root / "site") == before
