"""Plain text from the data can never become an attribute or an element (attr_list, md_in_html).

These pass once plain text is escaped for `attr_list` as well as for HTML (issue 9)."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.cli import main


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


class Attributes(HTMLParser):
    """Every attribute name of every element in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names |= {name for name, _ in attrs}


KPI = "data/kpis/children-looked-after.yml"


def test_kpi_title_cannot_add_attributes(project, capsys):
    kpi = project / KPI
    kpi.write_text(
        kpi.read_text().replace(
            "title: Children looked after", 'title: "Children looked after { onmouseover=alert(1) }"', 1
        )
    )
    assert main(["build"]) == 0, capsys.readouterr().out
    page = (project / "site/performance/children-looked-after/index.html").read_text()
    parser = Attributes()
    parser.feed(page)
    assert "onmouseover" not in parser.names, "no element carries the handler"
    assert "{ onmouseover=alert(1) }" in html.unescape(page), "shown as written"
