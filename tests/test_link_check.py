"""`check` reports every broken page link that the strict build would, at the link's own line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.link_check import linked_pages
from tests.conftest import write


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


def test_links_found_in_markdown_text() -> None:
    text = "See [a](glossary/index.md), [b](../x.md#part), [c](https://e.org/y.md) and [d](data/x.csv)."
    assert [target for _, _, target in linked_pages(text)] == ["glossary/index.md", "../x.md"]


def test_a_missing_collection_that_a_page_links_to_is_found_by_check_and_build(project, capsys) -> None:
    write(
        project,
        "content/index.md",
        "# Fixture home\n\nA page for tests.\n\nSee the [words we use](glossary/index.md).\n",
    )
    (project / "data/glossary.yml").unlink()
    expected = (
        "content/index.md:5:24: link to glossary/index.md: the standard edition has no page glossary/index.md\n"
        "    hint: this page is made from data/glossary.yml; add it, or remove the link"
    )
    assert main(["check"]) == 1
    assert expected in capsys.readouterr().out
    assert main(["build"]) == 1
    out = capsys.readouterr()
    assert expected in out.out + out.err
    assert not (project / "site").exists()


def test_a_misspelt_link_on_a_hand_written_page_is_located(project, capsys) -> None:
    write(
        project,
        "content/about.md",
        "# About\n\nRead the [Pledge](pledge/index.md) and the [offer](local-ofer/index.md).\n",
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert (
        "content/about.md:3:52: link to local-ofer/index.md: the standard edition has no page local-ofer/index.md"
    ) in out
    assert "pledge/index.md:" not in out
