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

from .charts import ChartCache
from .errors import Problems
from .pipeline import GeneratedSite, generate, load_project
from .settings import EDITIONS, Settings, project_paths

log = get_plugin_logger(__name__)

# Every Settings field is accepted here; the core validates them with pydantic (one schema, not two).
PanelsiteConfig = type("PanelsiteConfig", (Config,), {
    "edition": c.Choice(EDITIONS, default="standard"),
    **{name: c.Optional(c.Type(object)) for name in Settings.model_fields if name != "edition"},
})


class PanelsitePlugin(BasePlugin[PanelsiteConfig]):  # type: ignore[valid-type]
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object alive across `mkdocs serve` rebuilds,
        # so the in-memory chart cache makes live reload fast.
        self.is_serve = command == "serve"
        self.cache: ChartCache | None = None

    def on_config(self, config):
        edition = self.config.edition
        config_path = Path(config.config_file_path).resolve()
        project = load_project(config_path, progress=log.info)
        if isinstance(project, Problems):
            raise PluginError("\n" + project.format())
        self.paths = project_paths(config_path, project.settings)
        if self.cache is None:
            self.cache = ChartCache(self.paths["cache_dir"] / "charts")
        self.site: GeneratedSite = generate(project, edition, self.cache, progress=log.info)
        problems = self.site.problems
        if problems.has_errors:
            raise PluginError(f"{len(problems.errors)} problem(s) in the data:\n" + problems.format())
        for warning in problems.warnings:
            log.warning(warning.format())
        config.nav = self.site.nav
        if edition == "young":
            config.site_name = project.settings.young_site_name
            if config.site_url:
                config.site_url = config.site_url.rstrip("/") + "/young/"
            config.extra_css = [*config.extra_css, "assets/stylesheets/young.css",
                                "assets/stylesheets/section-icons.css"]
            if not self.is_serve and Path(config.site_dir).name != "young":
                config.site_dir = os.path.join(config.site_dir, "young")
        config.extra["panelsite_edition"] = edition
        return config

    def on_files(self, files: Files, *, config) -> Files:
        for file in list(files):
            if file.is_documentation_page() and not file.generated_by:
                files.remove(file)  # hand-written pages come back through the core (young variants, Jinja)
        for path, text in self.site.pages.items():
            files.append(File.generated(config, path, content=text))
        for path, data in self.site.assets.items():
            files.append(File.generated(config, path, content=data))
        return files

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.paths["data_dir"]))
        server.watch(str(self.paths["templates_dir"]))
        return server
