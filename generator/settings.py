"""Site settings: the `panelsite` plugin section of `site_config.yml`, read without MkDocs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from .errors import Problem, Problems, display_path
from .models.common import Slug, Strict, Text
from .validation import validate
from .yamlio import Document

EDITIONS = ("standard", "young")


class Contact(Strict):
    name: Text = Field(description="Team or service name.")
    purpose: Text = Field(description="What to contact them about.")
    young_purpose: Text | None = Field(None, description="The same, in plain words, for the young edition.")
    phone: Text | None = Field(None, description="A public phone number.")
    email: Text | None = Field(None, description="A public e-mail address.")
    url: Text | None = Field(None, description="A public web address.")


class Accessibility(Strict):
    compliance: Text = Field(description="How accessible the site is: fully, partially or not compliant, and why.")
    known_issues: list[Text] = Field(default_factory=list, description="What is not accessible and why.")
    prepared_on: dt.date = Field(description="When the statement was prepared.")
    reviewed_on: dt.date = Field(description="When it was last reviewed.")
    tested_by: Text = Field(description="How the site was tested.")
    report_contact: Text = Field(description="Where to report an accessibility problem.")


class Settings(Strict):
    """The plugin's typed section. Paths are relative to the folder holding site_config.yml."""

    edition: Text = Field("standard", description="standard or young (set by `panelsite build`).")
    data_dir: Text = Field("data", description="Folder holding the YAML data.")
    content_dir: Text = Field("content", description="Folder holding hand-written pages.")
    templates_dir: Text = Field("theme/templates", description="Folder holding the Jinja2 page templates.")
    cache_dir: Text = Field(".cache/panelsite", description="Chart cache, outside every watched folder.")
    council: Text = Field(description="The council's name.")
    panel: Text = Field("Corporate Parenting Panel", description="The panel's name.")
    young_site_name: Text = Field(description="The young edition's site name.")
    young_kpis: list[Slug] = Field(default_factory=list, description="KPIs shown in the young edition.")
    reading_grade_max: float = Field(6.0, description="Highest Flesch-Kincaid grade allowed on a young page.")
    contacts: list[Contact] = Field(default_factory=list, description="Public contacts; the only phone numbers and e-mail addresses allowed in text.")
    accessibility: Accessibility | None = Field(None, description="Facts for the accessibility statement.")


class _ConfigLoader(yaml.SafeLoader):
    """Reads MkDocs' config without running its tags (`!ENV`, `!!python/name:`)."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    return values[-1] if len(values) > 1 else None


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    """The whole site_config.yml as plain data (tags replaced by their defaults)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}


def plugin_section(config: dict[str, Any]) -> dict[str, Any] | None:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "panelsite" in entry:
            return dict(entry["panelsite"] or {})
    return None


def load_settings(config_path: Path, root: Path | None = None) -> tuple[Settings | None, Problems]:
    """Validate the plugin section of site_config.yml."""
    display = display_path(config_path, root)
    problems = Problems()
    try:
        config = read_config(config_path)
    except (OSError, yaml.YAMLError) as exc:
        problems.add(Problem(display, 1, 1, "", f"cannot read the site config: {exc}"))
        return None, problems
    section = plugin_section(config)
    if section is None:
        problems.add(Problem(display, 1, 1, "plugins", "the panelsite plugin is not listed"))
        return None, problems
    section.pop("edition", None)
    doc = Document(config_path, display, section, _plugin_locations(config_path))
    settings, found = validate(Settings, doc)
    problems.extend(found)
    return settings, problems


def _plugin_locations(config_path: Path) -> dict:
    """Line numbers for the plugin section are approximate: the line that names the plugin."""
    for number, line in enumerate(config_path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith("- panelsite"):
            return {(): (number, line.index("-") + 1)}
    return {}


def project_paths(config_path: Path, settings: Settings) -> dict[str, Path]:
    root = config_path.parent
    return {name: root / getattr(settings, name) for name in ("data_dir", "content_dir", "templates_dir", "cache_dir")}
