"""A corpus of bad inputs: each gives its pinned one-line message from both `check` and `build`, exit 1,
no traceback, no change to `site/`, no code run and nothing read from outside the project.

Each file in tests/bad_inputs/ starts with header lines `# key: value`:

- `# target: <path in the project>`: where the case is written (optional);
- `# expect: <the exact first problem line>` (required);
- `# exit: <code>` (default 1);
- `# mode: append` to add the case to the end of the target instead of replacing it;
- `# setup: <action>` (any number, in order): `remove PATH`, `mkdir PATH`, `copy FROM TO`,
  `symlink PATH -> TARGET`, or `config OLD => NEW` (a replacement in site_config.yml; `\\n` is a newline);
- `# seconds: N` on pathological inputs: `check` must refuse them within N seconds. These are
  correctness tests (the input must not hang the build), not benchmarks.

A `.yml` case is written whole, header included (so its line numbers count the header); any other
file (a `.md` page, say) is written without its header lines. In the case and its setup,
`@@OUTSIDE@@` is a folder outside the project holding `secret.yml` (whose text must never appear in
any output) and `@@PAD:N@@` is N letters "a" in a row.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from generator.cli import main

pytestmark = pytest.mark.slow  # each of the 90 cases checks and builds a copy of the built fixture

HERE = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in HERE.iterdir() if p.is_file() and p.name != "README.md")
HEADER = re.compile(rb"^# (target|expect|exit|setup|mode|seconds): ?(.*)$")
PAD = re.compile(rb"@@PAD:(\d+)@@")
SECRET = "SECRET-CANARY-4471"


@dataclass
class Case:
    target: str | None = None
    expect: str = ""
    exit: int = 1
    mode: str = "write"
    seconds: float | None = None
    setups: list[str] = field(default_factory=list)
    body: bytes = b""


def parse_case(path: Path, outside: Path) -> Case:
    case = Case()
    lines = path.read_bytes().split(b"\n")
    count = 0
    for line in lines:
        match = HEADER.match(line)
        if not match:
            break
        count += 1
        key, value = match.group(1).decode(), match.group(2).decode().strip()
        if key == "setup":
            case.setups.append(value.replace("@@OUTSIDE@@", str(outside)))
        elif key in ("exit", "seconds"):
            setattr(case, key, float(value) if key == "seconds" else int(value))
        else:
            setattr(case, key, value)
    body = b"\n".join(lines if path.suffix == ".yml" else lines[count:])
    body = body.replace(b"@@OUTSIDE@@", str(outside).encode())
    case.body = PAD.sub(lambda m: b"a" * int(m.group(1)), body)
    return case


def apply_setup(root: Path, action: str) -> None:
    verb, _, rest = action.partition(" ")
    if verb == "remove":
        path = root / rest
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    elif verb == "mkdir":
        (root / rest).mkdir(parents=True)
    elif verb == "copy":
        source, destination = rest.split()
        shutil.copyfile(root / source, root / destination)
    elif verb == "symlink":
        link, target = (part.strip() for part in rest.split("->"))
        (root / link).parent.mkdir(parents=True, exist_ok=True)
        (root / link).symlink_to(target)
    elif verb == "config":
        old, new = (part.replace("\\n", "\n") for part in rest.split(" => "))
        config = root / "site_config.yml"
        text = config.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"setup: {old!r} should appear once in site_config.yml"
        config.write_text(text.replace(old, new), encoding="utf-8")
    else:
        raise AssertionError(f"unknown setup action {action!r}")


def digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())).hexdigest()


def test_corpus_is_large_enough():
    assert len(CASES) >= 80


@pytest.fixture(scope="module")
def built_site(fixture_build):
    """The fixture project with its built site and chart cache (conftest's `fixture_build`, built once)."""
    return fixture_build.root


@pytest.mark.parametrize("path", CASES, ids=[c.name for c in CASES])
def test_bad_input(path: Path, built_site: Path, capsys, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(built_site, root, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text(f"title: {SECRET}\nsummary: {SECRET}\n")
    case = parse_case(path, outside)
    for action in case.setups:
        apply_setup(root, action)
    if case.target:
        target = root / case.target
        target.parent.mkdir(parents=True, exist_ok=True)
        if case.mode == "append":
            target.write_bytes(target.read_bytes() + case.body)
        else:
            target.write_bytes(case.body)
    before = digest(root / "site")
    config = str(root / "site_config.yml")

    started = time.monotonic()
    assert main(["--config", config, "check"]) == case.exit
    elapsed = time.monotonic() - started
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert SECRET not in out.out + out.err
    assert out.out.splitlines()[0] == case.expect
    if case.seconds is not None:
        assert elapsed < case.seconds, f"check took {elapsed:.1f} s on a pathological input"

    assert main(["--config", config, "build"]) == case.exit
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert SECRET not in out.out + out.err
    assert out.out.splitlines()[0] == case.expect, "build refuses with the same first line as check"
    assert digest(root / "site") == before
    assert sorted(p.name for p in outside.iterdir()) == ["secret.yml"], "no code ran"
