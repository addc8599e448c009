"""Compiled templates are kept between builds, never at the cost of a stale page."""

import tempfile
from pathlib import Path

import jinja2
import pytest

from generator.cli import main
from generator.rendering import _bytecode_cache, _TemplateBytecode, make_environment, render, theme_bytecode_cache


@pytest.fixture
def project(project_with_charts: Path) -> Path:
    """conftest's `project`, its chart cache filled by the session's build of the same project: these
    tests build it, and what they check is not how charts are drawn."""
    return project_with_charts


def test_an_edited_template_renders_its_new_text_after_being_cached(tmp_path):
    (tmp_path / "page.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A*B"}) == "# A&#42;B\n"
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A*B"}) == "# A&#42;B\n"
    (tmp_path / "page.md.j2").write_text("## {{ title }} again\n", encoding="utf-8")
    assert render(make_environment(tmp_path, "young"), "page.md.j2", {"title": "A*B"}) == "## A&#42;B again\n"


def test_the_cache_key_holds_the_environment_options_fingerprint():
    cache, other = _TemplateBytecode("one"), _TemplateBytecode("other")
    plain = cache.get_cache_key("page.md.j2", "/t/page.md.j2")
    assert plain != super(_TemplateBytecode, cache).get_cache_key("page.md.j2", "/t/page.md.j2")
    assert other.get_cache_key("page.md.j2", "/t/page.md.j2") != plain


def test_the_theme_cache_is_keyed_by_the_options_that_shape_compiled_code():
    plain = jinja2.Environment()
    assert theme_bytecode_cache(plain) is theme_bytecode_cache(jinja2.Environment())
    for changed in (
        jinja2.Environment(trim_blocks=True),
        jinja2.Environment(extensions=["jinja2.ext.i18n"]),
        jinja2.Environment(block_start_string="<%", block_end_string="%>"),
    ):
        assert theme_bytecode_cache(changed) is not theme_bytecode_cache(plain)
    ours = make_environment(Path("."), "standard").bytecode_cache
    assert ours is not None and theme_bytecode_cache(plain) is not ours


@pytest.fixture
def empty_cache_folder(tmp_path, monkeypatch):
    """The compiled-template caches in a fresh temporary folder of this test's own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    _bytecode_cache.cache_clear()
    yield folder
    _bytecode_cache.cache_clear()


def test_a_second_build_compiles_none_of_the_themes_html_templates(project, monkeypatch, empty_cache_folder):
    """MkDocs makes a new Jinja environment per edition and build; the templates it renders pages
    with (Material's base.html and the rest) come from the cache."""
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        if filename and filename.endswith(".html"):
            compiled.append(filename)
        return compile_template(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    assert main(["build"]) == 0
    assert any(f.endswith("/material/templates/base.html") for f in compiled)
    compiled.clear()
    assert main(["build"]) == 0
    # Material's search plugin reads its language partials in an environment of its own.
    assert {Path(f).name for f in compiled} <= {"language.html", "en.html"}


def test_a_tampered_compiled_template_is_compiled_again_never_run(tmp_path, monkeypatch, empty_cache_folder):
    """Jinja's own cache reads a pickle from each entry; this one runs only checked code objects."""
    (tmp_path / "page.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A"}) == "# A\n"
    (entry,) = (p for p in empty_cache_folder.rglob("*") if p.parent.name == "templates" and p.is_file())
    assert oct(entry.parent.stat().st_mode & 0o777) == "0o700"
    header, _, code = entry.read_bytes().partition(b"\n")
    import marshal

    evil = marshal.dumps(compile("raise SystemExit('planted code ran')", "x", "exec"))
    entry.write_bytes(header + b"\n" + evil)  # the header's hash no longer matches the bytes
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A"}) == "# A\n"
    entry.write_bytes(b"\x80\x04garbage that once went to pickle.load")
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A"}) == "# A\n"


def test_the_template_cache_folder_is_not_taken_over_by_a_planted_link(tmp_path, monkeypatch, empty_cache_folder):
    import os

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    root = empty_cache_folder / f"panelsite-cache-{os.getuid()}"
    root.mkdir(mode=0o700)
    (root / "templates").symlink_to(elsewhere)
    (tmp_path / "page.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    assert render(make_environment(tmp_path, "standard"), "page.md.j2", {"title": "A"}) == "# A\n"
    assert list(elsewhere.iterdir()) == []
    assert not (root / "templates").is_symlink()
