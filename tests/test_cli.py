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
    assert names == ["entitlements.schema.json", "events.schema.json", "glossary.schema.json", "kpis.schema.json",
                     "meetings.schema.json", "pledge.schema.json", "site_config.panelsite.schema.json",
                     "sources.schema.json", "updates.schema.json"]
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
