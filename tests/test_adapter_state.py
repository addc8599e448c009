"""The MkDocs adapter: its options typed, no process-wide state, and nothing of MkDocs replaced.

`serve`'s edition goes into each configuration loaded, not onto the plugin object (MkDocs hands the
same object to every configuration loaded in the process); panelsite reads site_config.yml itself
and hands MkDocs the parsed data, so MkDocs' YAML loader (which reads `!ENV`) is left as it is.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
import typing

import pytest
from mkdocs.config import config_options as c
from mkdocs.structure.files import Files
from pydantic import BaseModel

import generator.building
import generator.mkdocs_plugin
import generator.serving
from generator.building import ConfigRefused, load_mkdocs_config
from generator.editions import Edition
from generator.mkdocs_plugin import GeneratedFile, PanelsiteConfig, PanelsitePlugin
from generator.serving import ServeState, _guarded_load_config
from generator.settings import Settings

# Run in a fresh interpreter: MkDocs' modules as they are before and after the package is imported.
SNAPSHOT = """
import importlib, json, sys
modules = [
    "mkdocs.commands.build", "mkdocs.commands.serve", "mkdocs.config", "mkdocs.config.base",
    "mkdocs.config.defaults", "mkdocs.config.config_options", "mkdocs.livereload", "mkdocs.plugins",
    "mkdocs.structure.files", "mkdocs.structure.pages", "mkdocs.utils", "mkdocs.utils.yaml",
]
for name in modules:
    importlib.import_module(name)

def names():
    found = {}
    for name, module in list(sys.modules.items()):
        if name == "mkdocs" or name.startswith("mkdocs."):
            for attr, value in list(vars(module).items()):
                found[f"{name}.{attr}"] = value
                if isinstance(value, type) and value.__module__ == name:
                    for key, member in list(vars(value).items()):
                        found[f"{name}.{attr}.{key}"] = member
    return found

before = names()
for name in ("generator.building", "generator.mkdocs_plugin", "generator.serving", "generator.cli"):
    importlib.import_module(name)
after = names()
from mkdocs.utils import yaml as mkdocs_yaml
from mkdocs.config import defaults
print(json.dumps({
    "changed": sorted(key for key, value in before.items() if after.get(key) is not value),
    "loaders": [f.__module__ for f in (mkdocs_yaml.get_yaml_loader, defaults.get_yaml_loader)],
}))
"""


def test_importing_the_package_replaces_nothing_of_mkdocs():
    """Not MkDocs' YAML loader (the package replaced it for the whole process when imported), nor
    any other name or class member of MkDocs' modules."""
    done = subprocess.run([sys.executable, "-c", SNAPSHOT], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["changed"] == []
    assert report["loaders"] == ["mkdocs.utils.yaml", "mkdocs.utils.yaml"]


def _shape(option: c.BaseConfigOption) -> object:
    """What an option takes: a type, a tuple of types, or ("list", what each item takes)."""
    if isinstance(option, c.Optional):
        return _shape(option.option)
    if isinstance(option, c.ListOfItems):
        return ("list", _shape(option.option_type))
    if isinstance(option, c.Choice):
        return str
    assert isinstance(option, c.Type), f"{type(option).__name__} is not a typed option"
    return option._type


def _expected(annotation: object) -> object:
    """The shape YAML gives a value of a `Settings` field's type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        (kept,) = [arg for arg in args if arg is not type(None)]
        return _expected(kept)
    if origin is typing.Annotated:
        return _expected(args[0])
    if origin is list:
        return ("list", _expected(args[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return dict
    # A number may be quoted, as 0.2 read it; `Settings` reads the number (and refuses other text).
    return {float: (int, float, str), int: (int, str)}.get(annotation, annotation)  # type: ignore[call-overload]


def test_the_plugins_options_are_the_settings_each_typed_by_its_shape():
    declared = {name: value for name, value in vars(PanelsiteConfig).items() if isinstance(value, c.BaseConfigOption)}
    schema = dict(PanelsiteConfig._schema)
    assert declared.keys() == schema.keys(), "every option is declared in the class body, none made with type()"
    assert set(schema) == {*Settings.model_fields, "command_lists_problems"}
    for name, field in Settings.model_fields.items():
        assert _shape(schema[name]) == _expected(field.annotation), name
        assert _shape(schema[name]) is not object, name
    assert isinstance(schema["edition"], c.Choice) and set(schema["edition"].choices) == set(Edition)
    assert _shape(schema["command_lists_problems"]) is bool


def test_the_served_edition_is_in_each_configuration_loaded_not_on_the_plugin(project):
    config_path = project / "site_config.yml"
    config = _guarded_load_config(ServeState(config_path, Edition.YOUNG))(config_file=str(config_path))
    plugin = config.plugins["panelsite"]
    assert plugin.config.edition == "young" and plugin.config.command_lists_problems
    again = load_mkdocs_config(config_path)  # MkDocs hands the same plugin object to the next configuration
    assert again.plugins["panelsite"] is plugin
    assert plugin.config.edition == "standard", "the configuration's own edition, not the one served before"
    assert not hasattr(PanelsitePlugin, "serve_edition")


def _state() -> dict[str, object]:
    """The adapter's module globals and class members, by name."""
    found: dict[str, object] = {}
    for module in (generator.building, generator.mkdocs_plugin, generator.serving):
        for name, value in vars(module).items():
            found[f"{module.__name__}.{name}"] = value
            if isinstance(value, type) and value.__module__ == module.__name__:
                found.update({f"{module.__name__}.{name}.{key}": v for key, v in vars(value).items()})
    return found


def test_a_build_after_serve_configured_the_plugin_builds_both_editions(project):
    """MkDocs hands the same plugin object to the next configuration loaded in the process; a build
    after `serve` loaded its configuration must still build both editions into the site folder (it
    built only the young one, and a later test found no standard page), and changes no module global
    or class member of the adapter."""
    from generator.cli import main

    config_path = project / "site_config.yml"
    load = _guarded_load_config(ServeState(config_path, Edition.YOUNG))
    assert load(config_file=str(config_path)).plugins["panelsite"].config.edition == "young"
    before = _state()
    assert main(["build"]) == 0
    after = _state()
    assert [name for name, value in before.items() if after.get(name) is not value] == []
    assert (project / "site/performance/children-looked-after/index.html").is_file()
    assert (project / "site/young/index.html").is_file()


def test_mkdocs_is_handed_the_configuration_panelsite_read(project, monkeypatch):
    """MkDocs' YAML reading is never used: the file is read once, by panelsite's loader."""
    import mkdocs.config.defaults
    import mkdocs.utils.yaml

    def refuse(*args, **kwargs):
        raise AssertionError("MkDocs read the configuration file itself")

    monkeypatch.setattr(mkdocs.utils.yaml, "yaml_load", refuse)
    monkeypatch.setattr(mkdocs.config.defaults, "yaml_load", refuse)
    config = load_mkdocs_config(project / "site_config.yml", Edition.YOUNG, site_dir=str(project / "out"))
    assert config.site_dir == str(project / "out") and config.plugins["panelsite"].config.edition == "young"


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("!ENV [PANELSITE_SECRET, x]", "!ENV is not allowed"),
        ("!!python/object/apply:os.system ['touch {marker}']", "!!python/object/apply:os.system is not allowed"),
    ],
)
def test_the_loader_refuses_every_tag_where_it_is_written(project, monkeypatch, tag, message):
    marker = project / "PWNED"
    monkeypatch.setenv("PANELSITE_SECRET", "canary-8d1f")
    config_path = project / "site_config.yml"
    text = config_path.read_text(encoding="utf-8")
    text = text.replace("copyright: ", f"copyright: {tag.format(marker=marker)}\nsite_author: ", 1)
    config_path.write_text(text, encoding="utf-8")
    line = 1 + next(i for i, x in enumerate(text.splitlines()) if x.startswith("copyright: !"))
    with pytest.raises(ConfigRefused) as refused:
        load_mkdocs_config(config_path)
    first = refused.value.problems.errors[0].format()
    assert first.startswith(f"site_config.yml:{line}:") and message in first
    assert "canary-8d1f" not in str(refused.value) and not marker.exists()


def test_a_dirty_build_learns_what_changed_from_the_files_own_class(project):
    """Each generated file answers `is_modified` through its class (`GeneratedFile`); no file object
    has MkDocs' method replaced on it."""
    config = load_mkdocs_config(project / "site_config.yml")
    plugin = config.plugins["panelsite"]
    plugin.on_startup(command="serve", dirty=True)
    for _ in range(2):
        config = plugin.on_config(config)
        files = config.plugins.on_files(Files([]), config=config)
        plugin.on_post_build(config=config)
    generated = [f for f in files if f.generated_by]
    assert generated and all(type(f) is GeneratedFile and "is_modified" not in vars(f) for f in generated)
    assert not any(f.is_modified() for f in generated), "nothing changed since the first build"
    assert GeneratedFile.made(config, "a.md", "text", changed=True).is_modified()
    assert not GeneratedFile.made(config, "a.md", "text", changed=False).is_modified()


def test_check_build_and_serve_point_at_a_plugin_option_of_the_wrong_shape(project):
    """MkDocs checks each option's shape; each command says where the option is, not just `plugins:`."""
    from generator.building import engine_problems
    from generator.serving import ServeFailed

    config_path = project / "site_config.yml"
    text = config_path.read_text(encoding="utf-8").replace(
        "      council: ", "      upper_age: [26]\n      council: ", 1
    )
    config_path.write_text(text, encoding="utf-8")
    line = 1 + text.splitlines().index("      upper_age: [26]")
    (problem,) = engine_problems(config_path).errors
    shown = problem.format()
    assert shown.startswith(f"site_config.yml:{line}:18: plugins.") and "upper_age: Expected type" in shown
    with pytest.raises(ConfigRefused) as refused:
        load_mkdocs_config(config_path, Edition.STANDARD, strict=True)
    assert str(refused.value) == shown
    with pytest.raises(ServeFailed) as stopped:
        _guarded_load_config(ServeState(config_path, Edition.YOUNG))(config_file=str(config_path))
    assert str(stopped.value) == shown


def test_a_quoted_number_setting_is_still_read_as_the_number(project, monkeypatch, capsys):
    """0.2 read `upper_age: "26"` as 26; the typed options must not break a council's folder that wrote it."""
    from generator.building import engine_problems
    from generator.cli import main

    monkeypatch.chdir(project)
    config_path = project / "site_config.yml"
    text = config_path.read_text(encoding="utf-8").replace(
        "      council: ", "      upper_age: '26'\n      council: ", 1
    )
    config_path.write_text(text, encoding="utf-8")
    assert not engine_problems(config_path).errors
    loaded = load_mkdocs_config(config_path, Edition.STANDARD, strict=True)
    assert loaded["plugins"]["panelsite"].config.upper_age == "26"
    assert main(["check"]) == 0, capsys.readouterr().out
    config_path.write_text(text.replace("upper_age: '26'", "upper_age: 'twenty'"), encoding="utf-8")
    assert main(["check"]) == 1
    assert "upper_age: Input should be a valid integer" in capsys.readouterr().out
