"""Export each edition as plain Markdown, charts and an `mkdocs.yml` that builds without our plugin.

This is the escape hatch for builders that run no third-party plugin (MkDocs 2, Zensical), and
a way to read exactly what the generator produced.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from . import __version__
from .branding import stylesheets, theme_config
from .content import scan_content
from .errors import Problems
from .feeds import feed_links
from .pipeline import ProjectNotLoaded, generate, load_project
from .settings import Settings, project_paths, read_config
from .theme import override_dirs
from .urls import real_site_url


def export_site(config_path: Path, out: Path, progress: Callable[[str], None] | None = None) -> Problems:
    """Write out/standard/ and out/young/, each with docs/, overrides/ and mkdocs.yml."""
    try:
        project = load_project(config_path, progress)
    except ProjectNotLoaded as exc:
        return exc.problems
    if project.problems.has_errors:
        return project.problems
    paths = project_paths(config_path, project.settings)
    base_config = read_config(config_path)
    sites = {edition: generate(project, edition, progress=progress) for edition in ("standard", "young")}
    problems = Problems()
    for site in sites.values():
        problems.extend(site.problems)
    if problems.has_errors:
        return problems
    for edition, site in sites.items():
        folder = out / edition
        if folder.exists():
            shutil.rmtree(folder)
        docs = folder / "docs"
        _copy_static(paths["content_dir"], docs, config_path.parent)
        for path, text in site.pages.items():
            _write(docs / path, text.encode("utf-8"))
        for path, data in site.assets.items():
            _write(docs / path, data)
        _copy_overrides(config_path, project.settings, base_config, folder / "overrides")
        config = _edition_config(base_config, edition, site.nav, project.settings, site.assets)
        (folder / "mkdocs.yml").write_text(
            yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        if progress:
            progress(f"exported the {edition} edition to {folder}/")
    return problems


def _copy_overrides(config_path: Path, settings: Settings, base: dict, target: Path) -> None:
    """panelsite's packaged overrides, then the council's on top, file by file (as the plugin layers them)."""
    layers = list(reversed(override_dirs(config_path, settings)))
    custom = (base.get("theme") or {}).get("custom_dir")
    if custom and (config_path.parent / custom).is_dir():
        layers.append(config_path.parent / custom)
    for layer in layers:
        shutil.copytree(layer, target, dirs_exist_ok=True)


def _edition_config(base: dict, edition: str, nav: list, settings: Settings, assets: dict[str, bytes]) -> dict:
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
        "panelsite_edition": edition,
        "panelsite_version": __version__,
        "panelsite_feeds": [f for f in feed_links(settings) if f["path"] in assets],
    }
    config["extra_css"] = stylesheets(settings, edition, list(config.get("extra_css") or []))
    config["site_url"] = real_site_url(config.get("site_url"))  # a placeholder (example.org) is no address
    if config["site_url"] is None:
        del config["site_url"]
    if edition == "young":
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
    path.write_bytes(data)
