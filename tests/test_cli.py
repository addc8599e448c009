import json

from generator.cli import main
from tests.conftest import write


def test_usage_errors_exit_2(project, capsys):
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["--config", "missing.yml", "check"]) == 2
    assert main(["serve", "--edition", "teen"]) == 2


def test_check_exit_codes(project, capsys):
    assert main(["check"]) == 0
    write(project, "data/events/2017-06-01-bad.yml", "title: [")
    assert main(["check"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_check_reports_progress_on_stderr(project, capsys):
    main(["check"])
    err = capsys.readouterr().err
    assert "loading 2 kpis from data/kpis/" in err
    assert "0 errors, 0 warnings" in err


def test_schema_writes_one_schema_per_collection(tmp_path, capsys):
    assert main(["schema", "--output", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.json"))
    assert names == [
        "entitlements.schema.json",
        "events.schema.json",
        "glossary.schema.json",
        "kpis.schema.json",
        "meetings.schema.json",
        "pledge.schema.json",
        "site_config.panelsite.schema.json",
        "sources.schema.json",
        "updates.schema.json",
    ]
    schema = json.loads((tmp_path / "kpis.schema.json").read_text())
    assert schema["properties"]["polarity"]["description"]
    assert schema["additionalProperties"] is False


def test_new_scaffolds_a_file_that_names_what_to_fill_in(project, capsys):
    assert main(["new", "event", "summer-trip", "--date", "2024-07-01"]) == 0
    assert (project / "data/events/2024-07-01-summer-trip.yml").is_file()
    assert main(["new", "event", "summer-trip", "--date", "2024-07-01"]) == 2, "never overwrites"
    assert main(["new", "event", "Bad Name"]) == 2
    assert main(["check"]) == 0


def test_every_model_field_has_a_description():
    from generator.dataset import FOLDERS, SINGLE_FILES

    def walk(model):
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"

    import typing

    from pydantic import BaseModel

    seen = set()
    from generator.settings import Settings

    pending = [c.model for c in FOLDERS] + [m for _, m in SINGLE_FILES.values()] + [Settings]
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        if model.__name__ not in {"Glossary", "Sources"}:
            walk(model)
        for field in model.model_fields.values():
            for arg in [field.annotation, *typing.get_args(field.annotation)]:
                for inner in [arg, *typing.get_args(arg)]:
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        pending.append(inner)
    assert len(seen) > 20


def test_check_renders_hand_written_pages_too(project, capsys):
    write(project, "content/about.md", "# About\n\nRun by {{ site.councl }}.\n")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("content/about.md:3:1: template error: ")


def test_an_unexpected_failure_is_one_line_and_exit_3(project, capsys, monkeypatch):
    import generator.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("secret text from a file")

    monkeypatch.setattr(generator.pipeline, "load_project", broken)
    assert main(["check"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    assert err[0].startswith("panelsite: internal error during `check` (RuntimeError in generator/")
    assert "please report it" in err[0] and "panelsite --debug check" in err[0]
    assert "secret text" not in err[0], "the exception's text may quote a file, so it is not shown"
    import pytest

    with pytest.raises(RuntimeError):
        main(["--debug", "check"])


def test_serve_on_a_busy_port_says_so_before_announcing_a_url(project, capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--dev-addr", f"127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"panelsite: 127.0.0.1:{port} is already in use by another program")
    assert "http://" not in err, "no URL is announced where another program answers"
    assert main(["serve", "--dev-addr", "localhost"]) == 2


def test_serve_refuses_an_unsafe_config_before_mkdocs_reads_it(project, capsys, tmp_path):
    config = project / "site_config.yml"
    marker = tmp_path / "PWNED"
    config.write_text(config.read_text() + f"extra:\n  x: !!python/object/apply:os.system ['touch {marker}']\n")
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["serve", "--dev-addr", f"127.0.0.1:{port}"]) == 1
    out = capsys.readouterr()
    assert "the YAML tag !!python/object/apply:os.system is not allowed" in out.out
    assert "http://" not in out.err and not marker.exists()


def test_mkdocs_is_given_the_config_only_as_panelsite_read_it(tmp_path):
    from mkdocs.exceptions import ConfigurationError

    from generator.building import load_mkdocs_config

    marker = tmp_path / "PWNED"
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: x\nextra:\n  x: !!python/object/apply:os.system ['touch {marker}']\n")
    import pytest

    with pytest.raises(ConfigurationError):
        load_mkdocs_config(config)
    assert not marker.exists()
