"""The MkDocs adapter keeps no process-wide state: `serve`'s edition goes to each configuration's plugin."""

from __future__ import annotations

from mkdocs.config import load_config

from generator.mkdocs_plugin import PanelsitePlugin
from generator.serving import ServeState, _guarded_load_config


def test_the_served_edition_is_set_on_the_loaded_plugin_not_on_its_class(project):
    config_path = project / "site_config.yml"
    load = _guarded_load_config(load_config, ServeState(config_path, "young"))
    config = load(config_file=str(config_path))
    assert config.plugins["panelsite"].serve_edition == "young"
    assert PanelsitePlugin.serve_edition is None  # a new plugin made elsewhere in this process is not affected
