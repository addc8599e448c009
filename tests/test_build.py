"""End-to-end: real --strict MkDocs builds of both editions, all-or-nothing replacement of site/."""

import gc
import hashlib
import re
from pathlib import Path

import pytest

from generator import building, pipeline
from generator.cli import main
from tests.conftest import copy_built, copy_fixture

STANDARD_URLS = [
    "",
    "performance/",
    "performance/care-leavers-in-education-employment-training/",
    "lac-council/",
    "lac-council/2017-06-lac-council/",
    "pledge/",
    "local-offer/",
    "local-offer/money/",
    "events/",
    "events/2017-05-11-thank-you/",
    "meetings/",
    "meetings/2017-07-18/",
    "glossary/",
]
YOUNG_URLS = [
    "",
    "performance/",
    "performance/children-looked-after/",
    "lac-council/2017-06-lac-council/",
    "pledge/",
    "local-offer/",
    "local-offer/for/18-20/",
    "local-offer/speak-up/",
    "events/2017-05-11-thank-you/",
    "glossary/",
]


@pytest.fixture(scope="module")
def built(fixture_build) -> Path:
    """The fixture project built once per session (conftest's `fixture_build`)."""
    return fixture_build.site


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_every_url_exists_in_both_editions(built):
    for url in STANDARD_URLS:
        assert (built / url / "index.html").is_file(), url
    for url in YOUNG_URLS:
        assert (built / "young" / url / "index.html").is_file(), url
    assert not (built / "young" / "meetings").exists(), "the meetings archive is standard-only"


def test_pages_link_to_the_same_page_in_the_other_edition(built):
    page = (built / "events/2017-05-11-thank-you/index.html").read_text()
    assert 'href="../../young/events/2017-05-11-thank-you/"' in page
    young = (built / "young/events/2017-05-11-thank-you/index.html").read_text()
    assert 'href="../../../events/2017-05-11-thank-you/"' in young
    meeting = (built / "meetings/2017-07-18/index.html").read_text()
    assert "young/meetings" not in meeting


def test_kpi_page_has_chart_table_and_csv(built):
    page = (built / "performance/care-leavers-in-education-employment-training/index.html").read_text()
    assert 'src="../charts/care-leavers-in-education-employment-training.svg"' in page
    assert 'alt="Line chart. Care leavers in education' in page
    assert 'href="../data/care-leavers-in-education-employment-training.csv"' in page
    assert (built / "performance/charts/care-leavers-in-education-employment-training.svg").is_file()
    assert (built / "performance/data/care-leavers-in-education-employment-training.csv").is_file()
    assert "<caption>" in page


def test_exempt_item_shows_only_number_title_and_paragraph(built):
    page = (built / "meetings/2017-07-18/index.html").read_text()
    assert "Schedule 12A to the Local Government Act 1972, paragraphs 2 and 3" in page


def test_young_edition_has_its_own_look_and_name(built):
    page = (built / "young/index.html").read_text()
    assert "young.css" in page
    assert "Rotherham: for young people in care" in page


def test_a_failed_build_leaves_site_untouched(fixture_build, tmp_path):
    root = copy_built(fixture_build, tmp_path / "project")  # built, with its site and chart cache
    config = str(root / "site_config.yml")
    before = tree_digest(root / "site")
    event = root / "data/events/2017-05-11-thank-you.yml"
    event.write_text(event.read_text().replace("date: 2017-05-11", "date: 2017-05-32"))
    assert main(["--config", config, "build"]) == 1
    assert tree_digest(root / "site") == before
    # A problem only MkDocs finds (a broken link in a hand-written page) also leaves site/ as it was.
    event.write_text(event.read_text().replace("date: 2017-05-32", "date: 2017-05-11"))
    (root / "content/about.md").write_text("# About\n\nSee [nowhere](missing.md).\n")
    assert main(["--config", config, "build"]) == 1
    assert tree_digest(root / "site") == before
    assert not list(root.glob(".panelsite-build-*"))


def test_a_build_runs_the_cycle_collector_less_often_and_then_as_before(fixture_build, tmp_path, monkeypatch):
    root = copy_built(fixture_build, tmp_path / "project")
    seen = []

    def watched(module, name):
        step = getattr(module, name)

        def run(*args, **kwargs):
            seen.append((name, gc.get_threshold()))
            return step(*args, **kwargs)

        monkeypatch.setattr(module, name, run)

    watched(pipeline, "load_project")
    watched(building, "build_edition")
    before = gc.get_threshold()
    assert main(["--config", str(root / "site_config.yml"), "build"]) == 0
    fewer = (10_000, 10, 10)
    assert seen == [("load_project", fewer), ("build_edition", fewer), ("build_edition", fewer)]
    assert gc.get_threshold() == before != fewer


def test_builds_are_reproducible(fixture_build, tmp_path):
    """The session's build (charts drawn) and a second build of a copy of it (charts from the cache)."""
    first = tree_digest(fixture_build.site)
    root = copy_built(fixture_build, tmp_path / "project")
    assert main(["--config", str(root / "site_config.yml"), "build"]) == 0
    second = tree_digest(root / "site")
    differing = {k for k in first if first[k] != second.get(k)}
    assert differing <= {"sitemap.xml.gz", "young/sitemap.xml.gz"}


def test_export_builds_with_plain_mkdocs(tmp_path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = copy_fixture(tmp_path / "project")
    assert main(["--config", str(root / "site_config.yml"), "export", str(tmp_path / "out")]) == 0
    for edition in ("standard", "young"):
        config_file = tmp_path / "out" / edition / "mkdocs.yml"
        assert "panelsite" not in [
            p if isinstance(p, str) else next(iter(p))
            for p in __import__("yaml").safe_load(config_file.read_text())["plugins"]
        ]
        config = load_config(str(config_file), strict=True)
        build(config)
        assert (tmp_path / "out" / edition / "site" / "index.html").is_file()


@pytest.mark.slow
def test_demo_data_builds_both_editions(repo_demo_build):
    """The real demo site, strict, into a temporary folder (conftest's `repo_demo_build`, built once)."""
    assert (repo_demo_build.site / "index.html").is_file()
    assert (repo_demo_build.site / "young/index.html").is_file()


def test_an_unchanged_rebuild_renders_no_charts(fixture_build, tmp_path, capsys):
    """Each chart has two drawings (wide and narrow, each in both colour schemes): two charts are four files.
    The first build is the session's (from an empty cache); the second builds a copy of it."""
    first = fixture_build.err
    root = copy_built(fixture_build, tmp_path / "project")
    config = str(root / "site_config.yml")
    assert re.search(r"standard edition: \d+ pages, 4 charts rendered, 0 from the cache", first)
    assert main(["--config", config, "build"]) == 0
    second = capsys.readouterr().err
    assert re.search(r"standard edition: \d+ pages, 0 charts rendered, 4 from the cache", second)
    assert re.search(r"young edition: \d+ pages, 0 charts rendered, 4 from the cache", second)
    assert (fixture_build.root / ".cache/panelsite/charts").is_dir(), "the cache lives outside every watched folder"


def test_build_prints_a_problem_exactly_as_check_does(project_with_charts, capsys):
    """File, line and column first, on standard output, as `check` prints it; not `WARNING - generator: …`."""
    project = project_with_charts
    kpi = project / "data/kpis/care-leavers-in-education-employment-training.yml"
    kpi.write_text(
        kpi.read_text().replace(
            '{period: "2022-12", value: 73.0}', '{period: "2022-12", value: 73.0, numerator: 50, denominator: 100}'
        )
    )
    assert main(["check"]) == 0
    checked = capsys.readouterr().out
    assert checked.startswith("data/kpis/care-leavers-in-education-employment-training.yml:16:32: warning: ")
    assert main(["build"]) == 1, "a warning fails the strict build"
    strict = capsys.readouterr()
    assert strict.out == checked
    assert "WARNING" not in strict.err and "generator:" not in strict.err
    assert "panelsite: 0 errors, 1 warning" in strict.err and "--no-strict" in strict.err
    assert not (project / "site").exists()
    assert main(["build", "--no-strict"]) == 0
    relaxed = capsys.readouterr()
    assert relaxed.out == checked, "printed once, though both editions carry it"
