"""The thin MkDocs adapter: runs the core in `on_config`, adds its pages and files in `on_files`.

This is the only module that imports MkDocs. Errors in the data abort the build with every
problem listed; warnings go to MkDocs' log (`building.log_problem`: printed as `check` prints them),
so `--strict` fails on them.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from pathlib import Path

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from . import __version__
from .branding import stylesheets, theme_config
from .building import log_problem
from .charts import ChartCache
from .check_memo import CheckMemo
from .dataset import DatasetLoader
from .editions import Edition
from .errors import Problems
from .feeds import feed_links
from .pipeline import GeneratedSite, Project, ProjectNotLoaded, generate, load_project
from .private_cache import CheckedStore, PackedStore, entry_hash, json_value, safe_cache_dir
from .render_memo import RenderMemo
from .rendering import theme_bytecode_cache
from .settings import EDITIONS, Settings, project_paths
from .site_folder import check_output_folder, project_folders, write_marker
from .theme import override_dirs
from .urls import real_site_url

log = get_plugin_logger(__name__)


class PanelsiteConfig(Config):
    """The plugin's options as MkDocs reads them: every field of `settings.Settings`, by the shape YAML
    gives it (text, number, list or mapping), and `command_lists_problems`. A number may also be
    written in quotes (`upper_age: "26"`), as every release has read it (`Settings` reads the number).

    What each setting means, its default and its finer rules are `Settings`' alone: `on_config`
    validates the plugin's section there, with each problem located in site_config.yml, and the
    configuration reference is generated from it. A setting not given here is None (not given). A
    test checks that these options are `Settings`' fields, each of the shape its type takes.
    """

    edition = c.Choice(EDITIONS, default="standard")
    format = c.Optional(c.Type((int, str)))
    data_dir = c.Optional(c.Type(str))
    content_dir = c.Optional(c.Type(str))
    theme_dir = c.Optional(c.Type(str))
    templates_dir = c.Optional(c.Type(str))
    cache_dir = c.Optional(c.Type(str))
    council = c.Optional(c.Type(str))
    area_name = c.Optional(c.Type(str))
    la_code = c.Optional(c.Type(str))
    panel = c.Optional(c.Type(str))
    panel_short_name = c.Optional(c.Type(str))
    children_council = c.Optional(c.Type(dict))
    care_leavers_forum = c.Optional(c.Type(dict))
    young_site_name = c.Optional(c.Type(str))
    scorecard_themes = c.Optional(c.ListOfItems(c.Type(str)))
    young_kpis = c.Optional(c.ListOfItems(c.Type(str)))
    reading_grade_max = c.Optional(c.Type((int, float, str)))
    comparators = c.Optional(c.ListOfItems(c.Type(dict)))
    upper_age = c.Optional(c.Type((int, str)))
    age_bands = c.Optional(c.ListOfItems(c.Type(dict)))
    extra_event_kinds = c.Optional(c.ListOfItems(c.Type(str)))
    branding = c.Optional(c.Type(dict))
    contacts = c.Optional(c.ListOfItems(c.Type(dict)))
    local_offer = c.Optional(c.Type(dict))
    accessibility = c.Optional(c.Type(dict))
    roles = c.Optional(c.ListOfItems(c.Type(str)))
    limits = c.Optional(c.Type(dict))
    command_lists_problems = c.Type(bool, default=False)
    """True when a panelsite command loaded this configuration (`building.load_mkdocs_config`): it lists
    the data's problems itself, so a failed build's message only counts them. Never written in
    site_config.yml (`Settings` refuses it there); a plain `mkdocs build` gets the whole list in its
    error message."""


def default_paths(config_path: Path) -> dict[str, Path]:
    """The project's folders by their default names (for when the settings cannot be read)."""
    root = config_path.parent
    names = ("data_dir", "content_dir", "theme_dir", "cache_dir")
    return {name: root / str(Settings.model_fields[name].default) for name in names}


class GeneratedFile(File):
    """A file panelsite generated. In a dirty build (`panelsite serve`) MkDocs rewrites only the files
    whose `is_modified` is true: `changed` is False for a file whose text is the last build's."""

    changed = True

    @classmethod
    def made(cls, config: MkDocsConfig, path: str, content: str | bytes, changed: bool) -> GeneratedFile:
        """The file at `path` with `content` (`File.generated`), changed since the last build or not."""
        file = cls.generated(config, path, content=content)
        assert isinstance(file, cls)
        file.changed = changed
        return file

    def is_modified(self) -> bool:
        """Whether MkDocs must write this file again (MkDocs' own answer for a file with content: always)."""
        return self.changed and super().is_modified()


PAGE_CACHE_FORMAT = "1"
"""The shape of a kept page; a new one keeps nothing of the old."""


class _Records(logging.Handler):
    """Whether MkDocs said anything while one page was converted (such a page is not kept: what it
    said must be said again, and counted by `--strict`, on every build)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.said = False

    def emit(self, record: logging.LogRecord) -> None:
        self.said = True


class PageHtml:
    """Each page's converted HTML (with its table of contents, title and anchors), kept between builds.

    MkDocs converts every page's Markdown on every build. A page is converted again only when
    something that shapes its HTML changed: its Markdown; the Markdown extensions and their options;
    its own source, destination and URL; every file's source, destination, URL and inclusion (links
    resolve against them); the link validation settings and log level; and the versions of MkDocs,
    Python-Markdown and the extensions' packages. All of these make the hash an entry is kept
    under, in `private_cache.CheckedStore` (the project's `cache_dir`, per user, mode 0700, one
    manifest, every entry checked and never trusted). A page whose conversion logged anything is
    not kept. Nothing of MkDocs is patched: each page's own `render` is replaced on that page alone.
    """

    def __init__(self, root: Path | None, edition: Edition) -> None:
        self.edition = edition
        fingerprint = _page_fingerprint()
        self.store = PackedStore(root, f"pages/{edition}", fingerprint)
        self.search = SearchEntries(PackedStore(root, f"search/{edition}", fingerprint))
        self.config_digest: str | None = None
        self.files_digest = ""
        self.converted = 0
        self.reused = 0

    def begin(self, config, files: Files) -> None:
        """Hash what every page's HTML depends on, once a build (after every plugin's `on_files`)."""
        self.converted = self.reused = 0
        self.config_digest = _config_digest(config)
        self.search.begin(config)
        self.files_digest = entry_hash(
            *(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\0{f.inclusion.name}" for f in sorted(files, key=lambda f: f.src_uri))
        )

    def attach(self, page: Page) -> None:
        """Make this page's `render` look in the cache first (the page object alone is changed)."""
        page.render = functools.partial(self.render, page)  # type: ignore[method-assign]

    def render(self, page: Page, config, files: Files) -> None:
        made_from = self._made_from(page)
        name = made_from[:40] if made_from else ""
        if made_from:
            kept = self.store.get(name, made_from, functools.partial(_kept_page, files))
            if kept is not None:
                page.content, page.toc, page._title_from_render, page.present_anchor_ids, links = kept
                if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
                    page.links_to_anchors = links  # as MkDocs sets them (anchor links are then checked)
                self.reused += 1
                return
        said = _Records()
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(said)
        try:
            Page.render(page, config, files)
        finally:
            mkdocs_log.removeHandler(said)
        self.converted += 1
        if made_from and not said.said and page.content is not None:
            self.store.put(name, made_from, _page_payload(page))

    def _made_from(self, page: Page) -> str | None:
        if self.config_digest is None or page.markdown is None:
            return None
        file = page.file
        return self.store.made_from(
            self.config_digest, self.files_digest, file.src_uri, file.dest_uri, file.url, page.markdown
        )

    def end(self, complete: bool) -> None:
        """Rewrite the manifest; a complete build also deletes the pages it did not use."""
        self.store.save(prune=complete)
        self.search.store.save(prune=complete)


class SearchEntries:
    """Each page's entries in the search index, kept between builds like its HTML (see `PageHtml`).

    Material's search plugin parses every page's HTML again on every build to index it. Here its
    index object (this build's alone) looks in the cache first: a page's entries are kept under a hash
    of the search settings, the page's HTML, table of contents, URL, title and metadata. Nothing is
    kept when the index is not the one this was written for, or when it segments Chinese text with
    jieba (whose dictionary is not part of the hash).
    """

    def __init__(self, store: CheckedStore) -> None:
        self.store = store
        self.reused = 0

    def begin(self, config) -> None:
        self.reused = 0
        plugin = config.plugins.get("search") or config.plugins.get("material/search")
        index = getattr(plugin, "search_index", None)
        add = getattr(index, "add_entry_from_context", None)
        module = sys.modules.get(type(index).__module__)
        if not callable(add) or not isinstance(getattr(index, "entries", None), list):
            return
        if module is None or getattr(module, "jieba", None) is not None:
            return
        try:
            settings = json.dumps(dict(plugin.config.items()), sort_keys=True, default=_refuse)
        except (TypeError, ValueError):
            return
        index.add_entry_from_context = functools.partial(self.add, index, add, settings)  # type: ignore[union-attr]

    def add(self, index, add, settings: str, page: Page) -> None:
        try:
            meta = json.dumps(page.meta, sort_keys=True, default=_refuse)
        except (TypeError, ValueError):
            add(page)
            return
        made_from = self.store.made_from(
            settings, page.content or "", json.dumps(_toc_tokens(page.toc.items)), page.url, str(page.title), meta
        )
        name = made_from[:40]
        kept = self.store.get(name, made_from, _kept_entries)
        if kept is not None:
            index.entries.extend(kept)
            self.reused += 1
            return
        before = len(index.entries)
        add(page)
        entries = index.entries[before:]
        try:
            payload = json.dumps(entries, allow_nan=False).encode(
                "utf-8"
            )  # key order kept: the index is written as it is
        except (TypeError, ValueError):
            return
        self.store.put(name, made_from, payload)


_ENTRY_FIELDS = {"location": str, "title": str, "text": str}


def _kept_entries(payload: bytes) -> list[dict] | None:
    """Search entries as Material makes them: location, title and text, and tags and boost when given."""
    value = json_value(payload)
    if not isinstance(value, list):
        return None
    for entry in value:
        if not isinstance(entry, dict) or not set(_ENTRY_FIELDS) <= set(entry) <= {*_ENTRY_FIELDS, "tags", "boost"}:
            return None
        if not all(isinstance(entry[key], str) for key in _ENTRY_FIELDS):
            return None
        tags = entry.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            return None
        if "boost" in entry and (isinstance(entry["boost"], bool) or not isinstance(entry["boost"], int | float)):
            return None
    return value


def _cache_root(config_path: Path, settings: Settings) -> Path | None:
    """The project's cache folder (`cache_dir`), made private to the user; None when it cannot be."""
    try:
        return safe_cache_dir(str(settings.cache_dir), base=config_path.parent)
    except ValueError:  # a cache_dir outside the project: pages are converted every time
        return None


def _page_fingerprint() -> str:
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for package in ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material"):
        try:
            versions.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package}=none")
    return entry_hash(PAGE_CACHE_FORMAT, sys.version, *versions)


def _config_digest(config) -> str | None:
    """A hash of the configuration a page's conversion reads; None (nothing kept) when part of it is not
    plain data (an extension given as an object, whose behaviour no hash can name)."""
    extensions = config.markdown_extensions
    if not all(isinstance(name, str) for name in extensions):
        return None
    try:
        text = json.dumps(
            {
                "extensions": list(extensions),
                "options": config.mdx_configs or {},
                "directory_urls": config.use_directory_urls,
                "validation": dict(config.validation.items()) if config.validation else None,
                "links_logged": logging.getLogger("mkdocs.structure.pages").getEffectiveLevel(),
            },
            sort_keys=True,
            default=_refuse,
        )
    except (TypeError, ValueError):
        return None
    return entry_hash(text)


def _refuse(value: object) -> object:
    if isinstance(value, Config):
        return dict(value.items())
    raise TypeError(f"{type(value).__name__} is not plain data")


def _toc_tokens(items) -> list[dict]:
    return [
        {"title": item.title, "id": item.id, "level": item.level, "children": _toc_tokens(item.children)}
        for item in items
    ]


def _page_payload(page: Page) -> bytes:
    links = page.links_to_anchors or {}
    return json.dumps(
        {
            "content": page.content,
            "toc": _toc_tokens(page.toc.items),
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {file.src_uri: dict(anchors) for file, anchors in links.items()},
        },
        sort_keys=True,
    ).encode("utf-8")


def _anchor(token: object) -> AnchorLink:
    if not isinstance(token, dict) or set(token) != {"title", "id", "level", "children"}:
        raise ValueError("not a table of contents entry")
    title, id_, level, children = token["title"], token["id"], token["level"], token["children"]
    if not (isinstance(title, str) and isinstance(id_, str) and type(level) is int and isinstance(children, list)):
        raise ValueError("not a table of contents entry")
    anchor = AnchorLink(title, id_, level)
    anchor.children = [_anchor(child) for child in children]
    return anchor


def _kept_page(files: Files, payload: bytes) -> tuple | None:
    """A kept page's parts, checked for shape: (content, toc, title, anchor ids, links to anchors)."""
    value = json_value(payload)
    if not isinstance(value, dict) or set(value) != {"content", "toc", "title", "anchors", "links"}:
        return None
    content, title, anchors, links = value["content"], value["title"], value["anchors"], value["links"]
    if not isinstance(content, str) or not (title is None or isinstance(title, str)):
        return None
    if not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors) or not isinstance(links, dict):
        return None
    toc_items = value["toc"]
    if not isinstance(toc_items, list):
        return None
    toc = TableOfContents([_anchor(token) for token in toc_items])
    if toc.items:
        toc.items[0].active = True  # type: ignore[attr-defined]  # as MkDocs' get_toc does
    to_files: dict[File, dict[str, str]] = {}
    for src_uri, anchored in links.items():
        target = files.get_file_from_path(src_uri)
        if target is None or not isinstance(anchored, dict):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in anchored.items()):
            return None
        to_files[target] = dict(anchored)
    return content, toc, title, set(anchors), to_files


class PanelsitePlugin(BasePlugin[PanelsiteConfig]):
    """The MkDocs plugin. Everything a build needs comes with its configuration (the edition, and
    whether a panelsite command lists the problems) or is set on this object by `on_startup` and
    `share`: MkDocs hands the same object to every configuration loaded in the process, so nothing
    of one build may stay on it to steer another."""

    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object alive across `mkdocs serve` rebuilds,
        # so the in-memory chart cache makes live reload fast.
        self.is_serve = command == "serve"
        self.dirty = dirty
        self.cache: ChartCache | None = None
        self.problems: Problems | None = None
        self.shared: Project | None = None
        self.reported: Problems | None = None
        self.built: dict[str, str | bytes] = {}  # what the last finished build wrote, by path
        self.building: dict[str, str | bytes] = {}
        self.built_nav: list | None = None
        self.loader = DatasetLoader()  # keeps each data file's parse, so a rebuild re-reads only changed files
        self.checks = CheckMemo() if self.is_serve else None  # what the checks of one file at a time found
        # Keeps each page's rendering, so a rebuild renders only the pages whose inputs changed.
        self.memo = RenderMemo() if self.is_serve else None
        self.page_html: PageHtml | None = None  # each page's converted HTML, kept between builds
        self.paths: dict[str, Path] | None = None  # the project's folders, from its last readable settings

    def share(
        self,
        project: Project | None,
        cache: ChartCache | None = None,
        reported: Problems | None = None,
    ) -> None:
        """Build from a project loaded and validated by the caller (once for both editions); the edition
        is the configuration's (`building.load_mkdocs_config`). Called after `on_startup`.

        Warnings already in `reported` (printed while building the other edition) are not printed again.
        """
        self.shared = project
        self.cache = cache or self.cache
        self.reported = reported

    def _failure(self, problems: Problems) -> str:
        """The whole list for a plain `mkdocs build` or `mkdocs serve`; `panelsite build` and `panelsite
        serve` print the list themselves, as `check` does (and `serve` shows it in the browser)."""
        count = f"{len(problems.errors)} problem(s) in the data"
        if not self.config.command_lists_problems:
            return f"{count}:\n{problems.format()}"
        return f"{count}; listed on standard output"

    def on_config(self, config):
        edition = Edition(self.config.edition)
        self.problems = None  # this build's problems, if it fails
        config_path = Path(config.config_file_path).resolve()
        try:
            project = self.shared or load_project(
                config_path, progress=log.info, loader=self.loader, checks=self.checks
            )
        except ProjectNotLoaded as exc:
            self.problems = exc.problems
            if self.paths is None:  # `serve` still watches the folders while the settings are wrong
                self.paths = default_paths(config_path)
            raise PluginError(self._failure(exc.problems)) from None
        self.paths = project_paths(config_path, project.settings)
        if not self.is_serve and self.shared is None:
            self._check_site_dir(config, config_path, project.settings, edition)
        if self.cache is None:
            self.cache = ChartCache(self.paths["cache_dir"] / "charts")
        root = _cache_root(config_path, project.settings)
        if self.page_html is None or (self.page_html.store.root, self.page_html.edition) != (root, edition):
            self.page_html = PageHtml(root, edition)
        self.site: GeneratedSite = generate(project, edition, self.cache, progress=log.info, memo=self.memo)
        problems = self.site.problems
        if problems.has_errors:
            self.problems = problems
            raise PluginError(self._failure(problems))
        for warning in problems.warnings:
            if self.reported is not None:
                if warning in self.reported.items:
                    continue
                self.reported.add(warning)
            log_problem(warning.format())
        config.nav = self.site.nav
        self._apply_theme(config, config_path, project.settings, edition)
        # A placeholder address (example.org) is no address: no canonical link, sitemap entry or
        # printed page footer may show it. Material prints the site's name and description unescaped, so
        # they are escaped here (as Markup, so that its own `| e` does not escape them twice).
        config.site_url = real_site_url(config.site_url)
        config.site_name = escape(project.settings.young_site_name if edition == Edition.YOUNG else config.site_name)
        config.site_description = escape(config.site_description) if config.site_description else None
        if edition == Edition.YOUNG:
            if config.site_url:
                config.site_url = config.site_url.rstrip("/") + "/young/"
            if not self.is_serve and Path(config.site_dir).name != "young":
                config.site_dir = os.path.join(config.site_dir, "young")
        config.extra["panelsite_edition"] = edition
        config.extra["panelsite_version"] = __version__
        config.extra["panelsite_feeds"] = [f for f in feed_links(project.settings) if f["path"] in self.site.assets]
        return config

    @staticmethod
    def _check_site_dir(config, config_path: Path, settings: Settings, edition: Edition) -> None:
        """A plain `mkdocs build` empties site_dir: only a folder panelsite may replace (see `site_folder`)."""
        site_dir = Path(config.site_dir)
        if edition == Edition.YOUNG and site_dir.name != "young":
            site_dir = site_dir / "young"
        folders = project_folders(config_path, settings)
        why = check_output_folder(site_dir, config_path.parent, config_path, folders)
        if why:
            raise PluginError(why)

    @staticmethod
    def _apply_theme(config, config_path: Path, settings: Settings, edition: Edition) -> None:
        """panelsite's packaged theme under the council's overrides, its stylesheets and its branding."""
        theme = config.theme
        ours = [str(d) for d in override_dirs(config_path, settings)]
        custom = [theme.custom_dir] if theme.custom_dir else []
        seen: set[str] = set()
        dirs = []
        for folder in [*custom, *ours, *theme.dirs]:
            key = os.path.realpath(folder)
            if key not in seen:
                seen.add(key)
                dirs.append(folder)
        theme.dirs = dirs
        for key, value in theme_config(settings, dict(theme.items())).items():
            theme[key] = value
        config.extra_css = stylesheets(settings, edition, list(config.extra_css))

    def on_env(self, env, *, config, files):
        # The theme's HTML templates compile once per user and Jinja version, not once per edition.
        if env.bytecode_cache is None:
            env.bytecode_cache = theme_bytecode_cache(env)
        return env

    def on_files(self, files: Files, *, config) -> Files:
        for file in list(files):
            if file.is_documentation_page() and not file.generated_by:
                files.remove(file)  # hand-written pages come back through the core (young variants, Jinja)
        # In a dirty build (`panelsite serve`), MkDocs rebuilds only the files we say changed: those
        # whose text differs from the last build's; a changed nav changes every page.
        same_nav = self.dirty and self.built_nav == self.site.nav
        self.building = {**self.site.pages, **self.site.assets}
        for path, content in self.building.items():
            if path in files.src_uris:  # a picture from content/, published re-encoded instead (issue 20)
                files.remove(files.src_uris[path])
            files.append(GeneratedFile.made(config, path, content, not (same_nav and self.built.get(path) == content)))
        if self.dirty and self.built:
            changed = sum(1 for path, text in self.site.pages.items() if not same_nav or self.built.get(path) != text)
            log.info(f"{changed} of {len(self.site.pages)} pages changed; only they are rebuilt")
        return files

    def on_nav(self, nav, *, config, files):
        if self.page_html is not None:
            self.page_html.begin(config, files)
        return nav

    def on_pre_page(self, page, *, config, files):
        if self.page_html is not None:
            self.page_html.attach(page)
        return page

    def on_post_build(self, *, config) -> None:
        if self.page_html is not None:
            self.page_html.end(complete=not self.dirty)
            html = self.page_html
            log.info(
                f"{html.converted} pages converted from Markdown, {html.reused} kept from the last build; "
                f"{html.search.reused} pages' search entries kept"
            )
        self.built, self.built_nav = self.building, self.site.nav
        if not self.is_serve and self.shared is None and Path(config.site_dir).is_dir():
            write_marker(Path(config.site_dir))  # a plain `mkdocs build` made this folder

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.paths["data_dir"]))
        if self.paths["theme_dir"].is_dir():
            server.watch(str(self.paths["theme_dir"]))
        return server
