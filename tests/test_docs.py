"""panelsite's documentation site: it builds strict, its generated pages match the code, and the
README stays a short front door whose links lead into the repository."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import docs_reference
from generator.dataset import FOLDERS, SINGLE_FILES
from generator.settings import Settings
from tests.conftest import REPO

LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_docs_site_builds_strict(tmp_path):
    """One strict build of mkdocs.yml: a broken link, a missing anchor, a page left out of the
    navigation or a missing included file fails it."""
    out = tmp_path / "docs-site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", "mkdocs.yml", "--site-dir", str(out)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Corporate Parenting Panel" in home
    for page in ("getting-started", "reference/configuration", "reference/commands", "reference/data/kpis", "security"):
        assert (out / page / "index.html").is_file(), page
    settings = (out / "reference/configuration/index.html").read_text(encoding="utf-8")
    assert "scorecard_themes" in settings and "local_offer" in settings


def test_the_generated_pages_are_current():
    stale = docs_reference.stale_pages(REPO / "docs")
    assert not stale, f"run `make reference` and commit: {stale}"


def test_a_changed_description_or_a_leftover_page_is_found_stale(tmp_path):
    docs = tmp_path / "docs"
    docs_reference.write_reference(docs)
    assert docs_reference.stale_pages(docs) == []
    page = docs / "reference/configuration.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Highest Flesch-Kincaid", "Lowest"), encoding="utf-8")
    (docs / "reference/data/old.md").write_text("# gone\n", encoding="utf-8")
    assert docs_reference.stale_pages(docs) == ["reference/configuration.md", "reference/data/old.md"]
    docs_reference.write_reference(docs)
    assert docs_reference.stale_pages(docs) == []
    assert not (docs / "reference/data/old.md").exists()


def test_every_generated_page_says_it_is_generated():
    for path, text in docs_reference.reference_pages().items():
        head = "\n".join(text.splitlines()[:6])
        assert "do not edit by hand" in head and "make reference" in head, path


def test_the_references_cover_every_setting_collection_and_command():
    pages = docs_reference.reference_pages()
    settings = pages["reference/configuration.md"]
    for name in Settings.model_fields:
        if name != "edition":  # set by `panelsite build` for each edition, never by a council
            assert f"| `{name}` |" in settings, name
    assert "| `council` | text | **required** |" in settings
    for collection in [c.folder for c in FOLDERS] + list(SINGLE_FILES):
        assert f"reference/data/{collection}.md" in pages, collection
    kpis = pages["reference/data/kpis.md"]
    for field in ("reported", "new_series", "target_set", "withheld"):
        assert f"`{field}`" in kpis, field
    commands = pages["reference/commands.md"]
    for command in (
        "check",
        "build",
        "serve",
        "export",
        "schema",
        "new",
        "init",
        "upgrade",
        "import",
        "edit",
        "template",
    ):
        assert f"## `panelsite {command}`" in commands, command
    assert "`--pdf`" in commands and "`--print-config HOST:OWNER/REPO`" in commands


def test_the_type_words_name_what_a_field_accepts():
    from generator.models import common

    assert docs_reference._type_text(common.Slug | None).startswith("slug")
    assert docs_reference._type_text(list[common.Text]) == "list of text"
    assert docs_reference._type_text(Settings) == "[Settings](#settings)"
    assert docs_reference._cell("a | b <id> `<id>`") == "a \\| b &lt;id&gt; `<id>`"


def _links(path: Path) -> list[str]:
    return [m for m in LINK.findall(path.read_text(encoding="utf-8")) if not re.match(r"[a-z]+:|#", m)]


def test_the_readme_is_short_and_links_only_to_files_in_the_repository():
    readme = REPO / "README.md"
    assert len(readme.read_text(encoding="utf-8").splitlines()) <= 100
    links = _links(readme)
    assert any(link.startswith("docs/") for link in links)
    for link in links:
        target = (REPO / link.split("#")[0]).resolve()
        assert target.is_relative_to(REPO) and target.exists(), link


@pytest.mark.parametrize("page", sorted(p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md")))
def test_no_docs_page_links_out_of_the_repository(page):
    path = REPO / "docs" / page
    for link in _links(path):
        target = (path.parent / link.split("#")[0]).resolve()
        assert target.is_relative_to(REPO / "docs"), f"{page}: {link}"
