"""A new council adopts panelsite: init, new, schema, settings messages, branding, theme overrides."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import REPO, write

DEMO_WORDS = re.compile(r"rotherham|yorkshire|\bLAC\b|lac-council|cpp-20", re.I)


def replace(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def started(tmp_path, monkeypatch, capsys) -> Path:
    root = tmp_path / "northby"
    assert main(["init", str(root), "--council", "Northby City Council"]) == 0
    monkeypatch.chdir(root)
    capsys.readouterr()
    return root


def test_init_writes_only_configuration_data_content_and_publishing(started):
    assert sorted(p.name for p in started.iterdir()) == [
        ".github",
        ".gitignore",
        ".gitlab-ci.yml",
        "content",
        "data",
        "requirements.txt",
        "site_config.yml",
    ]
    config = (started / "site_config.yml").read_text()
    assert 'council: "Northby City Council"' in config
    assert 'area_name: "Northby"' in config
    folders = {p.parent.name for p in (started / "data").rglob("*.yml")}
    assert folders == {"data", "kpis", "updates", "events", "meetings", "entitlements"}
    assert {p.name for p in (started / "data").glob("*.yml")} == {"pledge.yml", "glossary.yml", "sources.yml"}
    for path in [*started.rglob("*.yml"), *started.rglob("*.md")]:
        assert not DEMO_WORDS.search(path.read_text()), path


def test_init_site_passes_check_and_a_strict_build_without_a_theme_folder(started, capsys):
    assert main(["check"]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().err
    assert main(["build"]) == 0
    site = started / "site"
    home = (site / "index.html").read_text()
    assert "<title>Corporate parenting in Northby - Northby City Council: Corporate Parenting Panel</title>" in home
    assert "panelsite.css" in home and (site / "assets/stylesheets/panelsite.css").is_file()
    assert (site / "children-in-care-council/index.html").is_file()
    assert (site / "young/index.html").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    write(tmp_path, "taken/notes.txt", "mine")
    assert main(["init", str(tmp_path / "taken"), "--council", "Northby City Council"]) == 2
    assert "already exists and is not empty" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "new")]) == 2, "--council is required"


def test_new_covers_every_collection_and_writes_nothing_from_the_demo(started, capsys):
    runs = [
        ["kpi", "care-leavers-in-work"],
        ["update", "spring"],
        ["event", "summer-trip"],
        ["meeting", "--date", "2027-01-12"],
        ["entitlement", "bus-pass", "--area", "money"],
        ["entitlement", "gym-pass", "--area", "health-and-wellbeing"],
        ["term", "pathway-plan"],
        ["source", "board-2027-01-12"],
        ["promise", "listen-to-you"],
    ]
    before = {p: p.read_text() for p in started.rglob("*.yml")}
    for run in runs:
        assert main(["new", *run]) == 0, run
    changed = [p for p in started.rglob("*.yml") if before.get(p) != p.read_text()]
    assert len(changed) == len(runs), "one file written or added to per record"
    for path in changed:
        assert not DEMO_WORDS.search(path.read_text()), path
    assert "- term: Pathway plan" in (started / "data/glossary.yml").read_text()
    assert "number: 2" in (started / "data/pledge.yml").read_text()
    assert "doc: example-paper" in (started / "data/kpis/care-leavers-in-work.yml").read_text()
    assert main(["check"]) == 0, capsys.readouterr().out
    assert main(["new", "term", "pathway-plan"]) == 2, "never adds a term twice"
    assert main(["new", "entitlement", "x"]) == 2, "an entitlement needs its area"


def test_schema_is_written_beside_the_configuration(started):
    assert main(["schema"]) == 0
    schema = json.loads((started / "schemas/site_config.panelsite.schema.json").read_text())
    assert {"council", "area_name", "children_council", "comparators", "branding"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False
    assert not (REPO / "generator/schemas/kpis.schema.json").exists(), "nothing is written into the package"
    text = "".join(p.read_text() for p in (started / "schemas").glob("*.json"))
    assert not DEMO_WORDS.search(text)


def test_an_unknown_setting_lists_the_valid_keys_and_the_nearest(started, capsys):
    replace(started, "site_config.yml", '      panel: "Corporate', '      panle: "Corporate')
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert re.search(
        r"site_config.yml:\d+:7: plugins\[1\]\.panelsite\.panle: unknown setting; the settings here "
        r"are accessibility, age_bands, area_name, .*young_site_name\n    hint: did you mean `panel`\?",
        out,
    ), out


def test_a_primary_colour_too_pale_for_white_text_is_refused(started, capsys):
    replace(
        started,
        "site_config.yml",
        "      young_kpis:",
        '      branding: {primary_colour: "#ffcc00"}\n      young_kpis:',
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert re.search(
        r"site_config.yml:\d+:\d+: plugins\[1\]\.panelsite\.branding\.primary_colour: white text on "
        r"#ffcc00 has a contrast of 1\.\d:1; it needs at least 4\.5:1",
        out,
    ), out


def test_branding_files_must_exist(started, capsys):
    replace(
        started, "site_config.yml", "      young_kpis:", "      branding: {logo: assets/logo.svg}\n      young_kpis:"
    )
    assert main(["check"]) == 1
    assert "branding.logo: no such file under content/ (got 'assets/logo.svg')" in capsys.readouterr().out


def test_nav_order_can_put_a_hand_written_page_before_the_sections(started):
    from generator.pipeline import generate, load_project

    project = load_project(started / "site_config.yml")
    titles = [next(iter(entry)) for entry in generate(project, "standard").nav]
    assert titles[:3] == ["Home", "About", "Performance"], titles
    assert titles[-2:] == ["Contact", "Privacy"]
    replace(started, "content/privacy.md", "nav_order: 90", "nav_order: 1")
    project = load_project(started / "site_config.yml")
    assert [next(iter(e)) for e in generate(project, "standard").nav][1] == "Privacy"


def test_benchmarks_name_configured_comparators(project, capsys):
    kpi = "data/kpis/care-leavers-in-education-employment-training.yml"
    replace(project, kpi, "  - name: england", "  - name: core cities")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "benchmarks[1].name: not one of the comparators in site_config.yml (england, statistical neighbours" in out
    replace(
        project,
        "site_config.yml",
        "      comparators:\n",
        "      comparators:\n        - {name: core cities, label: the core cities}\n",
    )
    assert main(["check"]) == 0, capsys.readouterr().out


def test_extra_event_kinds_and_the_upper_age_are_configured(project, capsys):
    replace(project, "data/events/2017-05-11-thank-you.yml", "kind: celebration", "kind: sports-day")
    replace(project, "data/entitlements/money.yml", "max_age: 25", "max_age: 27")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "data/events/2017-05-11-thank-you.yml:4:7: kind: not an event kind (trip," in out
    assert "qualifies.max_age: above the Local Offer's upper age (25, `upper_age` in site_config.yml) (got 27)" in out
    replace(
        project,
        "site_config.yml",
        "      reading_grade_max: 6\n",
        "      reading_grade_max: 6\n      extra_event_kinds: [sports-day]\n      upper_age: 27\n"
        "      age_bands: [{min_age: 16, max_age: 17}, {min_age: 18, max_age: 20}, {min_age: 21, max_age: 27}]\n",
    )
    assert main(["check"]) == 0, capsys.readouterr().out


def test_age_bands_must_stay_within_the_upper_age(project, capsys):
    replace(
        project,
        "site_config.yml",
        "      reading_grade_max: 6\n",
        "      reading_grade_max: 6\n      age_bands: [{min_age: 16, max_age: 26}]\n",
    )
    assert main(["check"]) == 1
    assert "age_bands[0] goes above upper_age (25)" in capsys.readouterr().out


def test_a_council_theme_overrides_one_file_and_keeps_panelsites_styles(project, capsys):
    write(project, "theme/templates/event_index.md.j2", "# {{ page_title }}\n\nOur own events page.\n")
    from generator.pipeline import generate, load_project

    site = generate(load_project(project / "site_config.yml"), "standard")
    assert "Our own events page." in site.pages["events/index.md"]
    assert "Schedule 12A" in site.pages["meetings/2017-07-18.md"], "other templates come from the package"
    write(project, "theme/templates/event_index.md.j2", "# {{ page_title }\n")
    assert main(["check"]) == 1
    assert "theme/templates/event_index.md.j2:1:1: template error:" in capsys.readouterr().out
    write(project, "theme/templates/event_index.md.j2", "# {{ page_title }}\n")
    write(project, "theme/overrides/assets/stylesheets/panelsite.css", "body { color: red; }\n")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "theme/overrides/assets/stylesheets/panelsite.css:1:1: would replace panelsite's own stylesheet" in out


@pytest.mark.slow
def test_the_wheel_carries_the_theme(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in ("generator", "theme"):
        shutil.copytree(REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(tmp_path.glob("panelsite-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    theme = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "theme").rglob("*") if p.is_file())
    assert {f"generator/{name}" for name in theme} <= names
    assert "generator/starter/site_config.yml.tmpl" in names
