"""Hostile configurations, themes and content links, as the web team or a participation worker could
write them (issue 20; the rules are in SECURITY.md). Each case must be refused by `check` with one
located line, must not run code, read or publish anything outside the project.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


CANARY = "PANELSITE-CANARY-5519"


def run(root: Path, command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["--config", str(root / "site_config.yml"), command])
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.out + out.err


def edit(root: Path, old: str, new: str) -> None:
    config = root / "site_config.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    config.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, needle: str, name: str = "site_config.yml") -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def refused(root: Path, capsys, where: str, message: str) -> str:
    """`check` exits 1 and its first problem line starts `where` and holds `message`; no traceback."""
    code, lines, everything = run(root, "check", capsys)
    assert code == 1, everything
    assert "Traceback" not in everything
    assert lines and lines[0].startswith(where), lines[:3]
    assert message in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(CANARY, encoding="utf-8")
    return folder


PANELSITE = "      edition: standard\n"
THEME = "  font: false\n"

# (case id, old text in the fixture's site_config.yml, new text, the key's text on its line, message)
CONFIG_CASES = [
    ("hooks", "site_url:", "hooks: [boom.py]\nsite_url:", "hooks:", "hooks: runs Python code"),
    ("nav", "site_url:", "nav: [index.md]\nsite_url:", "nav: [", "nav: the navigation is made by panelsite"),
    ("watch", "site_url:", "watch: [/]\nsite_url:", "watch:", "watch: `panelsite serve` watches"),
    ("repo-url", "site_url:", "repo_url: https://code.example/x\nsite_url:", "repo_url:", "third-party request"),
    ("unknown-key", "site_url:", "sitename: X\nsite_url:", "sitename:", "is not a setting panelsite allows"),
    ("env-tag", "copyright: ", "copyright: !ENV [HOME, x]\nsite_author: ", "copyright:", "!ENV is not allowed"),
    ("relative-tag", "site_url:", "site_author: !relative x\nsite_url:", "site_author:", "!relative is not allowed"),
    (
        "snippets",
        "  - abbr\n",
        "  - abbr\n  - pymdownx.snippets:\n      base_path: [/]\n",
        "pymdownx.snippets",
        "includes files into pages from anywhere on the machine",
    ),
    (
        "extension-path-option",
        "  - abbr\n",
        "  - abbr\n  - pymdownx.highlight:\n      css_file: /etc/passwd\n",
        "css_file:",
        "names a file or folder outside content/",
    ),
    ("unknown-extension", "  - abbr\n", "  - abbr\n  - markdown_include.include\n", "markdown_include", "refuses it"),
    ("plugin", "  - search\n", "  - search\n  - macros\n", "- macros", "a plugin runs Python code"),
    (
        "search-prebuild",
        "  - search\n",
        "  - search:\n      prebuild_index: node\n",
        "prebuild_index",
        "is not a search setting",
    ),
    (
        "script-other-host",
        "site_url:",
        "extra_javascript: [https://evil.example/x.js]\nsite_url:",
        "extra_javascript:",
        "loads a file from another host",
    ),
    (
        "script-protocol-relative",
        "site_url:",
        "extra_javascript:\n  - path: //evil.example/x.js\nsite_url:",
        "path: //evil",
        "loads a file from another host",
    ),
    (
        "style-other-host",
        "site_url:",
        "extra_css: ['http://evil.example/x.css']\nsite_url:",
        "extra_css:",
        "loads a file from another host",
    ),
    ("style-climbs-out", "site_url:", "extra_css: [../x.css]\nsite_url:", "extra_css:", "must be a file of the site"),
    ("logo-climbs-out", THEME, THEME + "  logo: ../../l.png\n", "logo:", "must be a file in the project"),
    ("google-font", THEME, "  font: {text: Roboto}\n", "font:", "Google Fonts"),
    ("logo-other-host", THEME, THEME + "  logo: https://evil.example/l.png\n", "logo:", "another host"),
    ("theme-name", "  name: material\n", "  name: readthedocs\n", "name: readthedocs", "Material theme"),
    ("theme-key", THEME, THEME + "  static_templates: [x.html]\n", "static_templates", "not a theme setting"),
    ("analytics", "site_url:", "extra:\n  analytics: {provider: google}\nsite_url:", "analytics:", "no tracking"),
    ("custom-dir-outside", THEME, THEME + "  custom_dir: /etc\n", "custom_dir:", "inside the project"),
    ("custom-dir-up", THEME, THEME + "  custom_dir: ../..\n", "custom_dir:", "inside the project"),
    ("custom-dir-missing", THEME, THEME + "  custom_dir: overrides\n", "custom_dir:", "no such folder"),
    ("docs-dir-project", "docs_dir: content", "docs_dir: .", "docs_dir:", "may not be the project folder itself"),
    ("docs-dir-other", "docs_dir: content", "docs_dir: theme", "docs_dir:", "must be the content folder"),
    ("docs-dir-outside", "docs_dir: content", "docs_dir: /etc", "docs_dir:", "inside the project"),
    ("site-dir-outside", "site_dir: site", "site_dir: ../published", "site_dir:", "inside the project"),
    ("theme-dir-outside", PANELSITE, PANELSITE + "      theme_dir: /\n", "theme_dir:", "inside the project"),
    ("cache-dir-outside", PANELSITE, PANELSITE + "      cache_dir: /tmp/x\n", "cache_dir:", "inside the project"),
    (
        "templates-dir-outside",
        PANELSITE,
        PANELSITE + "      templates_dir: ../t\n",
        "templates_dir:",
        "inside the project",
    ),
    ("council-missing", "      council: Rotherham Metropolitan Borough Council\n", "", "- panelsite:", "council"),
]


@pytest.mark.parametrize(
    ("old", "new", "key", "message"), [c[1:] for c in CONFIG_CASES], ids=[c[0] for c in CONFIG_CASES]
)
def test_a_hostile_configuration_is_refused_where_it_is_written(project, capsys, old, new, key, message, monkeypatch):
    monkeypatch.setenv("HOME", CANARY)
    (project / "boom.py").write_text(f"open({str(project / 'ran')!r}, 'w')\n", encoding="utf-8")
    edit(project, old, new)
    first = refused(project, capsys, f"site_config.yml:{line_of(project, key)}:", message)
    assert CANARY not in first
    assert not (project / "ran").exists()


def test_a_folder_link_out_of_the_project_is_refused_as_a_setting(project, capsys, outside):
    (project / "overrides").symlink_to(outside)
    edit(project, THEME, THEME + "  custom_dir: overrides\n")
    refused(project, capsys, f"site_config.yml:{line_of(project, 'custom_dir')}:", "inside the project")


def test_a_refused_configuration_also_stops_build_with_the_same_line(project, capsys, monkeypatch):
    monkeypatch.setenv("PANELSITE_SECRET", CANARY)
    edit(project, "copyright: ", "copyright: !ENV [PANELSITE_SECRET, x]\nsite_author: ")
    first = refused(project, capsys, "site_config.yml:", "!ENV is not allowed")
    code, lines, everything = run(project, "build", capsys)
    assert code == 1 and lines[0] == first and CANARY not in everything
    assert not (project / "site").exists()


# --- check and build accept exactly the same configurations ------------------------------------------

PARITY = {
    "as given": None,
    "custom_dir names a missing folder": (THEME, THEME + "  custom_dir: overrides\n"),
    "a Markdown extension option that does not exist": (
        "      permalink: false\n",
        "      permalink: false\n      bogus: 1\n",
    ),
    "a validation level MkDocs does not know": (
        "    not_found: warn\n    anchors",
        "    not_found: maybe\n    anchors",
    ),
    "site_name missing": ("site_name: Rotherham Corporate Parenting Panel\n", ""),
    "a hook": ("site_url:", "hooks: [boom.py]\nsite_url:"),
    "theme.custom_dir inside the project": (THEME, THEME + "  custom_dir: overrides\n"),
}


@pytest.mark.parametrize("case", PARITY, ids=list(PARITY))
def test_check_and_build_give_the_same_verdict(project, capsys, case):
    change = PARITY[case]
    if change:
        edit(project, *change)
    if case == "theme.custom_dir inside the project":
        (project / "overrides").mkdir()
    check, check_lines, _ = run(project, "check", capsys)
    build, build_lines, everything = run(project, "build", capsys)
    assert "Traceback" not in everything
    assert (check, build) in ((0, 0), (1, 1)), f"check exited {check}, build {build}: {everything[-2000:]}"
    if check:
        assert check_lines[0].startswith("site_config.yml:"), check_lines[:2]
    expected_ok = case in ("as given", "theme.custom_dir inside the project")
    assert (check == 0) is expected_ok


# --- theme/ and content/: links (symlinks) that leave them, pages linking to what is not published -----


def test_a_theme_link_to_etc_passwd_is_refused_and_not_published(project, capsys, outside):
    link = project / "theme/overrides/assets/x"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside / "secret.txt")
    refused(project, capsys, "theme/overrides/assets/x:1:1:", "is a link to a file outside the project")
    code, _, everything = run(project, "build", capsys)
    assert code == 1 and CANARY not in everything
    assert not (project / "site").exists()


def test_a_theme_link_elsewhere_in_the_project_is_refused(project, capsys):
    (project / ".git").mkdir()
    (project / ".git/config").write_text(f"[remote]\n token = {CANARY}\n", encoding="utf-8")
    link = project / "theme/overrides/git-config"
    link.parent.mkdir(parents=True)
    link.symlink_to(project / ".git/config")
    refused(project, capsys, "theme/overrides/git-config:1:1:", "is a link to a file outside theme/")


def test_a_custom_dir_link_out_of_the_project_is_refused(project, capsys, outside):
    (project / "overrides").mkdir()
    (project / "overrides/passwd.txt").symlink_to(outside / "secret.txt")
    edit(project, THEME, THEME + "  custom_dir: overrides\n")
    refused(project, capsys, "overrides/passwd.txt:1:1:", "outside the project")


def test_a_content_link_to_a_data_file_is_refused(project, capsys):
    (project / "content/kpi.txt").symlink_to(project / "data/glossary.yml")
    refused(project, capsys, "content/kpi.txt:1:1:", "is a link to a file elsewhere in the project, outside content/")


@pytest.mark.parametrize(
    "target",
    ["../.git/config", ".git/config", "../data/glossary.yml", "meetings/2017-07-18-item-11.pdf", "../../../etc/passwd"],
)
def test_a_page_linking_to_what_panelsite_does_not_publish_is_refused(project, capsys, target):
    (project / "content/about.md").write_text(f"# About\n\nRead [the file]({target}).\n", encoding="utf-8")
    refused(project, capsys, "content/about.md:3:", f"link to {target}:")


def test_an_html_link_to_a_raw_data_file_is_refused(project, capsys):
    page = '# About\n\n<a href="../data/kpis/children-looked-after.yml">the figures</a>\n'
    (project / "content/about.md").write_text(page, encoding="utf-8")
    refused(project, capsys, "content/about.md:3:10:", "climbs out of the site")


def test_links_to_published_files_and_pages_pass(project, capsys):
    page = (
        "# About\n\n![Balloons](images/thank-you-balloons.png) [figures](performance/) "
        '<a href="performance/index.html">again</a> [top](#about) [web](https://example.org/x.css)\n'
    )
    (project / "content/about.md").write_text(page, encoding="utf-8")
    code, lines, everything = run(project, "check", capsys)
    assert code == 0, everything


# --- council stylesheets and HTML overrides may not load from other hosts -----------------------------

THIRD_PARTY = [
    ("assets/stylesheets/council.css", 'body { color: red }\n@import url("https://fonts.example.com/a.css");\n', 2, 14),
    ("assets/stylesheets/council.css", "@import 'https://fonts.example.com/a.css';\n", 1, 10),
    ("assets/stylesheets/council.css", "h1 {\n  background: url(//cdn.example/x.png);\n}\n", 2, 19),
    ("partials/footer.html", '<footer>\n<script src="https://evil.example/t.js"></script>\n</footer>\n', 2, 14),
]


@pytest.mark.parametrize(("name", "text", "line", "column"), THIRD_PARTY)
def test_a_council_file_that_loads_from_another_host_is_refused(project, capsys, name, text, line, column):
    path = project / "theme/overrides" / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    refused(project, capsys, f"theme/overrides/{name}:{line}:{column}:", "loads a file from another host")


def test_local_and_data_urls_in_a_council_stylesheet_pass(project, capsys):
    path = project / "theme/overrides/assets/stylesheets/council.css"
    path.parent.mkdir(parents=True)
    path.write_text(
        "/* not this: url(https://x.example/a.png) */\nh1 { background: url(data:image/png;base64,AAAA) }\n"
        "h2 { background: url('../images/x.png') }\n",
        encoding="utf-8",
    )
    code, _, everything = run(project, "check", capsys)
    assert code == 0, everything


# --- council page templates render in the sandbox ----------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch RAN').read() }}",
    "{{ lipsum.__globals__['os'].popen('touch RAN').read() }}",
    "{{ lipsum(n=5) }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ site.model_dump_json() }}",
    "{{ site.parse_file('/etc/passwd') }}",
    "{{ urls.__class__.__init__.__globals__ }}",
    "{{ link.__globals__ }}",
    "{{ self._TemplateReference__context }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_council_template_cannot_escape_the_sandbox(project, capsys, escape):
    override = project / "theme/templates/glossary.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text(f"# Glossary\n\n{escape}\n", encoding="utf-8")
    first = refused(project, capsys, "theme/templates/glossary.md.j2:3:1:", "template error")
    assert "root:" not in first
    code, lines, _ = run(project, "build", capsys)
    assert code == 1 and lines[0] == first
    assert not (project / "RAN").exists() and not Path("RAN").exists()


def test_every_packaged_template_renders_the_same_as_a_council_override(project, capsys):
    """Every documented variable is still there in the sandbox: the packaged templates copied into
    the council's folder make the same pages."""
    from generator.pipeline import generate, load_project
    from tests.conftest import REPO

    before = {
        edition: generate(load_project(project / "site_config.yml"), edition).pages for edition in ("standard", "young")
    }
    shutil.copytree(REPO / "theme/templates", project / "theme/templates")
    config = project / "site_config.yml"
    for edition in ("standard", "young"):
        site = generate(load_project(config), edition)
        assert not site.problems.has_errors, site.problems.format()
        assert site.pages == before[edition]


def test_the_sandbox_keeps_its_own_compiled_template_cache():
    from generator.rendering import make_environment
    from generator.template_sandbox import TemplateSandbox
    from generator.theme import packaged_theme

    packaged = make_environment([packaged_theme() / "templates"], "standard")
    council = make_environment([Path(os.getcwd()), packaged_theme() / "templates"], "standard")
    assert not isinstance(packaged, TemplateSandbox) and isinstance(council, TemplateSandbox)
    assert council.bytecode_cache is not packaged.bytecode_cache


def test_a_configuration_without_font_false_loads_no_font_from_google(project, capsys):
    """Material's default font is Roboto from Google Fonts; panelsite always turns it off."""
    edit(project, THEME, "")
    code, _, everything = run(project, "build", capsys)
    assert code == 0, everything[-2000:]
    for page in ("index.html", "young/index.html"):
        html = (project / "site" / page).read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_serve_refuses_the_same_configuration_before_mkdocs_reads_it(project):
    """`panelsite serve` checks the file with `refuse_unsafe_config` before MkDocs loads it."""
    from generator.settings import refuse_unsafe_config

    edit(project, "site_url:", "hooks: [boom.py]\nsite_url:")
    problems = refuse_unsafe_config(project / "site_config.yml")
    assert problems.has_errors
    assert problems.errors[0].format().startswith(f"site_config.yml:{line_of(project, 'hooks:')}:1: hooks: runs Python")


def test_a_plugin_hidden_in_a_second_key_of_an_entry_is_refused(project, capsys):
    edit(project, "  - search\n", "  - search: {}\n    macros: {}\n")
    refused(project, capsys, f"site_config.yml:{line_of(project, 'macros:')}:", "a plugin runs Python code")


def test_the_schema_says_council_is_required(tmp_path):
    import json

    from generator.schemas import write_schemas

    write_schemas(tmp_path)
    schema = json.loads((tmp_path / "site_config.panelsite.schema.json").read_text(encoding="utf-8"))
    assert "council" in schema["required"] and "default" not in schema["properties"]["council"]


APART = [
    ("custom-dir-project", THEME, THEME + "  custom_dir: .\n", "custom_dir:", "may not be the project folder itself"),
    ("custom-dir-data", THEME, THEME + "  custom_dir: data\n", "custom_dir:", "shares files with data_dir"),
    ("theme-dir-meetings", PANELSITE, PANELSITE + "      theme_dir: data/meetings\n", "theme_dir:", "data_dir"),
    ("cache-dir-content", PANELSITE, PANELSITE + "      cache_dir: content/cache\n", "cache_dir:", "cache_dir"),
    (
        "content-dir-data",
        "docs_dir: content",
        "docs_dir: data",
        "docs_dir:",
        "shares files with data_dir",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "message"), [c[1:] for c in APART], ids=[c[0] for c in APART])
def test_a_theme_or_content_folder_that_would_publish_data_or_the_cache_is_refused(
    project, capsys, old, new, key, message
):
    edit(project, old, new)
    refused(project, capsys, f"site_config.yml:{line_of(project, key)}:", message)


def test_serve_reads_no_configuration_again_that_would_run_code(project):
    """MkDocs' serve loads the file again on every rebuild; a hook added meanwhile must not run."""
    from mkdocs.commands import serve

    from generator.serving import ServeState, _serving_with

    (project / "boom.py").write_text(f"open({str(project / 'ran')!r}, 'w')\n", encoding="utf-8")
    edit(project, "site_url:", "hooks: [boom.py]\nsite_url:")
    config = str(project / "site_config.yml")
    with _serving_with(serve, ServeState(project / "site_config.yml")), contextlib.suppress(Exception):
        serve.load_config(config_file=config)  # refused with the located problem, before MkDocs reads it
    assert not (project / "ran").exists()
    with contextlib.suppress(Exception):  # what the guard prevents: MkDocs' own loading imports the hook
        serve.load_config(config_file=config)
    assert (project / "ran").exists()


def test_a_council_template_cannot_hang_the_build_with_loops(project, capsys):
    import time

    override = project / "theme/templates/glossary.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        "# Glossary\n\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    refused(project, capsys, "theme/templates/glossary.md.j2:3:1:", "loops ran more than 200,000 times")
    assert time.monotonic() - started < 30
