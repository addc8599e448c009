"""Each page's converted HTML is kept between builds, and used only while nothing it is made from changed."""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from generator.cli import main
from generator.mkdocs_plugin import PageHtml, _toc_tokens
from generator.private_cache import MANIFEST, CheckedStore, read_manifest, safe_cache_dir
from tests.conftest import copy_demo

REPO = Path(__file__).resolve().parent.parent

PAGES = {
    "index.md": "# Home\n\nSee [the second page](second.md#the-detail) and [its top](second.md).\n",
    "second.md": "# Second\n\nSome *words*.\n\n## The detail {#the-detail}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "third.md": "# Third\n\n!!! note\n    A note.\n",
}


def _config(tmp_path: Path, extensions: list | None = None) -> MkDocsConfig:
    docs = tmp_path / "docs"
    if not docs.is_dir():
        docs.mkdir()
        for name, text in PAGES.items():
            (docs / name).write_text(text, encoding="utf-8")
    config = MkDocsConfig()
    config.load_dict(
        {
            "site_name": "Test",
            "docs_dir": str(docs),
            "site_dir": str(tmp_path / "site"),
            "markdown_extensions": extensions or ["toc", "attr_list", "admonition", "tables"],
        }
    )
    errors, _ = config.validate()
    assert not errors
    return config


def _build(tmp_path: Path, html: PageHtml, extensions: list | None = None) -> dict[str, Page]:
    """Convert every page as MkDocs does, with `html` in front of each page's conversion."""
    config = _config(tmp_path, extensions)
    files = get_files(config)
    pages = {file.src_uri: Page(None, file, config) for file in files.documentation_pages()}
    html.begin(config, files)
    for page in pages.values():
        page.read_source(config)
        html.attach(page)
        page.render(config, files)
    html.end(complete=True)
    return pages


def _fresh(tmp_path: Path) -> dict[str, Page]:
    """The pages converted by MkDocs alone."""
    config = _config(tmp_path)
    files = get_files(config)
    pages = {file.src_uri: Page(None, file, config) for file in files.documentation_pages()}
    for page in pages.values():
        page.read_source(config)
        page.render(config, files)
    return pages


def _same(kept: Page, fresh: Page) -> None:
    assert kept.content == fresh.content
    assert _toc_tokens(kept.toc.items) == _toc_tokens(fresh.toc.items)
    assert kept.title == fresh.title
    assert kept.present_anchor_ids == fresh.present_anchor_ids
    links = {f.src_uri: a for f, a in (kept.links_to_anchors or {}).items()}
    assert links == {f.src_uri: a for f, a in (fresh.links_to_anchors or {}).items()}


def _root(tmp_path: Path) -> Path:
    root = safe_cache_dir("cache", base=tmp_path)
    assert root is not None
    return root


def test_an_unchanged_page_is_not_converted_again_and_a_changed_one_is(tmp_path):
    root = _root(tmp_path)
    first = PageHtml(root, "standard")
    _build(tmp_path, first)
    assert (first.converted, first.reused) == (3, 0)

    again = PageHtml(root, "standard")
    pages = _build(tmp_path, again)
    assert (again.converted, again.reused) == (0, 3)
    fresh = _fresh(tmp_path)
    for name in PAGES:
        _same(pages[name], fresh[name])
    assert pages["index.md"].links_to_anchors  # the link to an anchor is still checked after the build

    (tmp_path / "docs" / "third.md").write_text("# Third\n\nOther words.\n", encoding="utf-8")
    changed = PageHtml(root, "standard")
    pages = _build(tmp_path, changed)
    assert (changed.converted, changed.reused) == (1, 2)
    assert "Other words." in (pages["third.md"].content or "")


def test_what_shapes_the_html_besides_the_markdown_converts_every_page_again(tmp_path):
    root = _root(tmp_path)
    _build(tmp_path, PageHtml(root, "standard"))
    other_extensions = PageHtml(root, "standard")
    _build(tmp_path, other_extensions, ["toc", "attr_list", "tables"])
    assert (other_extensions.converted, other_extensions.reused) == (3, 0)

    (tmp_path / "docs" / "fourth.md").write_text("# Fourth\n", encoding="utf-8")  # links may now resolve
    more_files = PageHtml(root, "standard")
    _build(tmp_path, more_files)
    assert more_files.reused == 0

    young = PageHtml(root, "young")  # each edition keeps its own pages
    _build(tmp_path, young)
    assert young.reused == 0


def test_a_tampered_entry_is_ignored_deleted_and_made_again(tmp_path):
    root = _root(tmp_path)
    _build(tmp_path, PageHtml(root, "standard"))
    folder = root / "pages" / "standard"
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    assert len(entries) == 1  # the three pages, kept together in one pack
    assert stat.S_IMODE(os.lstat(folder).st_mode) == 0o700
    for entry in entries:  # a planted page: same length, other markup, header unchanged
        data = entry.read_bytes()
        assert data.count(b"<p>") >= 3
        entry.write_bytes(data.replace(b"<p>", b"<b>"))

    again = PageHtml(root, "standard")
    pages = _build(tmp_path, again)
    assert again.store.rejected == 3 and again.converted == 3 and again.reused == 0
    assert all(b"<p>" in entry.read_bytes() for entry in entries)  # the pack was made again in its place
    fresh = _fresh(tmp_path)
    for name in PAGES:
        _same(pages[name], fresh[name])

    rebuilt = PageHtml(root, "standard")
    _build(tmp_path, rebuilt)
    assert (rebuilt.converted, rebuilt.reused) == (0, 3)  # the entries were made again, sound


def test_an_entry_the_manifest_does_not_list_is_not_read(tmp_path):
    root = _root(tmp_path)
    _build(tmp_path, PageHtml(root, "standard"))
    (root / MANIFEST).write_bytes(b"not a manifest")
    again = PageHtml(root, "standard")
    _build(tmp_path, again)
    assert (again.converted, again.reused) == (3, 0)
    assert len(read_manifest(root)["pages/standard"]) == 3  # and the manifest is whole again


def test_the_store_lists_one_manifest_and_prunes_only_on_a_complete_run(tmp_path):
    root = _root(tmp_path)
    store = CheckedStore(root, "kind", "v1")
    made = store.made_from("input")
    store.put("a" * 40, made, b"payload")
    store.save()
    later = CheckedStore(root, "kind", "v1")
    assert later.get("a" * 40, made, bytes) == b"payload"
    assert later.get("a" * 40, later.made_from("other input"), bytes) is None
    other_code = CheckedStore(root, "kind", "v2")
    assert other_code.get("a" * 40, other_code.made_from("input"), bytes) is None  # made by other code
    later.put("b" * 40, later.made_from("second"), b"second")
    partial = CheckedStore(root, "kind", "v1")
    partial.save(prune=False)  # a partial rebuild asked for nothing: everything listed stays
    assert set(read_manifest(root)["kind"]) == {"a" * 40}
    complete = CheckedStore(root, "kind", "v1")
    complete.save()  # a complete run that used nothing: its entries are gone
    assert read_manifest(root)["kind"] == {}
    assert not [p for p in (root / "kind").iterdir() if not p.name.startswith(".")]


@pytest.mark.slow  # two builds of the whole demo of its own, the first drawing every chart
def test_the_demo_built_with_kept_pages_is_byte_for_byte_the_demo_built_without(tmp_path, caplog):
    root = copy_demo(tmp_path / "demo")
    config = str(root / "site_config.yml")
    said: list[str] = []

    class Said(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    handler = Said(logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        assert main(["--config", config, "build", "--site-dir", str(tmp_path / "without")]) == 0
        cold = [line for line in said if "converted from Markdown" in line]
        said.clear()
        assert main(["--config", config, "build", "--site-dir", str(tmp_path / "with")]) == 0
        warm = [line for line in said if "converted from Markdown" in line]
    finally:
        logger.removeHandler(handler)
    counted = re.compile(r"(\d+) pages converted from Markdown, (\d+) kept from the last build; (\d+) pages' search")
    cold_counts = [tuple(map(int, counted.search(line).groups())) for line in cold]  # type: ignore[union-attr]
    warm_counts = [tuple(map(int, counted.search(line).groups())) for line in warm]  # type: ignore[union-attr]
    assert len(cold_counts) == 2 and all(kept == 0 and searched == 0 for _, kept, searched in cold_counts)
    # the warm build converted no page and indexed none for search: each edition's pages all came back
    assert warm_counts == [(0, converted, converted) for converted, _, _ in cold_counts]
    without = {p.relative_to(tmp_path / "without"): p for p in (tmp_path / "without").rglob("*") if p.is_file()}
    with_kept = {p.relative_to(tmp_path / "with"): p for p in (tmp_path / "with").rglob("*") if p.is_file()}
    assert sorted(without) == sorted(with_kept)
    different = [str(name) for name, path in without.items() if path.read_bytes() != with_kept[name].read_bytes()]
    assert different == []
