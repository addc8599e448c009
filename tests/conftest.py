"""Shared test helpers: a small project copied into a temporary folder, and the CLI run in-process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "site"
SUBFOLDER_SITE_URL = "https://www.northby.gov.uk/corporate-parenting/"
"""Where `demo_build` says the site lives: a sub-folder of a council's own domain (a made-up one)."""


def copy_fixture(destination: Path) -> Path:
    """Copy the small fixture project; its paths to the repo's theme become absolute."""
    # Its own built site and chart cache (left by in-place builds of the fixture) are not copied.
    shutil.copytree(FIXTURE, destination, ignore=shutil.ignore_patterns("site", ".cache"))
    config = destination / "site_config.yml"
    text = config.read_text(encoding="utf-8").replace("../../../", f"{REPO.as_posix()}/")
    text = text.replace(f"{REPO.as_posix()}/.cache/test-fixture", ".cache/panelsite")
    config.write_text(text, encoding="utf-8")
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


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (its configuration, data and pages) built once per test session, with its meeting packs
    printed as tagged PDFs (`build --pdf`; Chromium is installed by `make test`), as a council would
    publish it from a sub-folder of its own domain (`SUBFOLDER_SITE_URL`); returns the site folder."""
    from generator.cli import main

    root = tmp_path_factory.mktemp("demo-build") / "demo"
    root.mkdir()
    for name in ("data", "content"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "site_config.yml").read_text(encoding="utf-8")
    (root / "site_config.yml").write_text(f"site_url: {SUBFOLDER_SITE_URL}\n" + config, encoding="utf-8")
    assert main(["--config", str(root / "site_config.yml"), "build", "--pdf"]) == 0
    return root / "site"
