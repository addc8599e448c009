"""Plain text from the data can never become an attribute or an element (attr_list, md_in_html).

These pass once plain text is escaped for `attr_list` as well as for HTML (issue 9)."""

from __future__ import annotations

import re

from generator.cli import main

KPI = "data/kpis/children-looked-after.yml"


def test_kpi_title_cannot_add_attributes(project, capsys):
    kpi = project / KPI
    kpi.write_text(kpi.read_text().replace("title: Children looked after",
                                           'title: "Children looked after { onmouseover=alert(1) }"', 1))
    assert main(["build"]) == 0, capsys.readouterr().out
    page = (project / "site/performance/children-looked-after/index.html").read_text()
    assert not re.search(r"<[^>]*\sonmouseover=", page), "no element carries the handler"
    assert "{ onmouseover=alert(1) }" in page.replace("&#123;", "{").replace("&#125;", "}"), "shown as written"
