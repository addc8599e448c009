"""Build both editions into a temporary folder, and replace `site/` only when both succeeded."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from .charts import ChartCache
from .errors import Problem, Problems, Severity
from .pipeline import Project, ProjectNotLoaded, load_project
from .settings import project_paths

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .mkdocs_plugin import PanelsitePlugin

EDITION_DIRS = (("standard", ""), ("young", "young"))


class BuildFailed(Exception):
    """The build stopped; the message (or the problems) say why. `site/` was not touched."""

    def __init__(self, message: str, problems: Problems | None = None):
        super().__init__(message)
        self.problems = problems


def use_safe_yaml_loader() -> None:
    """Make MkDocs read its config with PyYAML's SafeLoader instead of its full (unsafe) loader.

    panelsite refuses every unsafe tag before MkDocs runs (`settings.refuse_unsafe_config`); this
    is the second lock, and the one that guards `serve`, which re-reads the config on each change.
    """
    from mkdocs.config import defaults
    from mkdocs.utils import yaml as mkdocs_yaml

    original = getattr(mkdocs_yaml, "_panelsite_original_loader", mkdocs_yaml.get_yaml_loader)

    def safe_loader(loader: type = yaml.SafeLoader, config: MkDocsConfig | None = None) -> type:
        return original(yaml.SafeLoader, config=config)

    setattr(mkdocs_yaml, "_panelsite_original_loader", original)  # noqa: B010 (a module attribute of our own)
    mkdocs_yaml.get_yaml_loader = safe_loader
    defaults.get_yaml_loader = safe_loader


use_safe_yaml_loader()


@contextmanager
def mkdocs_logging(verbose: bool) -> Iterator[None]:
    """Show MkDocs' warnings (and progress when verbose) on stderr while building in-process."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


class ServeFailed(Exception):
    """`serve` stopped on a problem MkDocs or the plugin reported; the message says what."""


def serve_edition(config_path: Path, edition: str, dev_addr: str) -> None:
    """Serve one edition with live reload until interrupted.

    The edition is handed to the plugin in-process (`PanelsitePlugin.serve_edition`), as a
    configuration override that holds for every rebuild, not through an environment variable.
    """
    from mkdocs.commands.serve import serve

    from .mkdocs_plugin import PanelsitePlugin

    # The plugin tells MkDocs exactly which pages changed, so its warning about dirty builds does not apply.
    build_log = logging.getLogger("mkdocs.commands.build")
    quiet = _NotDirtyWarning()
    build_log.addFilter(quiet)
    PanelsitePlugin.serve_edition = edition
    try:
        with mkdocs_logging(verbose=True), refusing_unsafe_reloads():
            # A dirty build: only the pages whose generated text changed are rebuilt (see the plugin).
            serve(config_file=str(config_path), dev_addr=dev_addr, livereload=True, build_type="dirty")
    except (Abort, PluginError) as exc:
        raise ServeFailed(str(exc)) from None
    finally:
        PanelsitePlugin.serve_edition = None
        build_log.removeFilter(quiet)


class _NotDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build")


def build_edition(
    config_path: Path,
    edition: str,
    site_dir: Path,
    strict: bool = True,
    project: Project | None = None,
    cache: ChartCache | None = None,
) -> str:
    """Build one edition into `site_dir` with MkDocs; returns a one-line summary of what was made.

    A `project` already loaded (and a chart cache) are handed to the plugin, which then neither
    reads nor validates the data again; without one, the plugin loads it itself.
    """
    config = load_config(str(config_path), site_dir=str(site_dir), strict=strict)
    plugin = cast("PanelsitePlugin", config.plugins["panelsite"])
    config.plugins.on_startup(command="build", dirty=False)
    plugin.share(edition, project, cache)
    try:
        mkdocs_build(config)
    except (Abort, PluginError) as exc:
        raise BuildFailed(str(exc).strip() or exc.__class__.__name__, plugin.problems) from None
    finally:
        config.plugins.on_shutdown()
    site = plugin.site
    return (
        f"{edition} edition: {len(site.pages)} pages, {site.charts_rendered} charts rendered, "
        f"{site.charts_reused} from the cache"
    )


def build_site(
    config_path: Path,
    site_dir: Path,
    strict: bool = True,
    progress: Callable[[str], None] | None = None,
    verbose: bool = False,
    project: Project | None = None,
) -> None:
    """Standard edition into `site_dir`, then young into `site_dir/young`; all or nothing.

    The data is loaded and validated once (or `project` is used as given) and shared by both editions.
    """
    if project is None:
        try:
            project = load_project(config_path.resolve(), progress)
        except ProjectNotLoaded as exc:
            raise BuildFailed(f"{exc}:\n" + exc.problems.format(), exc.problems) from None
        if project.problems.has_errors:
            problems = project.problems
            raise BuildFailed(f"{len(problems.errors)} problem(s) in the data:\n" + problems.format(), problems)
    cache = ChartCache(project_paths(project.config_path, project.settings)["cache_dir"] / "charts")
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".panelsite-build-", dir=site_dir.parent))
    target = staging / "site"
    try:
        with mkdocs_logging(verbose):
            for edition, sub in EDITION_DIRS:
                if progress:
                    progress(f"building the {edition} edition into {site_dir.name}/{sub}")
                summary = build_edition(config_path, edition, target / sub if sub else target, strict, project, cache)
                if progress:
                    progress(summary)
        _replace(site_dir, target)
    except (Abort, PluginError, ConfigurationError) as exc:
        raise BuildFailed(str(exc).strip() or exc.__class__.__name__) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _replace(site_dir: Path, new: Path) -> None:
    """Swap the new site in with renames, so a reader never sees half a site."""
    old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(old)
    new.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


# --- What MkDocs itself would refuse in site_config.yml (issue 20) ------------------------------------
# `check` runs MkDocs' own validation of the configuration without building, so that `check` and
# `build` accept exactly the same configurations; `serve` lets MkDocs read the file again only
# after panelsite's checks pass.


def engine_problems(config_path: Path) -> Problems:
    """MkDocs' own verdict on the configuration (errors stop a build; warnings are shown)."""
    from mkdocs.config.defaults import MkDocsConfig

    from .settings import config_document

    problems = Problems()
    doc = config_document(config_path)
    if doc is None:
        return problems  # the reading problems are reported by load_settings
    config = MkDocsConfig(config_file_path=str(config_path))
    config.load_dict(doc.data)
    errors, warnings = config.validate()
    for severity, found in ((Severity.ERROR, errors), (Severity.WARNING, warnings)):
        for key, error in found:
            line, column = doc.key_where((key,))
            message = _one_line(str(error)) or type(error).__name__
            problems.add(Problem(doc.display, line, column, key, message, severity=severity))
    return problems


def _one_line(text: str) -> str:
    """MkDocs' message without the traceback it sometimes quotes: its first line and the error itself."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and any(line.startswith(("File ", "Traceback")) for line in lines):
        return f"{lines[0].rstrip('.')}: {lines[-1]}"
    return " ".join(lines)


@contextmanager
def refusing_unsafe_reloads() -> Iterator[None]:
    """While `panelsite serve` runs, MkDocs reads the configuration again on every rebuild, with its
    own loader: a `hooks:` (or a plugin, or `!ENV`) added to the file meanwhile would be imported
    or read before any panelsite code runs. Inside this block MkDocs' serve reads it only after
    `refuse_unsafe_config` found nothing; otherwise the rebuild stops with the located problems."""
    from mkdocs.commands import serve

    from .settings import refuse_unsafe_config

    original = serve.load_config

    def checked(config_file: str | None = None, **kwargs: Any) -> Any:
        if config_file:
            problems = refuse_unsafe_config(Path(config_file))
            if problems.has_errors:
                raise Abort(problems.format())
        return original(config_file=config_file, **kwargs)

    serve.load_config = checked  # type: ignore[assignment]
    try:
        yield
    finally:
        serve.load_config = original
