"""Export each edition as plain Markdown, charts and an `mkdocs.yml` that builds without our plugin.

This is the escape hatch for builders that run no third-party plugin (MkDocs 2, Zensical), and
a way to read exactly what the generator produced.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from . import __version__
from .branding import stylesheets, theme_config
from .content import scan_content
from .editions import EDITIONS, Edition
from .errors import Problems
from .feeds import feed_links
from .pipeline import GeneratedSite, Project, ProjectNotLoaded, generate, load_project
from .settings import Settings, project_paths, read_config
from .site_folder import clean_up, make_folder, refuse_unsafe_output, replace_folder, working_folder, write_marker
from .theme import override_dirs
from .urls import real_site_url


class ExportFailed(OSError):
    """An operating-system failure while exporting; `filename` is where, as the user would find it."""


def export_site(config_path: Path, out: Path, progress: Callable[[str], None] | None = None) -> Problems:
    """Write out/standard/ and out/young/, each with docs/, overrides/ and mkdocs.yml.

    `out` must be a folder panelsite may replace (`site_folder.check_output_folder`, else
    `OutputRefused`). The export is written beside it, marked as panelsite's, and swapped in whole,
    so a failure (an `OSError` naming the path) leaves the previous export as it was.
    """
    folders = refuse_unsafe_output(out, config_path, kind="export")
    try:
        project = load_project(config_path, progress)
    except ProjectNotLoaded as exc:
        return exc.problems
    if project.problems.has_errors:
        return project.problems
    sites = {edition: generate(project, edition, progress=progress) for edition in EDITIONS}
    problems = Problems()
    for site in sites.values():
        problems.extend(site.problems)
    if problems.has_errors:
        return problems
    out = Path(os.path.abspath(out))  # not resolved: a link is refused, never followed
    make_folder(out.parent)
    staging = working_folder(out.parent, ".panelsite-export-")
    target = staging / "export"
    succeeded = False
    try:
        for edition, site in sites.items():
            _write_edition(target / edition, edition, site, project, config_path)
            if progress:
                progress(f"exported the {edition} edition to {out / edition}/")
        write_marker(target)
        refuse_unsafe_output(out, config_path, kind="export", folders=folders)
        replace_folder(out, target, staging)
        succeeded = True
    except OSError as exc:
        where = Path(os.fsdecode(exc.filename)) if exc.filename else out
        if where.is_relative_to(target):
            where = out / where.relative_to(target)
        raise ExportFailed(exc.errno, exc.strerror or str(exc), str(where)) from None
    finally:
        left = clean_up(staging, succeeded)
    if left:
        raise ExportFailed(0, left)
    return problems


def _write_edition(folder: Path, edition: Edition, site: GeneratedSite, project: Project, config_path: Path) -> None:
    paths = project_paths(config_path, project.settings)
    base_config = read_config(config_path)
    docs = folder / "docs"
    _copy_static(paths["content_dir"], docs, config_path.parent)
    for path, text in site.pages.items():
        _write(docs / path, text.encode("utf-8"))
    for path, data in site.assets.items():
        _write(docs / path, data)
    _copy_overrides(config_path, project.settings, base_config, folder / "overrides")
    config = _edition_config(base_config, edition, site.nav, project.settings, site.assets)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _copy_overrides(config_path: Path, settings: Settings, base: dict, target: Path) -> None:
    """panelsite's packaged overrides, then the council's on top, file by file (as the plugin layers them)."""
    layers = list(reversed(override_dirs(config_path, settings)))
    custom = (base.get("theme") or {}).get("custom_dir")
    if custom and (config_path.parent / custom).is_dir():
        layers.append(config_path.parent / custom)
    for layer in layers:
        shutil.copytree(layer, target, dirs_exist_ok=True)


def _edition_config(base: dict, edition: Edition, nav: list, settings: Settings, assets: dict[str, bytes]) -> dict:
    config = {key: value for key, value in base.items() if key not in ("plugins", "docs_dir", "site_dir")}
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["nav"] = nav
    config["plugins"] = [p for p in base.get("plugins") or [] if not (isinstance(p, dict) and "panelsite" in p)]
    theme = theme_config(settings, dict(config.get("theme") or {}))
    theme["custom_dir"] = "overrides"
    config["theme"] = theme
    config["extra"] = {
        **(config.get("extra") or {}),
        "panelsite_edition": str(edition),
        "panelsite_version": __version__,
        "panelsite_feeds": [f for f in feed_links(settings) if f["path"] in assets],
    }
    config["extra_css"] = stylesheets(settings, edition, list(config.get("extra_css") or []))
    config["site_url"] = real_site_url(config.get("site_url"))  # a placeholder (example.org) is no address
    if config["site_url"] is None:
        del config["site_url"]
    if edition == Edition.YOUNG:
        config["site_name"] = settings.young_site_name
        if config.get("site_url"):
            config["site_url"] = config["site_url"].rstrip("/") + "/young/"
    return config


def _copy_static(content_dir: Path, docs: Path, root: Path) -> None:
    """Pictures and documents from content/ (the Markdown comes from the generator); never a link
    out of the project, never a file type panelsite refuses (see `content.scan_content`)."""
    files, _ = scan_content(content_dir, root)
    for relative, file in files.assets.items():
        _write(docs / relative, file.read_bytes())


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.write_bytes(data)
    except OSError as exc:  # a full disk names no file: name the one being written
        exc.filename = exc.filename or str(path)
        raise
