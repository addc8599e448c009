"""`panelsite init` and `panelsite new` are safe (issue 20).

`init --council '{{ 7*7 }}'` showed 49, Markdown in the name became a live link and the new site
failed its own `check`; a folder name with a newline was accepted and printed unquoted in the
next-steps hint; `new` wrote through a symlink out of the project. Names are now data: written
into the configuration by the YAML serializer, never pasted into a page's source, shown escaped.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.pipeline import generate, load_project

HOSTILE_NAMES = {
    "jinja": "{{ 7*7 }} City Council",
    "jinja statement": "{% for x in range(3) %}Loop{% endfor %} Council",
    "markdown link": "[Click here](https://evil.example/) Borough Council",
    "html": "<b>Bold</b> <script>alert(1)</script> Council",
    "quotes": 'O\'Brien "Quoted" County Council',
    "colon": "Northby: a City Council",
    "leading dash": "- Northby City Council",
    "yaml indicators": "&anchor *alias !tag #comment %directive @at `tick` | > Council",
    "very long": "Northby " * 14 + "Council",  # 120 characters, the longest allowed
    "unicode line separator": "Northby\u2028City Council",
}


def _init(tmp_path: Path, council: str, *extra: str) -> Path:
    root = tmp_path / "site"
    assert main(["init", str(root), "--council", council, *extra]) == 0
    return root


@pytest.mark.parametrize("case", sorted(HOSTILE_NAMES))
def test_a_hostile_council_name_is_kept_as_data_and_the_site_passes_its_own_check(tmp_path, monkeypatch, capsys, case):
    council = HOSTILE_NAMES[case]
    root = _init(tmp_path, council)
    config = yaml.safe_load((root / "site_config.yml").read_text(encoding="utf-8"))
    settings = next(p["panelsite"] for p in config["plugins"] if isinstance(p, dict))
    written = " ".join(council.split())
    assert settings["council"] == written, "the name reads back exactly as given"
    assert config["site_name"] == f"{written}: Corporate Parenting Panel", "site_name comes from council and panel"
    for page in (root / "content").glob("*.md"):
        assert written not in page.read_text(encoding="utf-8"), "no name is pasted into a page's source"
    monkeypatch.chdir(root)
    capsys.readouterr()
    code = main(["check"])
    output = capsys.readouterr()
    assert code == 0, output.out + output.err
    assert "0 errors, 0 warnings" in output.err


def test_names_are_shown_as_typed_never_run_or_linked(tmp_path, monkeypatch):
    """One site whose council and area hold every trick at once: the pages' Markdown escapes them."""
    council = "{{ 7*7 }} [x](https://evil.example/) <b>B</b> Council"
    root = _init(tmp_path, council, "--area", "{{ 6*7 }} <i>Area</i> [y](https://evil.example/)")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    project = load_project(root / "site_config.yml")
    assert not project.problems.has_errors, project.problems.format()
    site = generate(project, "standard")
    assert not site.problems.has_errors, site.problems.format()
    # The pages' bodies; their front matter titles are made safe for MkDocs where every page title is.
    home, about = (site.pages[p].split("\n---\n", 1)[1] for p in ("index.md", "about.md"))
    for text in (home, about):
        assert not re.search(r"(?<![#\d])(49|42)(?!\d)", text), "no template in a name is run"
        assert "](https://evil.example/)" not in text, "no Markdown link in a name is live"
        assert "<b>" not in text and "<i>" not in text, "no HTML in a name is live"
    assert re.search(r"^# Corporate parenting in .*&#123;&#123; 6&#42;7 &#125;&#125;", home, re.M), home[:400]
    assert "&lt;b&gt;B&lt;/b&gt;" in about


def test_a_very_long_or_empty_name_is_refused_in_one_line(tmp_path, capsys):
    assert main(["init", str(tmp_path / "a"), "--council", "N" * 121]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at most 120" in err
    assert main(["init", str(tmp_path / "b"), "--council", " \n "]) == 2
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_control_character_in_a_name_is_refused(tmp_path, capsys):
    assert main(["init", str(tmp_path / "a"), "--council", "Northby\x1b[31m Council"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "U+001B" in err and not (tmp_path / "a").exists()


@pytest.mark.parametrize("name", ["new\nline", "tab\there", "bell\x07", "c1\x85"])
def test_a_folder_name_with_a_control_character_is_refused_in_one_line(tmp_path, capsys, name):
    assert main(["init", str(tmp_path / name), "--council", "Northby City Council"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "control character" in err, err
    assert not any(tmp_path.iterdir()), "nothing is created"


def test_the_next_steps_hint_quotes_the_folder_for_the_shell(tmp_path, capsys):
    folder = tmp_path / "my site; rm -rf ~"
    assert main(["init", str(folder), "--council", "Northby City Council"]) == 0
    err = capsys.readouterr().err
    assert f"cd {shlex.quote(str(folder))} && panelsite check" in err
    assert shlex.split(err.split("next: ", 1)[1])[:2] == ["cd", str(folder)]


def test_init_takes_the_panels_own_name_into_settings_and_site_name(tmp_path):
    root = _init(tmp_path, "Northby City Council", "--panel", "Corporate Parenting Committee")
    config = yaml.safe_load((root / "site_config.yml").read_text(encoding="utf-8"))
    settings = next(p["panelsite"] for p in config["plugins"] if isinstance(p, dict))
    assert settings["panel"] == "Corporate Parenting Committee"
    assert config["site_name"] == "Northby City Council: Corporate Parenting Committee"


@pytest.fixture
def started(tmp_path, monkeypatch, capsys) -> Path:
    root = _init(tmp_path, "Northby City Council")
    monkeypatch.chdir(root)
    capsys.readouterr()
    return root


def test_new_refuses_a_folder_that_links_out_of_the_project(started, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    events = started / "data" / "events"
    for path in events.iterdir():
        path.unlink()
    events.rmdir()
    events.symlink_to(outside, target_is_directory=True)
    assert main(["new", "event", "summer-trip", "--date", "2024-07-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "leads outside the project through a symbolic link" in err
    assert list(outside.iterdir()) == [], "nothing is written outside"


def test_new_refuses_a_file_that_is_a_link_out_of_the_project(started, tmp_path, capsys):
    target = tmp_path / "elsewhere.yml"
    glossary = started / "data" / "glossary.yml"
    glossary.unlink()
    glossary.symlink_to(target)  # dangling: following it would create a file outside
    assert main(["new", "term", "pathway-plan"]) == 2
    assert "leads outside the project" in capsys.readouterr().err
    assert not target.exists()
    target.write_text("terms: []\n", encoding="utf-8")
    assert main(["new", "term", "pathway-plan"]) == 2, "nor appends to a file outside"
    assert target.read_text(encoding="utf-8") == "terms: []\n"


def test_new_follows_a_link_that_stays_inside_the_project(started, capsys):
    (started / "data" / "more-events").mkdir()
    (started / "data" / "events2").symlink_to(started / "data" / "more-events", target_is_directory=True)
    from generator.scaffold import scaffold

    path = scaffold(started / "data", "event", "summer-trip", "2024-07-01", project=started)
    assert path.read_text(encoding="utf-8").startswith("# An event write-up.")
