"""The thin MkDocs adapter: runs the core in `on_config`, adds its pages and files in `on_files`.

This is the only module that imports MkDocs. Errors in the data abort the build with every
problem listed; warnings go to MkDocs' log, so `--strict` fails on them.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .branding import stylesheets, theme_config
from .charts import ChartCache
from .dataset import DatasetLoader
from .errors import Problems
from .feeds import feed_links
from .pipeline import GeneratedSite, Project, ProjectNotLoaded, generate, load_project
from .render_memo import RenderMemo
from .rendering import theme_bytecode_cache
from .settings import EDITIONS, Settings, project_paths
from .theme import override_dirs

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
        self.built: dict[str, str | bytes] = {}  # what the last finished build wrote, by path
        self.building: dict[str, str | bytes] = {}
        self.built_nav: list | None = None
        self.loader = DatasetLoader()  # keeps each data file's parse, so a rebuild re-reads only changed files
        # Keeps each page's rendering, so a rebuild renders only the pages whose inputs changed.
        self.memo = RenderMemo() if self.is_serve else None

    def share(self, edition: str, project: Project | None, cache: ChartCache | None = None) -> None:
        """Build `edition` from a project loaded and validated by the caller (once for both editions)."""
        self.config.edition = edition  # type: ignore[attr-defined]  # PanelsiteConfig is built from Settings
        self.shared = project
        self.cache = cache or self.cache

    def _failure(self, problems: Problems) -> str:
        """The whole list when serving; `panelsite build` prints the list itself, as `check` does."""
        count = f"{len(problems.errors)} problem(s) in the data"
        return f"{count}:\n{problems.format()}" if self.is_serve else f"{count}; listed on standard output"

    def on_config(self, config):
        edition = self.serve_edition or self.config.edition
        config_path = Path(config.config_file_path).resolve()
        try:
            project = self.shared or load_project(config_path, progress=log.info, loader=self.loader)
        except ProjectNotLoaded as exc:
            self.problems = exc.problems
            raise PluginError(self._failure(exc.problems)) from None
        self.paths = project_paths(config_path, project.settings)
        if self.cache is None:
            self.cache = ChartCache(self.paths["cache_dir"] / "charts")
        self.site: GeneratedSite = generate(project, edition, self.cache, progress=log.info, memo=self.memo)
        problems = self.site.problems
        if problems.has_errors:
            self.problems = problems
            raise PluginError(self._failure(problems))
        for warning in problems.warnings:
            log.warning(warning.format())
        config.nav = self.site.nav
        self._apply_theme(config, config_path, project.settings, edition)
        if edition == "young":
            config.site_name = project.settings.young_site_name
            if config.site_url:
                config.site_url = config.site_url.rstrip("/") + "/young/"
            if not self.is_serve and Path(config.site_dir).name != "young":
                config.site_dir = os.path.join(config.site_dir, "young")
        config.extra["panelsite_edition"] = edition
        config.extra["panelsite_feeds"] = [f for f in feed_links(project.settings) if f["path"] in self.site.assets]
        return config

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

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.paths["data_dir"]))
        if self.paths["theme_dir"].is_dir():
            server.watch(str(self.paths["theme_dir"]))
        return server
