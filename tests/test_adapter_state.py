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


def test_a_build_after_serve_configured_the_plugin_builds_both_editions(project):
    """MkDocs hands the same plugin object to the next configuration loaded in the process; a build
    after `serve` set its edition (here: without serve's own clean-up) must still build both editions
    into the site folder (it built only the young one, and a later test found no standard page)."""
    from generator.cli import main

    config_path = project / "site_config.yml"
    load = _guarded_load_config(load_config, ServeState(config_path, "young"))
    assert load(config_file=str(config_path)).plugins["panelsite"].serve_edition == "young"
    assert main(["build"]) == 0
    assert (project / "site/performance/children-looked-after/index.html").is_file()
    assert (project / "site/young/index.html").is_file()
