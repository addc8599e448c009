"""Shared test helpers: a small project copied into a temporary folder, the CLI run in-process, and
the builds that many modules read, made once per test session.

A full build is the costliest thing a test does (most of it drawing charts with Matplotlib), so a
built site that tests only read is built once here (`fixture_build`, `second_council_build`,
`repo_demo_build`, `demo_build`) and a test that changes a built project works on a copy of it
(`copy_built`). With pytest-xdist (`-n 2`) the workers share these builds: the first worker to need
one builds it into the run's shared temporary folder under a file lock, and the others wait and
read it (`made_once`).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "site"
SECOND_COUNCIL = REPO / "tests" / "fixtures" / "second-council"
T = TypeVar("T")
SUBFOLDER_SITE_URL = "https://www.northby.gov.uk/corporate-parenting/"
"""Where `demo_build` says the site lives: a sub-folder of a council's own domain (a made-up one)."""


def copy_fixture(destination: Path, source: Path = FIXTURE) -> Path:
    """Copy the small fixture project (or another one under tests/fixtures); its paths to the repo's
    theme become absolute."""
    # Its own built site and chart cache (left by in-place builds of the fixture) are not copied.
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns("site", ".cache"))
    config = destination / "site_config.yml"
    text = config.read_text(encoding="utf-8").replace("../../../", f"{REPO.as_posix()}/")
    text = text.replace(f"{REPO.as_posix()}/.cache/test-fixture", ".cache/panelsite")
    config.write_text(text, encoding="utf-8")
    return destination


def copy_demo(destination: Path) -> Path:
    """Copy the demo council's folder (its configuration, data and pages; no built site or cache) to
    `destination`, made here, and return it."""
    destination.mkdir(parents=True)
    for name in ("data", "content"):
        shutil.copytree(REPO / name, destination / name)
    shutil.copy2(REPO / "site_config.yml", destination / "site_config.yml")
    return destination


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the fixture project, with the working directory set to it."""
    root = copy_fixture(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- builds made once per session


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) across processes."""
    import fcntl  # POSIX; the test suite runs on Linux

    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder `name` filled by `make` once per test run, also when pytest-xdist runs several workers.

    Without xdist it is an ordinary session temporary folder. With it, it lives in the folder the
    workers' temporary folders share; the first worker to ask makes it under a lock while the others
    wait, and a folder left half-made by a worker whose `make` failed is made again from nothing."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent
    folder, done = shared / name, shared / f"{name}.done"
    with _locked(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """`panelsite` in this process: its exit code and what it printed on standard output and error."""
    from generator.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@dataclass(frozen=True)
class Build:
    """A project built once for the session: read it, never change it (`copy_built` for a copy)."""

    root: Path  # the project folder (its site_config.yml, data/, content/ and .cache/)
    site: Path  # the built site
    out: str  # what `panelsite build` printed on standard output
    err: str  # ... and on standard error (its progress lines: pages, charts drawn and reused)


def _build_once(tmp_path_factory: pytest.TempPathFactory, name: str, source: Path | None) -> Build:
    """Copy `source` (a project under tests/fixtures) into a folder made once and build it there; with
    `source` None, build the repository's own demo (its site_config.yml, data, content and chart
    cache) into that folder's site/. Strict, as `panelsite build` always is; what it printed is kept."""

    def make(folder: Path) -> None:
        if source is None:
            root, site = REPO, folder / "site"
            argv = ["--config", str(root / "site_config.yml"), "build", "--site-dir", str(site)]
        else:
            root = copy_fixture(folder / "project", source)
            site = root / "site"
            argv = ["--config", str(root / "site_config.yml"), "build"]
        code, out, err = run_cli(argv)
        for part, text in (("out", out), ("err", err), ("root", str(root)), ("site", str(site))):
            (folder / f"{part}.txt").write_text(text, encoding="utf-8")
        what = "the demo project (data/)" if source is None else f"the project {source.relative_to(REPO)}"
        assert code == 0, f"{what} does not build: `panelsite build` exited {code}:\n{out[-3000:]}\n{err[-3000:]}"

    folder = made_once(tmp_path_factory, name, make)
    root, site, out, err = (
        (folder / f"{part}.txt").read_text(encoding="utf-8") for part in ("root", "site", "out", "err")
    )
    return Build(Path(root), Path(site), out, err)


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` with its size and modification time: what a change would move."""
    found = {}
    for top, _dirs, files in os.walk(folder):
        for name in files:
            info = os.lstat(os.path.join(top, name))
            found[os.path.relpath(os.path.join(top, name), folder)] = (info.st_size, info.st_mtime_ns)
    return found


def _unchanged(build: T, folder: Path) -> Iterator[T]:
    """Hand out `build`, and fail at the end of the session if a test changed `folder` (a shared
    build is read by many tests in any order: a test that writes into it must use `copy_built`)."""
    before = _listing(folder)
    yield build
    after = _listing(folder)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert not changed, f"a test changed the session's shared build in {folder}: {changed[:10]}"


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """The fixture project (a copy, as `project` makes) built once per session, strict, from an empty
    chart cache: its site, its chart cache and what the build printed."""
    build = _build_once(tmp_path_factory, "fixture-build", FIXTURE)
    yield from _unchanged(build, build.root)


@pytest.fixture(scope="session")
def second_council_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """The second, invented council (tests/fixtures/second-council/) copied and built once per session."""
    build = _build_once(tmp_path_factory, "second-council-build", SECOND_COUNCIL)
    yield from _unchanged(build, build.root)


@pytest.fixture(scope="session")
def repo_demo_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """The demo built from the repository's own site_config.yml (its data, content and chart cache),
    strict, into a temporary site folder, once per session."""
    build = _build_once(tmp_path_factory, "repo-demo-build", None)
    yield from _unchanged(build, build.site)


def copy_built(build: Build, destination: Path, site: bool = True) -> Path:
    """A copy of a session build's project folder (configuration, data, content, chart cache and,
    unless `site` is False, the built site) that a test may change and build again."""
    assert build.root != REPO, "the demo's session build is read in place; copy a fixture project's"
    shutil.copytree(build.root, destination, symlinks=True, ignore=None if site else shutil.ignore_patterns("site"))
    return destination


@pytest.fixture
def project_with_charts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture_build: Build) -> Path:
    """Like `project` (a fresh copy, no site/, the working directory set to it), with the chart cache
    the session's build of the same project left: a build draws only the charts a test's changes make
    new, instead of every chart (the cache checks each entry it hands out, as it always does)."""
    root = copy_fixture(tmp_path / "project")
    shutil.copytree(fixture_build.root / ".cache", root / ".cache")
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo (its configuration, data and pages) built once per test session, with its meeting packs
    printed as tagged PDFs (`build --pdf`; Chromium is installed by `make test`), as a council would
    publish it from a sub-folder of its own domain (`SUBFOLDER_SITE_URL`); returns the site folder."""

    def make(folder: Path) -> None:
        root = copy_demo(folder / "demo")
        config = (root / "site_config.yml").read_text(encoding="utf-8")
        (root / "site_config.yml").write_text(f"site_url: {SUBFOLDER_SITE_URL}\n" + config, encoding="utf-8")
        code, out, err = run_cli(["--config", str(root / "site_config.yml"), "build", "--pdf"])
        sys.stdout.write(out)
        sys.stderr.write(err)
        assert code == 0

    site = made_once(tmp_path_factory, "demo-build", make) / "demo" / "site"
    yield from _unchanged(site, site)
