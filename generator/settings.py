"""Site settings: the `panelsite` plugin section of `site_config.yml`, read without MkDocs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, PrivateAttr

from .errors import Problem, Problems, display_path
from .models.common import Slug, Strict, Text
from .validation import validate
from .yamlio import Document, Loc, load
from .yamlio import _Loader as _DateAsTextLoader

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
    area_name: Text = Field("Our area", description="The short name of the council's area, used as the series label in charts and tables, e.g. 'Rotherham'.")
    young_site_name: Text = Field(description="The young edition's site name.")
    scorecard_themes: list[Text] = Field(default_factory=list, description="The order of KPI themes on the scorecard; themes not listed follow alphabetically.")
    young_kpis: list[Slug] = Field(default_factory=list, description="KPIs shown in the young edition.")
    reading_grade_max: float = Field(6.0, description="Highest Flesch-Kincaid grade allowed on a young page.")
    contacts: list[Contact] = Field(default_factory=list, description="Public contacts; the only phone numbers and e-mail addresses allowed in text.")
    accessibility: Accessibility | None = Field(None, description="Facts for the accessibility statement.")
    _origin: tuple[Document, Loc] | None = PrivateAttr(None)

    def where(self, loc: Loc) -> tuple[str, int, int]:
        """File, line and column of a setting, for messages."""
        if self._origin is None:
            return "site_config.yml", 1, 1
        doc, base = self._origin
        return (doc.display, *doc.where((*base, *loc)))


class _ConfigLoader(_DateAsTextLoader):
    """Reads MkDocs' config without running its tags: `!ENV` gives its default, Python tags nothing."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    return values[-1] if len(values) > 1 else None


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict[str, Any]:
    """The whole site_config.yml as plain data (tags replaced by their defaults)."""
    doc, problems = load(path, path.name, _ConfigLoader)
    if doc is None or not isinstance(doc.data, dict):
        raise ValueError(problems.format() or f"{path} holds no configuration")
    return doc.data


def load_settings(config_path: Path, root: Path | None = None) -> tuple[Settings | None, Problems]:
    """Validate the plugin section of site_config.yml; problems point at its lines."""
    doc, problems = load(config_path, display_path(config_path, root), _ConfigLoader)
    if doc is None:
        return None, problems
    plugins = doc.data.get("plugins") if isinstance(doc.data, dict) else None
    for index, entry in enumerate(plugins or []):
        if isinstance(entry, dict) and "panelsite" in entry:
            section = {k: v for k, v in dict(entry["panelsite"] or {}).items() if k != "edition"}
            settings, found = validate(Settings, doc, section, base=("plugins", index, "panelsite"))
            problems.extend(found)
            if settings is not None:
                settings._origin = (doc, ("plugins", index, "panelsite"))
            return settings, problems
    problems.add(Problem(doc.display, 1, 1, "plugins", "the panelsite plugin is not listed"))
    return None, problems


def project_paths(config_path: Path, settings: Settings) -> dict[str, Path]:
    root = config_path.parent
    return {name: root / getattr(settings, name) for name in ("data_dir", "content_dir", "templates_dir", "cache_dir")}
