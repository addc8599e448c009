"""The `panelsite export` output builds with a second engine, Zensical, with every page present."""

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO

pytestmark = pytest.mark.slow  # Zensical builds the exported demo in a subprocess, both editions

EDITIONS = ("standard", "young")


def html_for(markdown: Path, docs: Path) -> Path:
    """Where an engine with directory URLs writes the page of `markdown`."""
    relative = markdown.relative_to(docs).with_suffix("")
    return relative.parent / "index.html" if relative.name == "index" else relative / "index.html"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("engines") / "export"
    assert main(["--config", str(REPO / "site_config.yml"), "export", str(out)]) == 0
    return out


@pytest.mark.parametrize("edition", EDITIONS)
def test_zensical_builds_every_page(exported: Path, edition: str):
    folder = exported / edition
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run(
        [str(zensical), "build", "--strict", "-f", str(folder / "mkdocs.yml")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    docs, site = folder / "docs", folder / "site"
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 10
    missing = [str(p.relative_to(docs)) for p in pages if not (site / html_for(p, docs)).is_file()]
    assert not missing, f"Zensical left out {len(missing)} page(s): {missing[:10]}"
    charts = sorted(docs.rglob("*.svg"))
    assert charts and all((site / c.relative_to(docs)).read_bytes() == c.read_bytes() for c in charts)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "panelsite.css" in home and "panelsite.js" in home, "the theme overrides are used"
