"""Build both editions into a temporary folder, and replace `site/` only when both succeeded.

MkDocs never reads site_config.yml itself here: `load_mkdocs_config` hands it the file as panelsite
read it. `panelsite serve` is in `serving`."""

from __future__ import annotations

import copy
import gc
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from .charts import ChartCache
from .editions import EDITIONS, Edition
from .errors import Problem, Problems, Severity
from .pdf_packs import PdfFailed
from .pipeline import GeneratedSite, Project, ProjectNotLoaded, load_project
from .settings import checked_config, project_paths
from .site_folder import (
    clean_up,
    make_folder,
    os_failure,
    refuse_unsafe_output,
    replace_folder,
    working_folder,
    write_marker,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .yamlio import Document


class _Plugin(Protocol):
    """What a build uses of `mkdocs_plugin.PanelsitePlugin`, which imports this module (so it is not imported here)."""

    problems: Problems | None
    site: GeneratedSite

    def share(self, project: Project | None, cache: ChartCache | None, reported: Problems | None) -> None:
        """Hand the plugin what this build already loaded."""


EDITION_DIRS = tuple((edition, edition.folder) for edition in EDITIONS)


class BuildFailed(Exception):
    """The build stopped; the message (or the problems) say why. The previous site was not touched.

    `problems` are the errors that stopped it (listed as `check` lists them); `reported` the
    warnings already printed while building; `one_line` marks a message that is the whole report
    (an operating-system failure: the path and the reason).
    """

    def __init__(
        self,
        message: str,
        problems: Problems | None = None,
        reported: Problems | None = None,
        one_line: bool = False,
    ):
        super().__init__(message)
        self.problems = problems
        self.reported = reported or Problems()
        self.one_line = one_line


class ConfigRefused(ConfigurationError):
    """site_config.yml holds what MkDocs must not be given (`settings.refuse_unsafe_config`), or what
    MkDocs refuses; the problems are located, one line each, as `check` prints them."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(problems.format() or "site_config.yml could not be read")
        self.problems = problems


config_log = logging.getLogger("mkdocs.config")


def load_mkdocs_config(config_path: Path, edition: Edition | None = None, **options: Any) -> MkDocsConfig:
    """MkDocs' configuration for one of panelsite's commands, without MkDocs reading site_config.yml.

    panelsite reads the file once with its own loader (every YAML tag refused, MkDocs' `!ENV` and
    `!relative` included) and refuses what `config_safety` refuses (`ConfigRefused`); MkDocs is
    handed the parsed data, the edition to build and `options` (its command-line settings; None is
    not given), and validates them: its errors are a `ConfigRefused` located as `check` locates them
    (`engine_problems`); its warnings are logged, and abort a strict build, as its `load_config` does.
    MkDocs' own YAML loader (which reads `!ENV`, and would run `!!python/...` tags) never sees the
    file, and nothing of MkDocs is replaced to make it so.
    """
    doc, problems = checked_config(config_path)
    if doc is None or problems.has_errors:
        raise ConfigRefused(problems)
    plugin_options: dict[str, Any] = {"command_lists_problems": True}
    if edition is not None:
        plugin_options["edition"] = str(edition)
    given = {key: value for key, value in options.items() if value is not None}
    data = _with_plugin_options(doc.data, plugin_options)
    config = _mkdocs_config(config_path, data, given)
    errors, warnings = config.validate()
    if errors:
        raise ConfigRefused(_located(doc, data, errors, Severity.ERROR))
    for key, warning in warnings:
        config_log.warning(f"Config value '{key}': {warning}")
    if config.strict and warnings:
        raise Abort(f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
    return config


def _mkdocs_config(config_path: Path, data: dict[str, Any], options: dict[str, Any] | None = None) -> MkDocsConfig:
    """MkDocs' configuration made from data already read (a copy: MkDocs' validation changes what it is
    given), not yet validated."""
    from mkdocs.config.defaults import MkDocsConfig

    config = MkDocsConfig(config_file_path=os.path.abspath(config_path))
    config.load_dict(copy.deepcopy(data))
    if options:
        config.load_dict(options)
    return config


def _with_plugin_options(data: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """The configuration with `options` added to the panelsite plugin's section (the data is not changed)."""
    plugins = []
    for entry in data.get("plugins") or []:
        if entry == "panelsite":
            entry = {"panelsite": dict(options)}
        elif isinstance(entry, dict) and "panelsite" in entry:
            entry = {**entry, "panelsite": {**(entry["panelsite"] or {}), **options}}
        plugins.append(entry)
    return {**data, "plugins": plugins}


PROBLEM = "panelsite_problem"
"""Set on the log records that carry one of panelsite's own located problems (see `log_problem`)."""

problem_log = logging.getLogger("mkdocs.plugins.panelsite")


def log_problem(text: str) -> None:
    """A located warning, counted by MkDocs' strict mode and printed as `check` prints it."""
    problem_log.warning(text, extra={PROBLEM: True})


class _MkDocsRecords(logging.Filter):
    """MkDocs' own messages; not panelsite's problems (printed apart), and not MkDocs' repeat of an
    operating-system failure that panelsite reports itself, with its path, once."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, PROBLEM, False):
            return False
        return not re.match(r"Error building page '.*': \[Errno \d+\]", str(record.msg))


class _Problems(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return bool(getattr(record, PROBLEM, False))


@contextmanager
def mkdocs_logging(verbose: bool) -> Iterator[None]:
    """While building in-process: panelsite's problems on stdout exactly as `check` prints them
    (file:line:col first), MkDocs' warnings (and progress when verbose) on stderr."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.INFO if verbose else logging.WARNING)
    handler.addFilter(_MkDocsRecords())
    problems = logging.StreamHandler(sys.stdout)
    problems.setFormatter(logging.Formatter("%(message)s"))
    problems.addFilter(_Problems())
    logger.addHandler(handler)
    logger.addHandler(problems)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.removeHandler(problems)
        logger.setLevel(old_level)


def build_edition(
    config_path: Path,
    edition: Edition,
    site_dir: Path,
    strict: bool = True,
    project: Project | None = None,
    cache: ChartCache | None = None,
    reported: Problems | None = None,
) -> str:
    """Build one edition into `site_dir` with MkDocs; returns a one-line summary of what was made.

    A `project` already loaded (and a chart cache) are handed to the plugin, which then neither
    reads nor validates the data again; without one, the plugin loads it itself. Warnings already
    in `reported` are not printed again; those printed are added to it.
    """
    config = load_mkdocs_config(config_path, edition, site_dir=str(site_dir), strict=strict)
    plugin = cast(_Plugin, config.plugins["panelsite"])
    config.plugins.on_startup(command="build", dirty=False)
    plugin.share(project, cache, reported)
    try:
        mkdocs_build(config)
    except (Abort, PluginError) as exc:
        raise BuildFailed(str(exc).strip() or exc.__class__.__name__, plugin.problems, reported) from None
    finally:
        config.plugins.on_shutdown()
    site = plugin.site
    return (
        f"{edition} edition: {len(site.pages)} pages, {site.charts_rendered} charts rendered, "
        f"{site.charts_reused} from the cache"
    )


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cycle collector runs less often while a whole site is built (restored afterwards).

    A build makes millions of objects that live to its end (the data, each page's Markdown, HTML
    and search entries); with the default thresholds the collector ran about 960 times and walked
    all of them in its oldest generation four times, about a tenth of a second of CPU at ten years.
    Every 10,000 new objects (instead of 700) leaves about 70 collections and no full one; what a
    build holds is unchanged (peak memory the same, measured).
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def build_site(
    config_path: Path,
    site_dir: Path,
    strict: bool = True,
    progress: Callable[[str], None] | None = None,
    verbose: bool = False,
    project: Project | None = None,
    pdf: bool = False,
) -> None:
    """Standard edition into `site_dir`, then young into `site_dir/young`; all or nothing.

    With `pdf`, each meeting pack is also printed as a tagged PDF (`generator.pdf_packs`) before the
    new site is swapped in; if that fails, nothing changes.

    The data is loaded and validated once (or `project` is used as given) and shared by both editions.
    `site_dir` must be a folder panelsite may replace (`site_folder.check_output_folder`; else
    `OutputRefused`); the new site is built beside it, marked as panelsite's, and swapped in with
    renames only when both editions succeeded. An operating-system failure is a `BuildFailed` of
    one line (path and reason), and leaves the previous site as it was.
    """
    folders = refuse_unsafe_output(site_dir, config_path, settings=project.settings if project else None)
    if project is None:
        try:
            project = load_project(config_path.resolve(), progress)
        except ProjectNotLoaded as exc:
            raise BuildFailed(f"{exc}:\n" + exc.problems.format(), exc.problems) from None
        if project.problems.has_errors:
            problems = project.problems
            raise BuildFailed(f"{len(problems.errors)} problem(s) in the data:\n" + problems.format(), problems)
    project.pdf_packs = pdf
    cache = ChartCache(project_paths(project.config_path, project.settings)["cache_dir"] / "charts")
    site_dir = Path(os.path.abspath(site_dir))  # not resolved: a link is refused, never followed
    reported = Problems()
    staging: Path | None = None
    succeeded = False
    failure: BuildFailed | None = None
    try:
        make_folder(site_dir.parent)
        staging = working_folder(site_dir.parent, ".panelsite-build-")
        target = staging / "site"
        with mkdocs_logging(verbose):
            for edition, sub in EDITION_DIRS:
                if progress:
                    progress(f"building the {edition} edition into {site_dir.name}/{sub}")
                summary = build_edition(
                    config_path, edition, target / sub if sub else target, strict, project, cache, reported
                )
                if progress:
                    progress(summary)
        if pdf:
            from .pdf_packs import print_site_packs

            printed = print_site_packs(target, project, progress)
            if progress:
                progress(f"printed {printed} meeting packs as tagged PDF")
        write_marker(target)
        # Checked again just before the swap: nothing may have been planted there meanwhile.
        refuse_unsafe_output(site_dir, config_path, folders=folders)
        replace_folder(site_dir, target, staging)
        succeeded = True
    except OSError as exc:
        moved = (staging / "site", site_dir) if staging else None
        failure = BuildFailed(os_failure(exc, site_dir, moved), one_line=True)
    except PdfFailed as exc:
        failure = BuildFailed(str(exc), one_line=True)
    except ConfigRefused as exc:
        failure = BuildFailed(str(exc), exc.problems, reported)
    except (Abort, PluginError, ConfigurationError) as exc:
        failure = BuildFailed(str(exc).strip() or exc.__class__.__name__, reported=reported)
    finally:
        left = clean_up(staging, succeeded)
    if failure is not None:
        if left:  # only when the previous site could not be put back: say where it is
            raise BuildFailed(f"{failure}; {left}", one_line=True)
        raise failure
    if left:
        raise BuildFailed(left, one_line=True)


# --- What MkDocs itself would refuse in site_config.yml (issue 20) ------------------------------------
# `check` runs MkDocs' own validation of the configuration without building, so that `check` and
# `build` accept exactly the same configurations; `build` and `serve` hand MkDocs the file as panelsite
# read it, after panelsite's checks pass (`load_mkdocs_config`).


def engine_problems(config_path: Path) -> Problems:
    """MkDocs' own verdict on the configuration (errors stop a build; warnings are shown)."""
    from .settings import config_document

    problems = Problems()
    doc = config_document(config_path)
    if doc is None:
        return problems  # the reading problems are reported by load_settings
    errors, warnings = _mkdocs_config(config_path, doc.data).validate()
    problems.extend(_located(doc, doc.data, errors, Severity.ERROR))
    problems.extend(_located(doc, doc.data, warnings, Severity.WARNING))
    return problems


def _located(doc: Document, data: dict[str, Any], found: Sequence[tuple[str, object]], severity: Severity) -> Problems:
    """MkDocs' verdicts on the configuration `data` (read as `doc`), each at its place in the file."""
    problems = Problems()
    for key, error in found:
        message = _one_line(str(error)) or type(error).__name__
        loc, message = _plugin_option(data, key, message)
        line, column = doc.where(loc) if len(loc) > 1 else doc.key_where(loc)
        problems.add(Problem(doc.display, line, column, ".".join(map(str, loc)), message, severity=severity))
    return problems


_PLUGIN_OPTION = re.compile(r"^Plugin '([^']+)' option '([^']+)': (.*)$")


def _plugin_option(data: dict[str, Any], key: str, message: str) -> tuple[tuple[str | int, ...], str]:
    """Where MkDocs' message about one plugin's option points (`plugins.1.panelsite.upper_age`), and its
    words without the names; other messages point at their top-level key."""
    found = _PLUGIN_OPTION.match(message) if key == "plugins" else None
    plugins = data.get("plugins")
    if found is None or not isinstance(plugins, list):
        return (key,), message
    name, option, said = found.groups()
    for index, entry in enumerate(plugins):
        if isinstance(entry, dict) and isinstance(entry.get(name), dict) and option in entry[name]:
            return ("plugins", index, name, option), said
    return (key,), message


def _one_line(text: str) -> str:
    """MkDocs' message without the traceback it sometimes quotes: its first line and the error itself."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and any(line.startswith(("File ", "Traceback")) for line in lines):
        return f"{lines[0].rstrip('.')}: {lines[-1]}"
    return " ".join(lines)
