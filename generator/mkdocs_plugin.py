"""The thin MkDocs adapter: runs the core in `on_config`, adds its pages and files in `on_files`.

This is the only module that imports MkDocs. Errors in the data abort the build with every
problem listed; warnings go to MkDocs' log (`building.log_problem`: printed as `check` prints them),
so `--strict` fails on them.
"""

from __future__ import annotations

import os
from pathlib import Path

from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import __version__
from .branding import stylesheets, theme_config
from .building import log_problem
from .charts import ChartCache
from .dataset import DatasetLoader
from .errors import Problems
from .feeds import feed_links
from .pipeline import GeneratedSite, Project, ProjectNotLoaded, generate, load_project
from .render_memo import RenderMemo
from .rendering import theme_bytecode_cache
from .settings import EDITIONS, Settings, project_paths
from .site_folder import check_output_folder, project_folders, write_marker
from .theme import override_dirs
from .urls import real_site_url

log = get_plugin_logger(__name__)

# Every Settings field is accepted here; the core validates them with pydantic (one schema, not two).
PanelsiteConfig = type(
    "PanelsiteConfig",
    (Config,),
    {
        "edition": c.Choice(EDITIONS, default="standard"),
        **{name: c.Optional(c.Type(object)) for name in Settings.model_fields if name != "edition"},
    },
)


def default_paths(config_path: Path) -> dict[str, Path]:
    """The project's folders by their default names (for when the settings cannot be read)."""
    root = config_path.parent
    names = ("data_dir", "content_dir", "theme_dir", "cache_dir")
    return {name: root / str(Settings.model_fields[name].default) for name in names}


def _unchanged() -> bool:
    return False


class PanelsitePlugin(BasePlugin[PanelsiteConfig]):  # type: ignore[valid-type]
    supports_multiple_instances = False
    serve_edition: str | None = None
    """Set by `building.serve_edition` while serving: the edition to build, whatever the file says."""

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
        # Keeps each page's rendering, so a rebuild renders only the pages whose inputs changed.
        self.memo = RenderMemo() if self.is_serve else None

    def share(
        self,
        edition: str,
        project: Project | None,
        cache: ChartCache | None = None,
        reported: Problems | None = None,
    ) -> None:
        """Build `edition` from a project loaded and validated by the caller (once for both editions).

        Warnings already in `reported` (printed while building the other edition) are not printed again.
        """
        self.config.edition = edition  # type: ignore[attr-defined]  # PanelsiteConfig is built from Settings
        self.shared = project
        self.cache = cache or self.cache
        self.reported = reported

    def _failure(self, problems: Problems) -> str:
        """The whole list for a plain `mkdocs build` or `mkdocs serve`; `panelsite build` and `panelsite
        serve` print the list themselves, as `check` does (and `serve` shows it in the browser)."""
        count = f"{len(problems.errors)} problem(s) in the data"
        if self.shared is None and self.serve_edition is None:
            return f"{count}:\n{problems.format()}"
        return f"{count}; listed on standard output"

    def on_config(self, config):
        edition = self.serve_edition or self.config.edition
        self.problems = None  # this build's problems, if it fails
        config_path = Path(config.config_file_path).resolve()
        try:
            project = self.shared or load_project(config_path, progress=log.info, loader=self.loader)
        except ProjectNotLoaded as exc:
            self.problems = exc.problems
            if not hasattr(self, "paths"):  # `serve` still watches the folders while the settings are wrong
                self.paths = default_paths(config_path)
            raise PluginError(self._failure(exc.problems)) from None
        self.paths = project_paths(config_path, project.settings)
        if not self.is_serve and self.shared is None:
            self._check_site_dir(config, config_path, project.settings, edition)
        if self.cache is None:
            self.cache = ChartCache(self.paths["cache_dir"] / "charts")
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
        config.site_name = escape(project.settings.young_site_name if edition == "young" else config.site_name)
        config.site_description = escape(config.site_description) if config.site_description else None
        if edition == "young":
            if config.site_url:
                config.site_url = config.site_url.rstrip("/") + "/young/"
            if not self.is_serve and Path(config.site_dir).name != "young":
                config.site_dir = os.path.join(config.site_dir, "young")
        config.extra["panelsite_edition"] = edition
        config.extra["panelsite_version"] = __version__
        config.extra["panelsite_feeds"] = [f for f in feed_links(project.settings) if f["path"] in self.site.assets]
        return config

    @staticmethod
    def _check_site_dir(config, config_path: Path, settings: Settings, edition: str) -> None:
        """A plain `mkdocs build` empties site_dir: only a folder panelsite may replace (see `site_folder`)."""
        site_dir = Path(config.site_dir)
        if edition == "young" and site_dir.name != "young":
            site_dir = site_dir / "young"
        folders = project_folders(config_path, settings)
        why = check_output_folder(site_dir, config_path.parent, config_path, folders)
        if why:
            raise PluginError(why)

    @staticmethod
    def _apply_theme(config, config_path: Path, settings: Settings, edition: str) -> None:
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
            file = File.generated(config, path, content=content)
            if same_nav and self.built.get(path) == content:
                file.is_modified = _unchanged  # type: ignore[method-assign]
            files.append(file)
        if self.dirty and self.built:
            changed = sum(1 for path, text in self.site.pages.items() if not same_nav or self.built.get(path) != text)
            log.info(f"{changed} of {len(self.site.pages)} pages changed; only they are rebuilt")
        return files

    def on_post_build(self, *, config) -> None:
        self.built, self.built_nav = self.building, self.site.nav
        if not self.is_serve and self.shared is None and Path(config.site_dir).is_dir():
            write_marker(Path(config.site_dir))  # a plain `mkdocs build` made this folder

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.paths["data_dir"]))
        if self.paths["theme_dir"].is_dir():
            server.watch(str(self.paths["theme_dir"]))
        return server
