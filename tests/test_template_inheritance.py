"""Young page templates extend their standard namesakes; a council's override can extend either."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.pipeline import generate, load_project
from generator.rendering import make_environment
from generator.template_sandbox import TemplateSandbox
from tests.conftest import REPO, copy_fixture

TEMPLATES = Path(__file__).resolve().parent.parent / "theme" / "templates"
YOUNG = sorted(p.name for p in (TEMPLATES / "young").glob("[!_]*.md.j2"))


def test_there_are_young_page_templates():
    assert len(YOUNG) == 12


@pytest.mark.parametrize("name", YOUNG)
def test_each_young_page_template_extends_its_standard_namesake(name):
    env = make_environment([TEMPLATES], "young")
    tree = env.parse((TEMPLATES / "young" / name).read_text(encoding="utf-8"))
    parents = [node.template.value for node in tree.find_all(jinja2.nodes.Extends)]
    assert parents == [f"panelsite/{name}"]


def _pages(root: Path) -> dict[str, dict[str, str]]:
    project = load_project(root / "site_config.yml")
    return {edition: generate(project, edition).pages for edition in ("standard", "young")}


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return _pages(copy_fixture(tmp_path_factory.mktemp("plain") / "project"))


PAGE = "performance/children-looked-after.md"


def test_a_council_overriding_a_standard_block_sees_it_there_and_the_young_page_keeps_its_own(tmp_path, plain):
    root = copy_fixture(tmp_path / "project")
    own = root / "theme" / "templates"
    own.mkdir(parents=True)
    (own / "kpi.md.j2").write_text(
        '{% extends "panelsite/kpi.md.j2" %}\n'
        "{% block intro %}\n# {{ kpi.title }}\n\nOur own words on this indicator.\n{% endblock %}\n"
        "{% block about %}{% endblock %}\n",
        encoding="utf-8",
    )
    assert isinstance(make_environment([own, TEMPLATES], "standard"), TemplateSandbox)
    pages = _pages(root)
    standard = pages["standard"][PAGE]
    assert "Our own words on this indicator." in standard
    assert "## About this indicator" not in standard and "## The data" in standard
    assert pages["young"][PAGE] == plain["young"][PAGE]
    assert pages["standard"]["performance/index.md"] == plain["standard"]["performance/index.md"]


def test_a_council_overriding_a_young_block_changes_only_the_young_page(tmp_path, plain):
    root = copy_fixture(tmp_path / "project")
    own = root / "theme" / "templates" / "young"
    own.mkdir(parents=True)
    (own / "kpi.md.j2").write_text(
        '{% extends "panelsite/young/kpi.md.j2" %}\n{% block data %}\nAsk us for the numbers.\n{% endblock %}\n',
        encoding="utf-8",
    )
    pages = _pages(root)
    young, before = pages["young"][PAGE], plain["young"][PAGE]
    assert "Ask us for the numbers." in young and "See the numbers" not in young
    assert young.split('<figure class="ps-chart">')[0] == before.split('<figure class="ps-chart">')[0]
    assert pages["standard"][PAGE] == plain["standard"][PAGE]


def test_a_council_template_asking_for_a_dark_chart_file_gets_a_located_message(project_with_charts, capsys):
    """0.2's templates drew a second, dark `<picture>` with `chart.file('-dark')`; that file no longer
    exists, so a council's copy of the old template is told, at its line, what to delete."""
    from generator.cli import main

    template = project_with_charts / "theme/templates/kpi.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(
        "# {{ kpi.title }}\n\n{% for chart in charts %}\n"
        '<img src="../charts/{{ chart.file(\'\') }}" alt="{{ chart.alt }}">\n'
        '<img src="../charts/{{ chart.file(\'-dark\') }}" alt="{{ chart.alt }}">\n'
        "{% endfor %}\n",
        encoding="utf-8",
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "theme/templates/kpi.md.j2:5:1: template error: chart.file('-dark') was removed in 0.3" in out, out
    assert "delete the <picture> line that uses it" in out


def test_a_councils_macros_copied_before_young_latest_still_builds(project_with_charts, capsys):
    """Never break a council's folder: a council that copied `_macros.md.j2` in 0.2 has no `young_latest`
    (added in 0.3), and the young KPI pages failed with "StrictUndefined() cannot be called" at panelsite's
    own template. Its copy's other macros are still the council's own."""
    from generator.cli import main

    ours = (REPO / "theme/templates/_macros.md.j2").read_text(encoding="utf-8")
    start = ours.index("{#- The young edition's line on an indicator's latest number")
    end = ours.index("{% endmacro %}", start) + len("{% endmacro %}")
    copied = ours[:start] + ours[end:]
    assert "young_latest" not in copied
    assert copied.count('<span class="ps-rag ') == 1
    copied = copied.replace('<span class="ps-rag ', '<span class="ps-rag council-badge ')  # the council's own
    template = project_with_charts / "theme/templates/_macros.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(copied, encoding="utf-8")
    assert main(["build"]) == 0, capsys.readouterr().out
    young_index = (project_with_charts / "site/young/performance/index.html").read_text(encoding="utf-8")
    assert "The latest number is <strong>" in young_index
    standard = (project_with_charts / "site/performance/index.html").read_text(encoding="utf-8")
    assert "council-badge" in standard, "the council's copy is still the one the pages use"


def test_calling_a_macro_that_is_not_there_names_it_at_the_councils_line(project_with_charts, capsys):
    from generator.cli import main

    template = project_with_charts / "theme/templates/kpi_index.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text('{% import "_macros.md.j2" as m with context %}\n# KPIs\n\n{{ m.nope(1) }}\n', encoding="utf-8")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "theme/templates/kpi_index.md.j2:4:1: template error: nope is not defined" in out, out
    assert "StrictUndefined" not in out
