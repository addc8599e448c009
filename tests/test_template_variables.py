"""Every template uses only the variables its page kind documents, and the reference says so."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from generator.pages import KINDS
from generator.pages.reference import REFERENCE_PATH, allowed_variables, template_reference, unknown_variables

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "theme" / "templates"


def test_every_template_uses_only_documented_variables():
    assert unknown_variables(TEMPLATES) == []


def test_the_committed_reference_is_current():
    committed = (ROOT / REFERENCE_PATH).read_text(encoding="utf-8")
    assert committed == template_reference(), "run `make reference` and commit docs/template-variables.md"


def test_the_reference_lists_every_variable_of_every_template():
    text = template_reference()
    for template, names in allowed_variables().items():
        assert f"### `{template}`" in text
        for name in names:
            assert f"| `{name}` |" in text


def test_an_undocumented_variable_is_reported(tmp_path):
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    page = copy / "young" / "glossary.md.j2"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ metrics.latest(kpi) }}\n", encoding="utf-8")
    partial = copy / "_meeting_macros.md.j2"
    partial.write_text(partial.read_text(encoding="utf-8") + "\n{{ data.kpis }}\n", encoding="utf-8")
    (copy / "stray.md.j2").write_text("# {{ page_title }}\n", encoding="utf-8")
    found = unknown_variables(copy)
    assert ("young/glossary.md.j2", "kpi") in found
    assert ("young/glossary.md.j2", "metrics") in found
    assert ("_meeting_macros.md.j2", "data") in found
    assert ("stray.md.j2", "(no page kind renders this template)") in found


def test_every_context_field_is_shown_by_some_template():
    """A context carries only what its templates use, so the reference stays true."""
    import dataclasses

    import jinja2.meta

    from generator.rendering import make_environment

    env = make_environment([TEMPLATES], "standard")
    partials = "".join(p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("_*.j2"))
    unused = []
    for kind in KINDS:
        for template, cls in kind.templates.items():
            used: set[str] = set()
            for path in (TEMPLATES / template, TEMPLATES / "young" / template):
                if path.is_file():
                    used |= jinja2.meta.find_undeclared_variables(env.parse(path.read_text(encoding="utf-8")))
            unused += [(template, f.name) for f in dataclasses.fields(cls) if f.name not in used | _words(partials)]
    assert unused == []


def _words(text: str) -> set[str]:
    import re

    return set(re.findall(r"[A-Za-z_]\w*", text))


def test_the_pipeline_knows_no_template_name_and_only_the_adapter_imports_mkdocs():
    pipeline = (ROOT / "generator" / "pipeline.py").read_text(encoding="utf-8")
    assert ".md.j2" not in pipeline
    importers = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            if any(n == "mkdocs" or n.startswith("mkdocs.") for n in names):
                importers.append(path.relative_to(ROOT).as_posix())
    # The adapter: building (build and export through MkDocs), the plugin, and serving (`panelsite serve`).
    assert sorted(set(importers)) == ["generator/building.py", "generator/mkdocs_plugin.py", "generator/serving.py"]


def _literal_paths(generator_dir: Path, templates: Path) -> list[tuple[str, str]]:
    """Paths spelt out in the package's code (besides `urls.py` and the registry) or in any template."""
    import re

    from generator.registry import SECTIONS
    from generator.urls import FEEDS

    folders = sorted({r.folder for r in SECTIONS if r.folder} | {FEEDS, "charts"})
    starts = tuple(f"{'../' * up}{folder}/" for folder in folders for up in range(4))
    pages = ("follow.md", "accessibility.md")
    offenders = []
    for path in sorted(generator_dir.rglob("*.py")):
        if path.name in ("urls.py", "registry.py", "migrations.py") and path.parent == generator_dir:
            continue  # the URL builder, the registry, and old formats' file names (fixed in time)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and (node.value.startswith(starts) or node.value in pages)
            ):
                offenders.append((path.relative_to(generator_dir.parent).as_posix(), node.value))
    alternatives = "|".join(re.escape(f) for f in folders)
    in_template = re.compile(
        rf"""[\"'(=]\s*((?:\.\./)*(?:{alternatives})/)|[\"']((?:{"|".join(re.escape(p) for p in pages)}))[\"']"""
    )
    for path in sorted([*templates.rglob("*.j2"), *templates.parent.rglob("*.html")]):
        for match in in_template.finditer(path.read_text(encoding="utf-8")):
            offenders.append((path.relative_to(templates.parent).as_posix(), match.group(1) or match.group(2)))
    return offenders


def test_no_module_or_template_spells_out_a_path():
    """Paths come from `generator.urls`; code or a template that spells one out would drift from it."""
    assert _literal_paths(ROOT / "generator", TEMPLATES) == []


def test_a_spelt_out_path_is_found_in_code_and_templates(tmp_path):
    package = tmp_path / "generator"
    (package / "charts").mkdir(parents=True)
    (package / "urls.py").write_text('PERFORMANCE = "performance/"\n')
    (package / "feeds.py").write_text('"""meetings/x.md in a docstring is prose."""\nPATH = f"meetings/{day}.md"\n')
    (package / "charts" / "draw.py").write_text('TARGET = "feeds/updates.xml"\n')
    templates = tmp_path / "theme" / "templates"
    (templates / "young").mkdir(parents=True)
    (templates / "young" / "kpi.md.j2").write_text('<img src="../charts/{{ chart.filename }}">\n')
    (templates / "meeting_index.md.j2").write_text("[Follow]({{ link('follow.md') }}) and [x](local-offer/)\n")
    assert _literal_paths(package, templates) == [
        ("generator/charts/draw.py", "feeds/updates.xml"),
        ("generator/feeds.py", "meetings/"),
        ("templates/meeting_index.md.j2", "follow.md"),
        ("templates/meeting_index.md.j2", "local-offer/"),
        ("templates/young/kpi.md.j2", "../charts/"),
    ]


def test_no_list_item_or_table_row_ends_in_a_tag_that_swallows_its_line_break():
    """With `trim_blocks`, a line ending `{% endif %}` runs into the next one: '…2016- Corporate…'.

    A list item or table row that ends in a block tag must use `+%}` to keep its line break.
    """
    import re

    line_end_tag = re.compile(r"^\s*(- |\d+\. |\| ).*[^+]%\}\s*$")
    found = [
        f"{p.relative_to(TEMPLATES)}:{n}"
        for p in sorted(TEMPLATES.rglob("*.j2"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if line_end_tag.match(line)
    ]
    assert found == []
